import { describe, expect, it } from "vitest";
import { START_MAX_SENDS } from "../../src/core/gate.js";
import type { RequestLimiter } from "../../src/pacing/limiter.js";
import { DEFAULT_RETRY_POLICY } from "../../src/pacing/retry.js";

import { ApiError, LOCAL_CODES } from "../../src/tencent/errors.js";
import { apiError, checkAnswer } from "../helpers/fake-client.js";
import { gateHarness, JOB, OTHER } from "../helpers/gate-harness.js";
import type { VirtualClock } from "../helpers/virtual-clock.js";

const setup = gateHarness;

/** An exchange that answers only when its signal aborts, as the real client does: Aborted, maybe applied. */
function neverAnswers(clock: VirtualClock) {
  return async (signal: AbortSignal | undefined) => {
    await clock.sleep(3_600_000, signal).catch(() => {});
    return new ApiError({ kind: "fatal", code: LOCAL_CODES.aborted, message: "request cancelled", maybeApplied: true });
  };
}

describe("fail-fast", () => {
  it("stops polling the other jobs once one closed the gate, and reports them cancelled", async () => {
    const { client, clock, run } = setup({ jobIds: [JOB, OTHER] });
    client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("running"), checkAnswer("success", "checkNotPass")]);
    client.script("DescribeMigrationCheckJob", OTHER, [checkAnswer("running")]);
    const startedAt = clock.now();
    const result = await run();
    expect(result.jobs.map((job) => job.outcome)).toEqual(["notPass", "cancelled"]);
    expect(result.exitCode).toBe(1);
    // Both polled at 0 s; at 5 s JOB's verdict came first and OTHER was not polled again.
    expect(client.count("DescribeMigrationCheckJob", OTHER)).toBe(1);
    expect(clock.now() - startedAt).toBe(5_000);
  });

  it("an error ends the wait for the others at once (exit 4)", async () => {
    const { client, run } = setup({ jobIds: [JOB, OTHER] });
    client.script("DescribeMigrationCheckJob", JOB, [apiError("ResourceNotFound.JobNotExist")]);
    client.script("DescribeMigrationCheckJob", OTHER, [checkAnswer("running")]);
    const result = await run();
    expect(result.jobs.map((job) => job.outcome)).toEqual(["error", "cancelled"]);
    expect(result.exitCode).toBe(4);
  });
});

describe("the deadline", () => {
  it("makes one last poll at the deadline and none after it", async () => {
    const { client, clock, run } = setup({ timeoutMs: 10_000 });
    client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("running")]);
    const startedAt = clock.now();
    const result = await run();
    // Polls at 0 and 5 s, and the last one at the deadline; the run ends with it.
    expect(client.calls.map((call) => call.at - startedAt)).toEqual([0, 5_000, 10_000]);
    expect(result.jobs[0]).toMatchObject({ outcome: "timeout", elapsedMs: 10_000 });
    expect(clock.now() - startedAt).toBe(10_000);
  });

  it("cancels no one: every job still waiting when it comes is timed out, whichever answers first", async () => {
    const { client, clock, run } = setup({ jobIds: [JOB, OTHER], timeoutMs: 10_000 });
    client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("running")]);
    // OTHER's answers take 100 ms: its last look is still in flight when JOB's deadline is told.
    const slowRunning = async () => {
      await clock.sleep(100);
      return checkAnswer("running");
    };
    client.script("DescribeMigrationCheckJob", OTHER, [slowRunning]);
    const result = await run();
    expect(result.jobs.map((job) => job.outcome)).toEqual(["timeout", "timeout"]);
    expect(result.exitCode).toBe(3);
  });
});

