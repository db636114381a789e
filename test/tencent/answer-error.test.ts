import fc from "fast-check";
import { CommonClient } from "tencentcloud-sdk-nodejs-common";
import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { type Answer, interpretAnswer } from "../../src/tencent/answer.js";
import { createDtsClient } from "../../src/tencent/client.js";
import { Credentials } from "../../src/tencent/credentials.js";
import { ApiError } from "../../src/tencent/errors.js";
import { assumeRole } from "../../src/tencent/sts.js";
import type { DtsAction } from "../../src/tencent/types.js";
import { runCaptured } from "../helpers/cli.js";
import { propertyOptions } from "../helpers/property.js";
import { type Loopback, loopback } from "./loopback.js";

const NOW = Date.UTC(2026, 11, 1, 8, 0, 0);
const ACTIONS: readonly DtsAction[] = ["DescribeMigrationCheckJob", "CreateMigrateCheckJob", "StartMigrateJob"];
const KNOWN_CODES = [
  "RequestLimitExceeded",
  "RequestLimitExceeded.UinLimitExceeded",
  "InternalError",
  "ResourceUnavailable",
  "AuthFailure.SignatureExpire",
  "AuthFailure.SignatureFailure",
  "FailedOperation",
  "FailedOperation.StatusInConflict",
  "UnauthorizedOperation",
  "ResourceNotFound.JobNotExist",
] as const;

/** The shapes the review named: every one is an error whose shape cannot be read. */
const HOSTILE_ERRORS: readonly unknown[] = [
  { Code: 403 },
  "denied",
  {},
  [],
  0,
  false,
  "",
  { Code: "X" },
  { Message: "m" },
];

const servers: Loopback[] = [];
const simulators: Simulator[] = [];
afterEach(async () => {
  await Promise.all([...servers.splice(0), ...simulators.splice(0)].map((server) => server.close()));
});

/** A loopback server answering every request with `Response: {Error, RequestId}` at `status`. */
async function answering(error: unknown, status = 200): Promise<Loopback> {
  const server = await loopback((request, response) => {
    request.resume();
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify({ Response: { Error: error, RequestId: "r-1" } }));
  });
  servers.push(server);
  return server;
}

function read(body: unknown, statusCode = 200) {
  const answer: Answer = { statusCode, date: undefined, retryAfter: undefined, body: JSON.stringify(body) };
  return interpretAnswer(answer, NOW);
}

/** "Error" and each known code under any mix of cases. */
const errorKey = fc.mixedCase(fc.constant("error"));
const code = fc.oneof(fc.constantFrom(...KNOWN_CODES), fc.mixedCase(fc.constantFrom(...KNOWN_CODES)), fc.string());
const errorValue = fc.oneof(
  fc.jsonValue().filter((value) => value !== null),
  fc.record({ Code: fc.oneof(code, fc.jsonValue()), Message: fc.oneof(fc.string(), fc.jsonValue()) }),
  fc.record({ Code: code, Message: fc.string() }),
);
const status = fc.oneof(fc.constantFrom(200, 429, 503, 500), fc.integer({ min: 100, max: 599 }));

describe("any non-null Error is an error", () => {
  it.each(HOSTILE_ERRORS.map((error) => [JSON.stringify(error), error]))(
    "Error %s is InvalidResponse, never a result",
    (_shown, error) => {
      const result = read({ Response: { Error: error, RequestId: "r" } });
      expect(result.ok).toBe(false);
      if (!result.ok) expect([result.error.code, result.error.requestId]).toEqual(["InvalidResponse", "r"]);
    },
  );

  it("property: under any spelling of the key, any JSON value but null, any status: never ok; the code read only from {Code, Message} text", () => {
    fc.assert(
      fc.property(errorKey, errorValue, status, fc.dictionary(fc.string(), fc.jsonValue()), (key, error, at, rest) => {
        const response = { ...rest, RequestId: "r", [key]: error };
        const result = read({ Response: response }, at);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        const readable =
          key === "Error" &&
          typeof error === "object" &&
          error !== null &&
          typeof (error as { Code?: unknown }).Code === "string" &&
          typeof (error as { Message?: unknown }).Message === "string";
        expect(result.error.code).toBe(readable ? (error as { Code: string }).Code : "InvalidResponse");
      }),
      propertyOptions(300),
    );
  });

  it("property: 'surely not applied' comes from the code alone, and only a throttling code lets a start be sent again", () => {
    fc.assert(
      fc.property(errorValue, status, status, (error, first, second) => {
        const one = read({ Response: { Error: error, RequestId: "r" } }, first);
        const other = read({ Response: { Error: error, RequestId: "r" } }, second);
        if (one.ok || other.ok) throw new Error("an Error read as a result");
        expect(one.error.maybeApplied).toBe(other.error.maybeApplied);
        // What the retry loop resends for a non-idempotent action: retryable and surely not applied,
        // which only a throttling refusal or a signature refused for its time is.
        if (one.error.retryable && !one.error.maybeApplied) {
          expect(one.error.code).toMatch(/^(RequestLimitExceeded(\..*)?|AuthFailure\.SignatureExpire)$/);
        }
      }),
      propertyOptions(300),
    );
  });

  it("an HTTP 429 carrying FailedOperation is that refusal, never retried; a bare 429 may have been applied", () => {
    const refused = read({ Response: { Error: { Code: "FailedOperation", Message: "m" }, RequestId: "r" } }, 429);
    expect(refused.ok || [refused.error.kind, refused.error.retryable]).toEqual(["fatal", false]);
    const bare = interpretAnswer({ statusCode: 429, date: undefined, retryAfter: undefined, body: "" }, NOW);
    expect(bare.ok || [bare.error.kind, bare.error.maybeApplied]).toEqual(["throttled", true]);
  });
});

