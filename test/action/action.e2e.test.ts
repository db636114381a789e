import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { marked } from "marked";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { clean } from "../../src/core/text.js";
import { DEMO_SECRET_ID, DEMO_SECRET_KEY, type Simulator, startSimulator } from "../../src/simulator/index.js";
import { commandLines, decodeEntities, runActionProcess } from "./helpers.js";

const JOB = "dts-1ewjspuw";
const OTHER = "dts-abcdefgh";
/** Every output action.yml declares: the Action sets each of them in every run. */
const OUTPUT_NAMES = Object.keys(
  (parse(readFileSync(new URL("../../action.yml", import.meta.url), "utf8")) as { outputs: object }).outputs,
).sort();
const TOKEN_PATTERN = /^[0-9a-f]{32}$/;

function inputs(endpoint: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "job-id": JOB,
    "secret-id": DEMO_SECRET_ID,
    "secret-key": DEMO_SECRET_KEY,
    endpoint,
    interval: "0.05",
    timeout: "20",
    // as action.yml's defaults reach the step
    "fail-on-warning": "false",
    "create-check": "false",
    "start-migration": "false",
    "redis-url": "",
    region: "",
    "session-token": "",
    ...extra,
  };
}

/** Every command line must be one this Action emits on purpose. */
function expectOnlyDeliberateCommands(stdout: string, secrets: readonly string[] = [DEMO_SECRET_ID, DEMO_SECRET_KEY]) {
  const stops: string[] = [];
  for (const line of commandLines(stdout)) {
    expect(line.startsWith("::"), `indented command line ${JSON.stringify(line)}`).toBe(true);
    expect(line.includes("##["), `legacy command in ${JSON.stringify(line)}`).toBe(false);
    const stop = /^::stop-commands::(.*)$/.exec(line);
    if (stop) {
      expect(stop[1]).toMatch(TOKEN_PATTERN);
      stops.push(stop[1] ?? "");
      continue;
    }
    const resume = /^::([0-9a-f]{32})::$/.exec(line);
    if (resume) {
      expect(resume[1]).toBe(stops.at(-1));
      continue;
    }
    const mask = /^::add-mask::(.*)$/.exec(line);
    if (mask) {
      expect(secrets).toContain(mask[1]);
      continue;
    }
    expect(line, `unexpected command line ${JSON.stringify(line)}`).toMatch(
      /^::(group::Waiting for the DTS pre-migration check of [a-z0-9, -]+|endgroup::|(error|warning|notice) title=[^:]*::.*|error::(dts-gate: |gate closed: ).*|debug::.*)$/,
    );
  }
}

