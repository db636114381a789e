import { describe, expect, it } from "vitest";

import { DEFAULT_RETRY_POLICY } from "../../src/pacing/retry.js";
import { apiError, checkAnswer, step } from "../helpers/fake-client.js";
import { gateHarness, JOB, OTHER } from "../helpers/gate-harness.js";

const setup = gateHarness;

describe("runGate: waiting for one check", () => {
  it("polls until success/checkPass, one interval apart, and opens the gate", async () => {
    const { client, run } = setup();
    client.script("DescribeMigrationCheckJob", JOB, [
      checkAnswer("notStarted"),
      checkAnswer("running"),
      checkAnswer("success", "checkPass"),
    ]);
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(result.passed).toBe(true);
    expect(result.jobs[0]).toMatchObject({ outcome: "pass", polls: 3, requests: 3, elapsedMs: 10_000 });
    const times = client.calls.map((call) => call.at - (client.calls[0]?.at ?? 0));
    expect(times).toEqual([0, 5_000, 10_000]);
  });

  it("does not take success with a null or empty CheckFlag as a verdict", async () => {
    const { client, run } = setup();
    client.script("DescribeMigrationCheckJob", JOB, [
      checkAnswer("success", null),
      checkAnswer("success", ""),
      checkAnswer("success", "checkNotPass"),
    ]);
    const result = await run();
    expect(result.jobs[0]).toMatchObject({ outcome: "notPass", polls: 3 });
    expect(result.exitCode).toBe(1);
  });

  it("reports unknown Status values and polls on", async () => {
    const { client, run } = setup();
    client.script("DescribeMigrationCheckJob", JOB, [
      checkAnswer("paused"),
      checkAnswer(null, null, null),
      checkAnswer("failed"),
    ]);
    const result = await run();
    expect(result.jobs[0]?.outcome).toBe("failed");
    expect(result.jobs[0]?.notes).toContain('unexpected Status "paused"');
    expect(result.exitCode).toBe(1);
  });

  it("cuts the last sleep short so that one last poll starts at the deadline, and none after it", async () => {
    const { client, run, clock } = setup({ intervalMs: 3_000, timeoutMs: 10_000 });
    const startedAt = clock.now();
    client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("running")]);
    const result = await run();
    expect(client.calls.map((call) => call.at - startedAt)).toEqual([0, 3_000, 6_000, 9_000, 10_000]);
    expect(result.jobs[0]).toMatchObject({ outcome: "timeout", polls: 5 });
    expect(result.exitCode).toBe(3);
    expect(clock.now() - startedAt).toBe(10_000);
    expect(clock.pendingSleeps).toBe(0);
  });

  it("sees a verdict that came between the last interval's poll and the deadline (--timeout 8s --interval 5)", async () => {
    const { client, run, clock } = setup({ intervalMs: 5_000, timeoutMs: 8_000 });
    const startedAt = clock.now();
    // The check passes at 6.5 s: the poll at 5 s sees it running, the last look at 8 s sees the verdict.
    client.script("DescribeMigrationCheckJob", JOB, [
      checkAnswer("running"),
      checkAnswer("running"),
      checkAnswer("success"),
    ]);
    const result = await run();
    expect(client.calls.map((call) => call.at - startedAt)).toEqual([0, 5_000, 8_000]);
    expect(result.exitCode).toBe(0);
  });

  it("looks at the last stretch of a long wait too (--interval 5m --timeout 30m)", async () => {
    // Fixed polling (the longest gap is the interval): the script's answers come one per interval.
    const { client, run, clock } = setup({ intervalMs: 300_000, maxIntervalMs: 300_000, timeoutMs: 1_800_000 });
    const startedAt = clock.now();
    client.script("DescribeMigrationCheckJob", JOB, [
      ...Array.from({ length: 6 }, () => checkAnswer("running")),
      checkAnswer("success", "checkNotPass"),
    ]);
    const result = await run();
    expect(client.calls.at(-1)?.at).toBe(startedAt + 1_800_000);
    expect(result.jobs[0]).toMatchObject({ outcome: "notPass", polls: 7 });
  });

  it("takes one look with timeout 0", async () => {
    const { client, run } = setup({ timeoutMs: 0 });
    client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("running"), checkAnswer("success")]);
    const result = await run();
    expect(result.jobs[0]).toMatchObject({ outcome: "timeout", polls: 1 });
    const passing = setup({ timeoutMs: 0 });
    passing.client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("success", "checkPass")]);
    expect((await passing.run()).exitCode).toBe(0);
  });

  it("waits once for a job given twice", async () => {
    const { client, run } = setup({ jobIds: [JOB, JOB] });
    client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("success")]);
    const result = await run();
    expect(result.jobs).toHaveLength(1);
    expect(client.count("DescribeMigrationCheckJob")).toBe(1);
  });
});