describe("StartMigrateJob is always reported once sent", () => {
  it("the deadline while it is in flight: StartOutcomeUnknown, exit 4, never a plain timeout", async () => {
    const { client, clock, run } = setup({ start: true, timeoutMs: 10_000 });
    client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("success", "checkPass")]);
    client.script("StartMigrateJob", JOB, [neverAnswers(clock)]);
    const result = await run();
    expect(result.exitCode).toBe(4);
    expect(result.jobs[0]).toMatchObject({ outcome: "error", startRequests: 1, started: null });
    expect(result.jobs[0]?.error?.code).toBe("StartOutcomeUnknown");
    expect(result.jobs[0]?.error?.message).toContain("timeout");
    expect(result.reason).toContain("StartOutcomeUnknown");
  });

  it("an interruption while it is in flight: StartOutcomeUnknown", async () => {
    const { client, clock, run } = setup({ start: true });
    client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("success", "checkPass")]);
    client.script("StartMigrateJob", JOB, [neverAnswers(clock)]);
    const interrupt = new AbortController();
    void clock.sleep(2_000).then(() => interrupt.abort());
    const result = await run(interrupt.signal);
    expect(result.interrupted).toBe(true);
    expect(result.jobs[0]?.error?.code).toBe("StartOutcomeUnknown");
    expect(result.jobs[0]?.error?.message).toContain("interrupted");
    // The last line says so too, not merely "interrupted".
    expect(result.reason).toContain("StartOutcomeUnknown");
  });

  it("stopped while it still waits for the limiter: StartNotSent, nothing was sent", async () => {
    // Lets the poll through, then holds every request until its signal aborts.
    let granted = 0;
    const holdsAfterOne: RequestLimiter = {
      schedule: (task, { signal }) =>
        granted++ === 0
          ? task()
          : new Promise((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason), { once: true })),
      stop: async () => {},
    };
    const { client, run } = setup({ start: true, timeoutMs: 10_000 }, holdsAfterOne);
    client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("success", "checkPass")]);
    client.script("StartMigrateJob", JOB, [{ RequestId: "never" }]);
    const result = await run();
    expect(client.count("StartMigrateJob")).toBe(0);
    expect(result.exitCode).toBe(4);
    expect(result.jobs[0]).toMatchObject({ outcome: "error", startRequests: 0, started: null });
    expect(result.jobs[0]?.error?.code).toBe("StartNotSent");
  });

  it(`a throttled start is sent at most ${START_MAX_SENDS} times, and the report says so`, async () => {
    const { client, run } = setup({ start: true });
    client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("success", "checkPass")]);
    client.script("StartMigrateJob", JOB, [apiError("RequestLimitExceeded", { maybeApplied: false })]);
    const result = await run();
    expect(client.count("StartMigrateJob")).toBe(START_MAX_SENDS);
    expect(result.jobs[0]).toMatchObject({ outcome: "error", startRequests: START_MAX_SENDS, started: null });
    expect(result.jobs[0]?.error?.code).toBe("RequestLimitExceeded");
    expect(result.jobs[0]?.error?.message).toContain("not started");
    expect(result.jobs[0]?.notes.join(" ")).toContain(`sent ${START_MAX_SENDS} times`);
  });

  it("a lost answer is never sent again", async () => {
    const { client, run } = setup({ start: true });
    client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("success", "checkPass")]);
    client.script("StartMigrateJob", JOB, [apiError("RequestTimeout", { kind: "transient", maybeApplied: true })]);
    const result = await run();
    expect(client.count("StartMigrateJob")).toBe(1);
    expect(result.jobs[0]?.error?.code).toBe("StartOutcomeUnknown");
  });

  it("a failure that is no result after the start was sent still reports the start (and never throws)", async () => {
    const { client, run } = setup({ start: true });
    client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("success", "checkPass")]);
    client.script("StartMigrateJob", JOB, [
      async () => {
        throw new TypeError("boom after sending");
      },
    ]);
    const result = await run();
    expect(result.exitCode).toBe(4);
    expect(result.jobs[0]).toMatchObject({ startRequests: 1, started: null });
    expect(result.jobs[0]?.error?.code).toBe("StartOutcomeUnknown");
  });
});

describe("a failure that is no result", () => {
  it("ends the run with exit 4 and every job reported, without throwing", async () => {
    const { client, run } = setup({ jobIds: [JOB, OTHER] });
    client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("running")]);
    // No script for OTHER: the fake throws, as a bug would.
    const result = await run();
    expect(result.exitCode).toBe(4);
    expect(result.passed).toBe(false);
    expect(result.jobs.map((job) => job.jobId)).toEqual([JOB, OTHER]);
    expect(result.jobs.map((job) => job.error?.code)).toEqual(["UnexpectedError", "UnexpectedError"]);
    expect(result.reason).toContain("no script for");
  });
});

describe("Retry-After", () => {
  it("is honoured, and capped at the backoff's maximum", async () => {
    const { client, clock, run } = setup();
    client.script("DescribeMigrationCheckJob", JOB, [
      apiError("HttpError", { kind: "throttled", retryAfterMs: 7_000, httpStatus: 429 }),
      apiError("HttpError", { kind: "transient", retryAfterMs: 3_600_000, httpStatus: 503 }),
      checkAnswer("success", "checkPass"),
    ]);
    const startedAt = clock.now();
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(client.calls.map((call) => call.at - startedAt)).toEqual([0, 7_000, 7_000 + DEFAULT_RETRY_POLICY.capMs]);
  });
});

describe("answers of an unexpected shape", () => {
  it("are read, noted, and never taken for a verdict", async () => {
    const { client, run } = setup({ timeoutMs: 0 });
    client.script("DescribeMigrationCheckJob", JOB, [
      { RequestId: "r1", Status: ["success"], CheckFlag: { checkPass: true }, StepInfo: "13 steps", BriefMsg: 5 },
    ]);
    const result = await run();
    expect(result.jobs[0]).toMatchObject({
      outcome: "timeout",
      status: '["success"]',
      checkFlag: '{"checkPass":true}',
      briefMsg: "5",
      stepInfo: null,
    });
    expect(result.jobs[0]?.notes.join(" ")).toContain("StepInfo was a string, not an array");
  });
});

describe("the reason", () => {
  it("names five jobs and counts the rest, however many timed out", async () => {
    const jobIds = Array.from({ length: 8 }, (_, i) => `dts-aaaaaaa${i}`);
    const { client, run } = setup({ jobIds, timeoutMs: 0 });
    for (const jobId of jobIds) client.script("DescribeMigrationCheckJob", jobId, [checkAnswer("running")]);
    const result = await run();
    expect(result.reason).toContain(`${jobIds.slice(0, 5).join(", ")} and 3 more`);
    expect(result.reason).not.toContain(jobIds[7]);
  });
});

describe("after CreateMigrateCheckJob", () => {
  it("the doubt about the previous check's result leaves the report once the new check was seen running", async () => {
    const { client, events, run } = setup({ createCheck: true });
    client.script("CreateMigrateCheckJob", JOB, [{ RequestId: "created" }]);
    const old = checkAnswer("success", "checkNotPass");
    client.script("DescribeMigrationCheckJob", JOB, [old, checkAnswer("running"), checkAnswer("success", "checkPass")]);
    const result = await run();
    expect(result.jobs[0]?.outcome).toBe("pass");
    expect(result.jobs[0]?.notes.join(" ")).not.toContain("may be from before the new check");
    const firstPoll = events.find((event) => event.type === "poll");
    expect(firstPoll).toMatchObject({ state: "waiting", stale: true });
  });
});