describe("dist/action.js against the simulator", () => {
  const simulators: Simulator[] = [];
  const simulator = async (scenario: "pass" | "not-pass" | "warning" | "stuck") => {
    const sim = await startSimulator({ stepMs: 5, scenario });
    simulators.push(sim);
    return sim;
  };
  afterAll(async () => {
    await Promise.all(simulators.map((sim) => sim.close()));
  });

  it("pass: exits 0, passed=true, check-flag=checkPass, result is the contract's JSON", async () => {
    const sim = await simulator("pass");
    const run = await runActionProcess({ inputs: inputs(sim.url, { "job-id": `${JOB}\n${JOB}` }) });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(Object.keys(run.outputs).sort()).toEqual(OUTPUT_NAMES);
    expect(run.outputs.passed).toBe("true");
    expect(run.outputs.status).toBe("success");
    expect(run.outputs["check-flag"]).toBe("checkPass");
    expect(run.outputs["brief-msg"]).toBe("success");
    const result = JSON.parse(run.outputs.result ?? "");
    expect(result.passed).toBe(true);
    expect(result.jobs).toHaveLength(1);
    const [job] = result.jobs;
    expect(job).toMatchObject({ jobId: JOB, outcome: "pass", status: "success", checkFlag: "checkPass" });
    expect(job.stepInfo).toHaveLength(13);
    expect(job.stepInfo.every((step: { StepStatus: string }) => step.StepStatus === "pass")).toBe(true);
    expect(typeof job.requestId).toBe("string");
    expect(job.polls).toBeGreaterThanOrEqual(1);
    expect(job).not.toHaveProperty("error");
    expect(run.stdout).not.toMatch(/^::error/m);
    expect(run.summary).toContain("gate open");
    expectOnlyDeliberateCommands(run.stdout);
  });

  it("not-pass: fails the step with an ::error annotation naming the item and its solution", async () => {
    const sim = await simulator("not-pass");
    const run = await runActionProcess({ inputs: inputs(sim.url) });
    expect(run.code).toBe(1);
    expect(run.outputs.passed).toBe("false");
    expect(run.outputs["check-flag"]).toBe("checkNotPass");
    const annotations = run.stdout.split("\n").filter((line) => line.startsWith("::error title="));
    expect(annotations).toHaveLength(1);
    const annotation = annotations[0] ?? "";
    expect(annotation).toMatch(/^::error title=Target instance content conflict check::/);
    expect(annotation).toContain("Target instance content conflict check: failed");
    expect(annotation).toContain(
      "Solution: Drop or rename the conflicting tables in the target instance, or remove them from the migration objects, then run the check again.",
    );
    // The step's failure: one sentence, the gate's reason.
    expect(run.stdout).toContain(`::error::gate closed: ${JOB} did not pass the check`);
    expect(JSON.parse(run.outputs.result ?? "").jobs[0].outcome).toBe("notPass");
    expectOnlyDeliberateCommands(run.stdout);
  });

  it("warning: the summary rendered by marked has 13 step rows, the warning item and OptimizeCheck skipped", async () => {
    const sim = await simulator("warning");
    const run = await runActionProcess({ inputs: inputs(sim.url) });
    expect(run.code).toBe(0);
    expect(run.outputs.passed).toBe("true");
    const html = await marked.parse(run.summary, { gfm: true });
    const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
      [...(row[1] ?? "").matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => decodeEntities(cell[1] ?? "").trim()),
    );
    const stepRows = rows.filter((cells) => cells.length > 0);
    expect(stepRows).toHaveLength(13);
    expect(stepRows.every((cells) => cells.length === 4)).toBe(true);
    expect(stepRows[12]).toEqual(["12", "Peripheral check", "OptimizeCheck", "↷ skipped"]);
    expect(stepRows[2]).toEqual(["2", "Source instance permission check", "SrcPrivilegeCheck", "! warning"]);
    expect(stepRows.filter((cells) => cells[3] === "✓ pass")).toHaveLength(11);
    const text = decodeEntities(html);
    expect(text).toContain("<summary>⚠️ <b>Source instance permission check</b> (warning)</summary>");
    expect(text).toContain("Your permission is as follows: GRANT SELECT, INSERT, UPDATE, DELETE");
    expect(text).toContain("TO 'root'@'%' WITH GRANT OPTION");
    expect(text).toContain("<summary>↷ <b>Peripheral check</b> (warning, skipped)</summary>");
    expect(html).toContain("<h3>⚠️ dts-1ewjspuw: PASSED with 1 warning</h3>");
    // One warning annotation for the warning item, a notice for the skipped step's item; no error.
    expect(run.stdout.match(/^::warning title=Source instance permission check::/gm)).toHaveLength(1);
    expect(run.stdout.match(/^::notice title=Peripheral check \(skipped\)::/gm)).toHaveLength(1);
    expect(run.stdout).not.toMatch(/^::error/m);
    expectOnlyDeliberateCommands(run.stdout);
  });

  it("fail-on-warning closes the gate on the warning scenario; start-migration then never starts", async () => {
    const sim = await simulator("warning");
    const run = await runActionProcess({
      inputs: inputs(sim.url, { "fail-on-warning": "YES", "start-migration": "1" }),
    });
    expect(run.code).toBe(1);
    expect(run.outputs.passed).toBe("false");
    expect(run.stdout).toContain("::error::gate closed: --fail-on-warning and dts-1ewjspuw has 1 warning");
    expect(sim.startCount(JOB)).toBe(0);
  });

  it("create-check restarts the check first and waits for the new verdict, not the stale one", async () => {
    const sim = await startSimulator({ stepMs: 5, jobs: { [JOB]: ["not-pass", "pass"] }, createLagMs: 200 });
    simulators.push(sim);
    sim.finishCheck(JOB);
    const run = await runActionProcess({ inputs: inputs(sim.url, { "create-check": "true" }) });
    expect(run.code).toBe(0);
    expect(run.outputs["check-flag"]).toBe("checkPass");
    expect(sim.arrivals[0]?.action).toBe("CreateMigrateCheckJob");
    const result = JSON.parse(run.outputs.result ?? "");
    expect(result.jobs[0].created.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("start-migration starts each job once after every check passed", async () => {
    const sim = await simulator("pass");
    const run = await runActionProcess({
      inputs: inputs(sim.url, { "job-id": `${JOB}, ${OTHER}`, "start-migration": "true" }),
    });
    expect(run.code).toBe(0);
    expect(sim.startCount(JOB)).toBe(1);
    expect(sim.startCount(OTHER)).toBe(1);
    const result = JSON.parse(run.outputs.result ?? "");
    expect(result.jobs.map((job: { jobId: string }) => job.jobId)).toEqual([JOB, OTHER]);
    expect(result.jobs.every((job: { started: unknown }) => job.started !== null)).toBe(true);
  });

  it("no secret reaches stdout, stderr, the summary or the outputs (only the add-mask commands)", async () => {
    const secretId = "AKIDsecretIdForTheActionTest00000000";
    const secretKey = "Sk3cr3t-key-of-the-action-test-0042";
    const token = "sessionTokenOfTheActionTest-0123456789";
    const sim = await startSimulator({ stepMs: 5, scenario: "not-pass", secretId, secretKey });
    simulators.push(sim);
    const run = await runActionProcess({
      inputs: inputs(sim.url, { "secret-id": "", "secret-key": secretKey, "session-token": "" }),
      env: { TENCENTCLOUD_SECRET_ID: secretId, TENCENTCLOUD_SESSION_TOKEN: token },
    });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.outputs.result ?? "").jobs[0].outcome).toBe("notPass");
    for (const secret of [secretId, secretKey, token]) {
      const lines = run.stdout.split("\n").filter((line) => line.includes(secret));
      expect(lines).toEqual([`::add-mask::${secret}`]);
      expect(run.stderr).not.toContain(secret);
      expect(decodeEntities(run.summary)).not.toContain(secret);
      expect(run.outputsFile).not.toContain(secret);
    }
    // Masked first: nothing precedes the add-mask commands.
    const firstLines = run.stdout.split("\n").slice(0, 3);
    expect(firstLines).toEqual([`::add-mask::${secretId}`, `::add-mask::${secretKey}`, `::add-mask::${token}`]);
    expectOnlyDeliberateCommands(run.stdout, [secretId, secretKey, token]);
  });

  it("missing job-id: exit 2, a clear failure, passed=false and no request sent", async () => {
    const sim = await simulator("pass");
    const run = await runActionProcess({ inputs: inputs(sim.url, { "job-id": "" }) });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(
      "::error::dts-gate: input job-id is required: one or more job ids (as dts-1ewjspuw), separated by spaces, commas or newlines",
    );
    expect(run.outputs.passed).toBe("false");
    expect(sim.arrivals).toHaveLength(0);
  });

  it("a bad number: exit 2 naming the input, no request sent", async () => {
    const sim = await simulator("pass");
    const run = await runActionProcess({ inputs: inputs(sim.url, { interval: "soon" }) });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(
      '::error::dts-gate: input interval must be a duration > 0 in seconds (90, 2.5) or with units (500ms, 30s, 5m, 1h30m), not "soon"',
    );
    expect(sim.arrivals).toHaveLength(0);
  });

  it("SIGINT while waiting: exit 130, reports what is known", async () => {
    const sim = await simulator("stuck");
    const run = await runActionProcess({
      inputs: inputs(sim.url),
      onLine: { when: /of 13 steps done/, act: (child) => child.kill("SIGINT") },
    });
    expect(run.signal).toBe(null);
    expect(run.code).toBe(130);
    expect(run.outputs.passed).toBe("false");
    expect(run.outputs.status).toBe("running");
    expect(run.stdout).toContain("::error::gate closed: interrupted before every check had a verdict (SIGINT)");
    expect(run.summary).toContain("dts-1ewjspuw: INTERRUPTED");
  });
});