describe("runGate: errors and retries", () => {
  it("ends a job at once on a fatal error, without retrying", async () => {
    const { client, run } = setup();
    client.script("DescribeMigrationCheckJob", JOB, [apiError("ResourceNotFound.JobNotExist")]);
    const result = await run();
    expect(result.exitCode).toBe(4);
    expect(result.jobs[0]).toMatchObject({
      outcome: "error",
      requests: 1,
      error: { code: "ResourceNotFound.JobNotExist" },
    });
  });

  it("retries throttled and transient failures as new requests, then succeeds", async () => {
    const { client, run, events } = setup();
    client.script("DescribeMigrationCheckJob", JOB, [
      apiError("RequestLimitExceeded.UinLimitExceeded"),
      apiError("InternalError.InternalErrorError"),
      apiError("NetworkError", { kind: "transient" }),
      checkAnswer("success"),
    ]);
    const result = await run();
    expect(result.jobs[0]).toMatchObject({ outcome: "pass", polls: 1, requests: 4 });
    const delays = events.flatMap((event) => (event.type === "retry" ? [event.notice.delayMs] : []));
    // random() = 0.5: half of min(cap, base·2^(n-1)); throttling starts from the larger base.
    expect(delays).toEqual([500, 250, 500]);
  });

  it("gives up after the retry budget and reports the last error", async () => {
    const { client, run } = setup();
    client.script("DescribeMigrationCheckJob", JOB, [apiError("InternalError")]);
    const result = await run();
    expect(result.jobs[0]).toMatchObject({
      outcome: "error",
      requests: DEFAULT_RETRY_POLICY.retries + 1,
      error: { code: "InternalError" },
    });
    expect(result.exitCode).toBe(4);
  });

  it("mends a clock skew once with the server's time, and fails on a second one", async () => {
    const skewed = apiError("AuthFailure.SignatureExpire", { serverTimeMs: 1_800_000_000_000 });
    const once = setup();
    once.client.script("DescribeMigrationCheckJob", JOB, [skewed, checkAnswer("success")]);
    const result = await once.run();
    expect(result.exitCode).toBe(0);
    expect(once.client.adoptedServerTimes).toEqual([1_800_000_000_000]);

    const twice = setup();
    twice.client.script("DescribeMigrationCheckJob", JOB, [skewed, skewed, checkAnswer("success")]);
    const failed = await twice.run();
    expect(failed.jobs[0]).toMatchObject({
      outcome: "error",
      requests: 2,
      error: { code: "AuthFailure.SignatureExpire" },
    });
  });

  it("explains a timeout by the last failed request", async () => {
    const { client, run } = setup({ timeoutMs: 3_000 });
    client.script("DescribeMigrationCheckJob", JOB, [
      apiError("NetworkError", { kind: "transient", message: "ECONNREFUSED" }),
    ]);
    const result = await run();
    expect(result.jobs[0]).toMatchObject({ outcome: "timeout", polls: 0 });
    expect(result.jobs[0]?.notes).toEqual(["last failed request before the timeout: NetworkError: ECONNREFUSED"]);
  });

  it("lets the worst outcome decide the exit code", async () => {
    const { client, run } = setup({ jobIds: [JOB, OTHER], timeoutMs: 4_000, failFast: false });
    client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("success", "checkNotPass")]);
    client.script("DescribeMigrationCheckJob", OTHER, [checkAnswer("running")]);
    const result = await run();
    expect(result.jobs.map((job) => job.outcome)).toEqual(["notPass", "timeout"]);
    expect(result.exitCode).toBe(3);
    expect(result.reason).toContain(OTHER);
  });

  it("stops at an interruption and reports what it knows", async () => {
    const { client, run, clock } = setup();
    client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("running")]);
    const interrupt = new AbortController();
    const pending = run(interrupt.signal);
    await new Promise((resolve) => setImmediate(resolve));
    interrupt.abort();
    const result = await pending;
    expect(result.interrupted).toBe(true);
    expect(result.passed).toBe(false);
    expect(result.jobs[0]).toMatchObject({ outcome: "error", error: { code: "Interrupted" }, status: "running" });
    expect(clock.pendingSleeps).toBe(0);
  });
});

