import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AnswerRequest, type RawAnswer, type Simulator, startSimulator } from "../../src/simulator/index.js";
import { describeAnswer, passesExactly } from "../helpers/answers.js";
import { DEMO_ENV, expectNothingSecret, runCaptured } from "../helpers/cli.js";
import { propertyOptions } from "../helpers/property.js";

/*
 * The whole CLI over real HTTP and real signatures, with the simulator answering whatever a test
 * tells it to: the safety rules of the contract, end to end.
 */

const JOB = "dts-1ewjspuw";
let answer: (request: AnswerRequest) => RawAnswer | undefined = () => undefined;
let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({ answer: (request) => answer(request) });
});
afterAll(async () => {
  await simulator.close();
});

const envelope = (response: object): RawAnswer => ({ body: JSON.stringify({ Response: response }) });
const wait = (...extra: string[]) => ["wait", JOB, "--endpoint", simulator.url, "--interval", "0.05", ...extra];
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
/** A line the runner would take as a workflow command: `::` once leading white space is trimmed. */
const WORKFLOW_COMMAND = /^[\s\u0085]*::/m;

describe("any answer, end to end", () => {
  it("text and JSON agree, exit 0 only on exact verdicts, and no control character or command gets out", async () => {
    await fc.assert(
      fc.asyncProperty(describeAnswer, async (response) => {
        answer = (request) => (request.action === "DescribeMigrationCheckJob" ? envelope(response) : undefined);
        const json = await runCaptured(wait("--timeout", "0", "--output", "json"));
        const text = await runCaptured(wait("--timeout", "0"));
        expect(text.code).toBe(json.code);
        expect([0, 1, 3, 4]).toContain(json.code);
        expect(json.code === 0).toBe(passesExactly(response));
        const document = JSON.parse(json.stdout);
        expect(document.passed).toBe(json.code === 0);
        expect(text.stdout.includes("gate open")).toBe(json.code === 0);
        for (const output of [json.stdout, json.stderr, text.stdout, text.stderr]) {
          expect(output).not.toMatch(CONTROL);
          expect(output).not.toMatch(WORKFLOW_COMMAND);
        }
      }),
      propertyOptions(12),
    );
  });

  it("API error codes and messages reach the last line cleaned: no escape sequence, no carriage return", async () => {
    answer = () =>
      envelope({
        Error: {
          Code: "InvalidParameter\u001b]52;c;ZXZpbA==\u0007",
          Message: "bad\r::error::forged\u001b]0;pwned\u0007",
        },
        RequestId: "r-1",
      });
    const run = await runCaptured(wait());
    expect(run.code).toBe(4);
    const lastLine = run.stdout.trimEnd().split("\n").at(-1) ?? "";
    expect(lastLine).toContain("InvalidParameter]52;c;ZXZpbA==");
    for (const output of [run.stdout, run.stderr]) {
      expect(output).not.toMatch(CONTROL);
      expect(output).not.toMatch(WORKFLOW_COMMAND);
    }
  });

  it("a session token the server echoes with a control character inside is still redacted", async () => {
    const token = "tokenThatMustNeverShow0123";
    answer = (request) =>
      request.action === "DescribeMigrationCheckJob"
        ? envelope({
            RequestId: "r-2",
            Status: "success",
            CheckFlag: "checkNotPass",
            BriefMsg: `echo ${token.slice(0, 8)}\u0007${token.slice(8)}`,
            StepInfo: [],
          })
        : undefined;
    for (const output of ["text", "json"]) {
      const run = await runCaptured(wait("--output", output), {
        env: { ...DEMO_ENV, TENCENTCLOUD_SESSION_TOKEN: token },
      });
      expect(run.code).toBe(1);
      expectNothingSecret(run.stdout + run.stderr, [token]);
    }
  });

  it("with --start, an answer of any shape cannot hide the start: text and JSON both report it", async () => {
    answer = (request) =>
      request.action === "DescribeMigrationCheckJob"
        ? envelope({
            RequestId: "r-3",
            Status: "success",
            CheckFlag: "checkPass",
            BriefMsg: 7,
            StepInfo: [null, { StepNo: "1", StepName: { a: 1 }, DetailCheckItems: [{ HelpDoc: "x", ErrorLog: [1] }] }],
          })
        : request.action === "StartMigrateJob"
          ? envelope({ RequestId: `start-${request.n}` })
          : undefined;
    const text = await runCaptured(wait("--start"));
    const json = await runCaptured(wait("--start", "--output", "json"));
    expect(text.code).toBe(0);
    expect(json.code).toBe(0);
    expect(text.stdout).toContain("migration started (RequestId start-0)");
    expect(JSON.parse(json.stdout).jobs[0]).toMatchObject({ started: { requestId: "start-1" }, startRequests: 1 });
  });
});