describe("dist/action.js against a hostile API", () => {
  const HOSTILE_BRIEF = "::set-output name=x::y\n::error::x";
  const hostileItem = {
    CheckItemName: "Item | with <b>html</b> & `ticks`\n::warning::injected",
    CheckResult: "failed",
    Description: "",
    FailureReason: "  ::add-mask::oops\r\n##[error]legacy",
    Solution: "run `rm -rf /` | <script>alert(1)</script>\u2028::error::nel",
    ErrorLog: ["line one\n::endgroup::", "##[set-output name=y]z"],
    HelpDoc: ["javascript:alert(1)", 'https://example.com/a?b=<c>&d="e"'],
    SkipInfo: "",
  };
  const steps = Array.from({ length: 13 }, (_, stepNo) => ({
    DetailCheckItems: stepNo === 5 ? [hostileItem] : [],
    HasSkipped: false,
    StepId: stepNo === 5 ? "Evil|Id" : `Step${stepNo}`,
    StepMessage: stepNo === 5 ? "\n::error::from StepMessage" : "",
    StepName: stepNo === 5 ? "Evil | step\n::error title=t::step name" : `Step ${stepNo}`,
    StepNo: stepNo,
    StepStatus: stepNo === 5 ? "failed" : "pass",
  }));
  let server: Server;
  let url: string;
  let requests = 0;

  beforeAll(async () => {
    // Verifies nothing: answers every request with a finished, hostile check.
    server = createServer((req, res) => {
      requests++;
      req.resume();
      req.on("end", () => {
        res.setHeader("Content-Type", "application/json");
        res.end(
          JSON.stringify({
            Response: {
              Status: "success",
              CheckFlag: "checkNotPass",
              BriefMsg: HOSTILE_BRIEF,
              StepInfo: steps,
              RequestId: "req\n::error::rid",
            },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("no API text becomes a workflow command; outputs and summary stay intact", async () => {
    const run = await runActionProcess({ inputs: inputs(url) });
    expect(requests).toBeGreaterThan(0);
    expect(run.code).toBe(1);
    expectOnlyDeliberateCommands(run.stdout);
    // The hostile text is in the log, defanged.
    expect(run.stdout).toContain(": :set-output name=x::y");
    // Exactly one annotation (the failed item) and the step's failure.
    const errors = run.stdout.split("\n").filter((line) => line.startsWith("::error"));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^::error title=Evil \| step %3A%3Aerror title=t%3A%3Astep name::dts-1ewjspuw · /);
    expect(errors[1]).toBe("::error::gate closed: dts-1ewjspuw did not pass the check");
    // Outputs: exactly those of action.yml, the BriefMsg verbatim.
    expect(Object.keys(run.outputs).sort()).toEqual(OUTPUT_NAMES);
    // As every output shows API text: on one line, cleaned when it was read.
    expect(run.outputs["brief-msg"]).toBe(clean(HOSTILE_BRIEF));
    expect(JSON.parse(run.outputs.result ?? "").jobs[0].briefMsg).toBe(clean(HOSTILE_BRIEF));
    // Summary: no raw HTML from the API, every table row keeps its four cells.
    expect(run.summary).not.toContain("<script>");
    expect(run.summary).not.toContain("<b>html</b>");
    expect(run.summary).not.toContain("javascript:");
    const html = await marked.parse(run.summary, { gfm: true });
    expect(html).not.toContain("<script>");
    const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(
      (row) => [...(row[1] ?? "").matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].length,
    );
    expect(rows.filter((cells) => cells > 0)).toEqual(Array(13).fill(4));
    expect(decodeEntities(html)).toContain("Evil | step ::error title=t::step name");
    // Only an http(s) link becomes a link, its URL normalised and escaped.
    expect(html).toContain('<a href="https&#58;//example.com/a?b=%3Cc%3E&#38;d=%22e%22">');
    expect(html).not.toContain('href="javascript');
  });
});