describe("runGate: warnings, new checks and starting the migration", () => {
  const warned = checkAnswer("success", "checkPass", [
    step(0, "pass"),
    step(1, "warning", [{ result: "warning", name: "Source permissions" }]),
    step(2, "failed", [{ result: "warning", name: "Peripheral check" }], true),
  ]);

  it("closes the gate on warnings only with failOnWarning, naming the items; skipped steps do not count", async () => {
    const lenient = setup();
    lenient.client.script("DescribeMigrationCheckJob", JOB, [warned]);
    const open = await lenient.run();
    expect(open.exitCode).toBe(0);
    expect(open.jobs[0]?.warnings).toEqual([{ stepNo: 1, stepName: "Step 1", itemName: "Source permissions" }]);

    const strict = setup({ failOnWarning: true });
    strict.client.script("DescribeMigrationCheckJob", JOB, [warned]);
    const closed = await strict.run();
    expect(closed.exitCode).toBe(1);
    expect(closed.passed).toBe(false);
    expect(closed.reason).toContain("has 1 warning");
  });

  it("under failOnWarning, steps that cannot be read close the gate: a warning may hide in them", async () => {
    const hidden = [
      // A container of another type, an entry that is no object, a result word of another type.
      { ...checkAnswer("success", "checkPass"), StepInfo: { 0: { StepStatus: "warning" } } },
      { ...checkAnswer("success", "checkPass"), StepInfo: ["warning"] },
      {
        ...checkAnswer("success", "checkPass"),
        StepInfo: [{ StepNo: 1, StepStatus: "pass", DetailCheckItems: { CheckResult: "warning" } }],
      },
      {
        ...checkAnswer("success", "checkPass"),
        StepInfo: [{ StepNo: 1, StepStatus: "pass", DetailCheckItems: [{ CheckResult: ["warning"] }] }],
      },
    ];
    for (const answer of hidden) {
      const strict = setup({ failOnWarning: true });
      strict.client.script("DescribeMigrationCheckJob", JOB, [answer]);
      const closed = await strict.run();
      expect(closed.exitCode, JSON.stringify(answer)).toBe(1);
      const lenient = setup();
      lenient.client.script("DescribeMigrationCheckJob", JOB, [answer]);
      const open = await lenient.run();
      expect(open.exitCode).toBe(0);
      expect(open.jobs[0]?.warnings.map((warning) => warning.itemName).join()).toContain("could not be read");
    }
    const readable = setup({ failOnWarning: true });
    readable.client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("success", "checkPass", [step(0, "pass")])]);
    expect((await readable.run()).exitCode).toBe(0);
  });

  it("creates the check first and never takes the previous result for the new one", async () => {
    const { client, run } = setup({ createCheck: true, intervalMs: 1_000 });
    client.script("CreateMigrateCheckJob", JOB, [{ RequestId: "created-1" }]);
    const stale = checkAnswer("success", "checkNotPass");
    client.script("DescribeMigrationCheckJob", JOB, [
      stale,
      { ...stale },
      checkAnswer("running"),
      checkAnswer("success", "checkPass"),
    ]);
    const result = await run();
    expect(client.calls[0]?.action).toBe("CreateMigrateCheckJob");
    expect(result.jobs[0]).toMatchObject({ outcome: "pass", polls: 4, created: { requestId: "created-1" } });
  });

  it("takes a changed result as fresh, and an unchanged one only after the grace period", async () => {
    const changed = setup({ createCheck: true, intervalMs: 1_000 });
    changed.client.script("CreateMigrateCheckJob", JOB, [{ RequestId: "c" }]);
    changed.client.script("DescribeMigrationCheckJob", JOB, [
      checkAnswer("success", "checkNotPass"),
      checkAnswer("success", "checkPass"),
    ]);
    expect((await changed.run()).jobs[0]).toMatchObject({ outcome: "pass", polls: 2 });

    const unchanged = setup({ createCheck: true, intervalMs: 1_000, staleGraceMs: 5_000 });
    unchanged.client.script("CreateMigrateCheckJob", JOB, [{ RequestId: "c" }]);
    const same = checkAnswer("success", "checkNotPass");
    unchanged.client.script("DescribeMigrationCheckJob", JOB, [same]);
    const result = await unchanged.run();
    expect(result.jobs[0]).toMatchObject({ outcome: "notPass", polls: 6 });
    expect(result.jobs[0]?.notes.join(" ")).toContain("never seen running");
  });

  it("starts every job exactly once, after every verdict, and only when all passed", async () => {
    const { client, run } = setup({ jobIds: [JOB, OTHER], start: true });
    client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("success")]);
    client.script("DescribeMigrationCheckJob", OTHER, [checkAnswer("running"), checkAnswer("success")]);
    client.script("StartMigrateJob", JOB, [{ RequestId: "start-a" }]);
    client.script("StartMigrateJob", OTHER, [{ RequestId: "start-b" }]);
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(result.jobs.map((job) => job.started?.requestId)).toEqual(["start-a", "start-b"]);
    const lastDescribe = Math.max(
      ...client.calls.filter((c) => c.action === "DescribeMigrationCheckJob").map((c) => c.at),
    );
    expect(client.calls.filter((c) => c.action === "StartMigrateJob").every((c) => c.at >= lastDescribe)).toBe(true);
    expect(client.count("StartMigrateJob")).toBe(2);

    const mixed = setup({ jobIds: [JOB, OTHER], start: true });
    mixed.client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("success")]);
    mixed.client.script("DescribeMigrationCheckJob", OTHER, [checkAnswer("success", "checkNotPass")]);
    const closed = await mixed.run();
    expect(closed.exitCode).toBe(1);
    expect(mixed.client.count("StartMigrateJob")).toBe(0);
  });

  it("never resends a start whose answer was lost, and reports what to check", async () => {
    const { client, run } = setup({ start: true });
    client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("success")]);
    client.script("StartMigrateJob", JOB, [
      apiError("RequestTimeout", { kind: "transient", maybeApplied: true }),
      { RequestId: "x" },
    ]);
    const result = await run();
    expect(client.count("StartMigrateJob")).toBe(1);
    expect(result.exitCode).toBe(4);
    expect(result.jobs[0]?.error?.code).toBe("StartOutcomeUnknown");
    expect(result.jobs[0]?.error?.message).toContain("DescribeMigrationDetail");
  });

  it("retries a start that surely was not applied, and fails on a refusal", async () => {
    const throttled = setup({ start: true });
    throttled.client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("success")]);
    throttled.client.script("StartMigrateJob", JOB, [apiError("RequestLimitExceeded"), { RequestId: "ok" }]);
    expect((await throttled.run()).jobs[0]?.started).toEqual({ requestId: "ok" });

    const refused = setup({ start: true });
    refused.client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("success")]);
    refused.client.script("StartMigrateJob", JOB, [apiError("FailedOperation.StatusInConflict")]);
    const result = await refused.run();
    expect(result.exitCode).toBe(4);
    expect(result.jobs[0]?.error).toMatchObject({ code: "FailedOperation.StatusInConflict" });
    expect(refused.client.count("StartMigrateJob")).toBe(1);
  });
});
