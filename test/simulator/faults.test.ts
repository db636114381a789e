import { describe, expect, it } from "vitest";
import { FAULT_KINDS, type FaultRule, parseFaultSpec } from "../../src/simulator/index.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";
import { errorCode, JOB, OTHER_JOB, post, rawPost, until } from "./helpers.js";

const start = simulatorsClosedAfterEach({ scenario: "pass", stepMs: 0, createLagMs: 0 });

async function failure(promise: Promise<unknown>): Promise<{ code?: string; name?: string }> {
  return promise.then(
    () => ({ code: "NO FAILURE" }),
    (e: { code?: string; name?: string }) => e,
  );
}

describe("fault kinds at the HTTP level", () => {
  it("throttle: RequestLimitExceeded envelope", async () => {
    const s = await start({ faults: [{ kind: "throttle" }] });
    expect(await errorCode(s.url)).toBe("RequestLimitExceeded");
    expect(await errorCode(s.url)).toBeUndefined();
    expect(s.arrivals.map((a) => a.code)).toEqual(["throttle", undefined]);
  });

  it("internal: InternalError envelope", async () => {
    const s = await start({ faults: [{ kind: "internal" }] });
    const answer = await post(s.url);
    expect(answer.status).toBe(200);
    expect(answer.json.Response.Error.Code).toBe("InternalError");
    expect(answer.json.Response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("denied: UnauthorizedOperation envelope, the action not performed", async () => {
    const s = await start({ faults: [{ kind: "denied", action: "StartMigrateJob" }], scenario: "pass" });
    const answer = await post(s.url, { action: "StartMigrateJob" });
    expect(answer.json.Response.Error.Code).toBe("UnauthorizedOperation");
    expect(s.startCount(JOB)).toBe(0);
    expect(s.arrivals.map((a) => a.code)).toEqual(["denied"]);
  });

  it("http502: HTTP 502 with an HTML body and a Date header", async () => {
    const s = await start({ faults: [{ kind: "http502" }] });
    const answer = await post(s.url);
    expect(answer.status).toBe(502);
    expect(answer.headers["content-type"]).toBe("text/html");
    expect(answer.text).toContain("<title>502 Bad Gateway</title>");
    expect(answer.json).toBeUndefined();
    expect(Number.isNaN(Date.parse(String(answer.headers.date)))).toBe(false);
  });

  it("reset: the socket is destroyed without an answer", async () => {
    const s = await start({ faults: [{ kind: "reset" }] });
    const error = await failure(post(s.url));
    expect(["UND_ERR_SOCKET", "ECONNRESET"]).toContain(error.code);
    expect(await errorCode(s.url)).toBeUndefined();
  });

  it("stall: no answer at all; close() still returns promptly", async () => {
    const s = await start({ faults: [{ kind: "stall", count: Number.POSITIVE_INFINITY }] });
    const error = await failure(post(s.url, { timeoutMs: 300 }));
    expect(error.name).toBe("TimeoutError");
    const pending = rawPost(s.url).then(
      () => "answered",
      (e: { code?: string }) => e.code,
    );
    await until(() => s.arrivals.length === 2);
    // A close() that waited for the stalled request would fail the test by its timeout.
    await s.close();
    expect(await pending).toBe("ECONNRESET");
  });

  it("truncated: Content-Length of the full JSON, half the bytes, then the socket closed", async () => {
    const s = await start({ faults: [{ kind: "truncated" }] });
    const answer = await rawPost(s.url);
    expect(answer.status).toBe(200);
    const declared = Number(answer.headers["content-length"]);
    expect(declared).toBeGreaterThan(1000);
    expect(answer.complete).toBe(false);
    expect(answer.body.length).toBe(Math.floor(declared / 2));
    expect(answer.body.toString().startsWith('{"Response":{"RequestId":"')).toBe(true);
  });

  it("invalidJson: 200 with a broken JSON body", async () => {
    const s = await start({ faults: [{ kind: "invalidJson" }] });
    const answer = await post(s.url);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('{"Response": {');
    expect(answer.headers["content-type"]).toBe("application/json");
  });

  it("emptyBody: 200 with an empty body", async () => {
    const s = await start({ faults: [{ kind: "emptyBody" }] });
    const answer = await post(s.url);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("");
    expect(answer.headers["content-length"]).toBe("0");
  });

  it("nullFields: a valid Describe answer with the four fields null", async () => {
    const s = await start({ faults: [{ kind: "nullFields" }] });
    const answer = await post(s.url);
    expect(answer.json.Response).toEqual({
      RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      CheckFlag: null,
      BriefMsg: null,
      Status: null,
      StepInfo: null,
    });
  });

  it("nullFields on the lifecycle's answers: every field but RequestId null, a bare RequestId unchanged", async () => {
    const s = await start({ faults: [{ kind: "nullFields", count: 2 }] });
    const detail = await post(s.url, { action: "DescribeMigrationDetail" });
    expect(detail.json.Response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    const { RequestId: _, ...fields } = detail.json.Response;
    expect(Object.keys(fields)).toContain("StepInfo");
    expect(Object.values(fields).every((value) => value === null)).toBe(true);
    const created = await post(s.url, { action: "CreateMigrateCheckJob" });
    expect(created.json.Response).toEqual({ RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });
});

describe("fault rules", () => {
  it("match by job and action, let `after` through, fire `count` times", async () => {
    const s = await start();
    s.injectFault({ kind: "throttle", jobId: JOB, action: "DescribeMigrationCheckJob", after: 1, count: 2 });
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) codes.push(await errorCode(s.url));
    expect(codes).toEqual([undefined, "RequestLimitExceeded", "RequestLimitExceeded", undefined]);
    s.injectFault({ kind: "internal", jobId: JOB, count: Number.POSITIVE_INFINITY });
    expect(await errorCode(s.url, { body: { JobId: OTHER_JOB } })).toBeUndefined();
    for (let i = 0; i < 3; i++) expect(await errorCode(s.url)).toBe("InternalError");
  });

  it("count only requests that pass authentication and validation", async () => {
    const s = await start({ faults: [{ kind: "internal" }] });
    expect(await errorCode(s.url, { secretKey: "bad" })).toBe("AuthFailure.SignatureFailure");
    expect(await errorCode(s.url, { body: { JobId: "nope" } })).toBe("InvalidParameterValue");
    expect(await errorCode(s.url)).toBe("InternalError");
  });

  it("refusals leave the action undone; lost answers come after it was applied", async () => {
    const s = await start({ faults: [{ kind: "throttle", action: "StartMigrateJob" }] });
    expect(await errorCode(s.url, { action: "StartMigrateJob" })).toBe("RequestLimitExceeded");
    expect(s.startCount(JOB)).toBe(0);
    s.injectFault({ kind: "reset", action: "StartMigrateJob" });
    const error = await failure(post(s.url, { action: "StartMigrateJob" }));
    expect(["UND_ERR_SOCKET", "ECONNRESET"]).toContain(error.code);
    expect(s.startCount(JOB)).toBe(1);
    expect(await errorCode(s.url, { action: "StartMigrateJob" })).toBe("FailedOperation.StatusInConflict");
    expect(s.arrivals.map((a) => a.code)).toEqual(["throttle", "reset", "FailedOperation.StatusInConflict"]);
  });

  it("reject a bad programmatic rule", async () => {
    const s = await start();
    expect(() => s.injectFault({ kind: "meltdown" } as unknown as FaultRule)).toThrow(/unknown fault kind "meltdown"/);
    expect(() => s.injectFault({ kind: "reset", count: 0 })).toThrow(/count/);
  });
});

describe("parseFaultSpec", () => {
  it.each([
    ["throttle", { kind: "throttle" }],
    ["reset:dts-1ewjspuw", { kind: "reset", jobId: "dts-1ewjspuw" }],
    ["stall@2", { kind: "stall", after: 2 }],
    ["internal:dts-abcdefgh@1x3", { kind: "internal", jobId: "dts-abcdefgh", after: 1, count: 3 }],
    ["http502x*", { kind: "http502", count: Number.POSITIVE_INFINITY }],
    ["truncated:dts-x1234567x2", { kind: "truncated", jobId: "dts-x1234567", count: 2 }],
    ["nullFields@0x1", { kind: "nullFields", after: 0, count: 1 }],
    ["stall:sync-x1234567x2", { kind: "stall", jobId: "sync-x1234567", count: 2 }],
  ])("%s", (spec, rule) => {
    expect(parseFaultSpec(spec)).toEqual(rule);
  });

  it.each([
    ["boom", /unknown fault kind "boom"/],
    ["", /invalid fault spec/],
    ["reset:job-1", /"job-1" is not a job id/],
    ["stall@-1", /AFTER "-1"/],
    ["throttlex0", /COUNT "0"/],
    ["throttlexy", /COUNT "y"/],
  ])("refuses %j", (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(message);
    expect(() => parseFaultSpec(spec)).toThrow(FAULT_KINDS.join(", "));
  });
});

describe("flaky scenario", () => {
  it("refuses every third request in turn, never two in a row, and still passes", async () => {
    const s = await start({ scenario: "flaky" });
    const seen: string[] = [];
    for (let i = 0; i < 12; i++) {
      const answer = await post(s.url);
      seen.push(answer.status === 502 ? "502" : (answer.json.Response.Error?.Code ?? answer.json.Response.CheckFlag));
    }
    expect(seen).toEqual([
      "checkPass",
      "checkPass",
      "RequestLimitExceeded",
      "checkPass",
      "checkPass",
      "InternalError",
      "checkPass",
      "checkPass",
      "502",
      "checkPass",
      "checkPass",
      "RequestLimitExceeded",
    ]);
    expect(s.arrivals.map((a) => a.code).slice(0, 9)).toEqual([
      undefined,
      undefined,
      "RequestLimitExceeded",
      undefined,
      undefined,
      "InternalError",
      undefined,
      undefined,
      "http502",
    ]);
    // Counted per job.
    expect(await errorCode(s.url, { body: { JobId: OTHER_JOB } })).toBeUndefined();
  });

  it("lets a client that retries start the migration", async () => {
    const s = await start({ scenario: "flaky" });
    let attempts = 0;
    for (const action of ["CreateMigrateCheckJob", "DescribeMigrationCheckJob"]) {
      expect(await errorCode(s.url, { action })).toBeUndefined();
    }
    for (;;) {
      attempts += 1;
      const answer = await post(s.url, { action: "StartMigrateJob" });
      if (answer.status === 200 && answer.json.Response.Error === undefined) break;
      expect(attempts).toBeLessThan(3);
    }
    expect(attempts).toBe(2);
    expect(s.startCount(JOB)).toBe(1);
  });
});