describe("through the client, for every action", () => {
  const keys = new Credentials("AKIDanswer", "answer-key");

  it.each(ACTIONS)("%s: each hostile Error is an InvalidResponse error", async (action) => {
    for (const error of HOSTILE_ERRORS) {
      const server = await answering(error);
      const dts = createDtsClient({ endpoint: server.url, credentials: keys, requestTimeoutMs: 2_000 });
      const result = await dts.call(action, { JobId: "dts-1ewjspuw" });
      await dts.close();
      expect(result.ok ? "result" : result.error.code).toBe("InvalidResponse");
    }
  });

  it("STS AssumeRole: an Error of 0 is a refusal, never credentials", async () => {
    const server = await answering(0);
    const request = { roleArn: "qcs::cam::uin/1:roleName/r", sessionName: "s" };
    const sts = { endpoint: new URL(server.url), sleep: async () => {} };
    const thrown = await assumeRole(sts, keys, request).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(ApiError);
    expect((thrown as ApiError).code).toBe("InvalidResponse");
  });
});

describe("the official SDK (tencentcloud-sdk-nodejs-common) on the same answers", () => {
  // abstract_client.js parseResponse: `if (data.Response.Error)` then `tcError.code = Error.Code`.
  // It reads any truthy Error as an error, whatever its shape, and lets a falsy one (0, "", false)
  // through as success; dts-gate reads every non-null one as an error.
  async function sdkOutcome(error: unknown): Promise<string> {
    const server = await answering(error);
    const url = new URL(server.url);
    const client = new CommonClient(url.host, "2021-12-06", {
      credential: { secretId: "AKIDsdk", secretKey: "sdk-key" },
      region: "ap-guangzhou",
      profile: { httpProfile: { endpoint: url.host, protocol: "http://", reqTimeout: 5 } },
    });
    return client.request("StartMigrateJob", { JobId: "dts-1ewjspuw" }).then(
      () => "success",
      (thrown: { code?: unknown }) => `error ${String(thrown.code)}`,
    );
  }

  it("errs on a truthy Error of any shape, passes a falsy one", async () => {
    expect(await sdkOutcome({ Code: 403 })).toBe("error 403");
    expect(await sdkOutcome("denied")).toBe("error undefined");
    expect(await sdkOutcome({})).toBe("error undefined");
    expect(await sdkOutcome([])).toBe("error undefined");
    expect(await sdkOutcome(0)).toBe("success");
    expect(read({ Response: { Error: 0, RequestId: "r" } }).ok).toBe(false);
  });
});

describe("end to end: a StartMigrateJob answer carrying an Error never reads as a start", () => {
  it.each(HOSTILE_ERRORS.map((error) => [JSON.stringify(error), error]))(
    "Error %s: the gate does not open and reports no start",
    async (_shown, error) => {
      const sim = await startSimulator({
        answer: (request) =>
          request.action === "DescribeMigrationCheckJob"
            ? {
                body: JSON.stringify({
                  Response: { RequestId: "r", Status: "success", CheckFlag: "checkPass", StepInfo: [] },
                }),
              }
            : request.action === "StartMigrateJob"
              ? { body: JSON.stringify({ Response: { Error: error, RequestId: "s" } }) }
              : undefined,
      });
      simulators.push(sim);
      const run = await runCaptured(["wait", "dts-1ewjspuw", "--endpoint", sim.url, "--start", "--output", "json"]);
      const job = JSON.parse(run.stdout).jobs[0];
      expect(run.code).not.toBe(0);
      expect(job.started ?? null).toBeNull();
      expect(sim.arrivals.filter((arrival) => arrival.action === "StartMigrateJob")).toHaveLength(1);
    },
  );
});
