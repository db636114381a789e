import { describe, expect, it } from "vitest";
import { toJsonDocument } from "../../src/output/report.js";
import { ApiError, LOCAL_CODES } from "../../src/tencent/errors.js";
import { apiError, migrationAnswer } from "../helpers/fake-client.js";
import { gateHarness, JOB, OTHER } from "../helpers/gate-harness.js";
import type { VirtualClock } from "../helpers/virtual-clock.js";

const DETAIL = "DescribeMigrationDetail";
const COMPLETE = "CompleteMigrateJob";
const ready = () => migrationAnswer("readyComplete", { allowed: ["complete"] });
const cutover = { until: "done", complete: true, settleMs: 0, timeoutMs: 120_000 } as const;

/** An exchange that answers only when its signal aborts, as the real client does: Aborted, maybe applied. */
function neverAnswers(clock: VirtualClock) {
  return async (signal: AbortSignal | undefined) => {
    await clock.sleep(3_600_000, signal).catch(() => {});
    return new ApiError({ kind: "fatal", code: LOCAL_CODES.aborted, message: "request cancelled", maybeApplied: true });
  };
}

describe("CompleteMigrateJob", () => {
  it("is sent once per job, only when every job is ready, without CompleteMode; then the wait goes on to success", async () => {
    const { client, clock, run } = gateHarness({ ...cutover, jobIds: [JOB, OTHER] });
    const startedAt = clock.now();
    client.script(DETAIL, JOB, [ready(), ready(), ready(), migrationAnswer("completing"), migrationAnswer("success")]);
    client.script(DETAIL, OTHER, [
      migrationAnswer("running"),
      migrationAnswer("running"),
      ready(),
      migrationAnswer("success"),
    ]);
    client.script(COMPLETE, JOB, [{ RequestId: "complete-a" }]);
    client.script(COMPLETE, OTHER, [{ RequestId: "complete-b" }]);
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(result.jobs.map((job) => job.outcome)).toEqual(["done", "done"]);
    const completes = client.calls.filter((call) => call.action === COMPLETE);
    expect(completes.map((call) => call.jobId).sort()).toEqual([JOB, OTHER].sort());
    expect(completes.map((call) => call.params)).toEqual([{ JobId: JOB }, { JobId: OTHER }]);
    // OTHER was ready at 10 s: no job was completed before.
    expect(completes.every((call) => call.at - startedAt === 10_000)).toBe(true);
    expect(result.reason).toBe("gate open: all 2 migrations are done");
    const json = toJsonDocument(result).jobs[0];
    expect(json).toMatchObject({ phase: "complete", complete: { sent: true, requestId: "complete-a" } });
  });

  it("is never sent once any job closed the gate", async () => {
    for (const failFast of [true, false]) {
      const { client, run } = gateHarness({ ...cutover, jobIds: [JOB, OTHER], failFast });
      client.script(DETAIL, JOB, [ready()]);
      client.script(DETAIL, OTHER, [migrationAnswer("running"), migrationAnswer("manualPaused")]);
      client.script(COMPLETE, JOB, [{ RequestId: "never" }]);
      const result = await run();
      expect(client.count(COMPLETE)).toBe(0);
      expect(result.exitCode).toBe(1);
      expect(toJsonDocument(result).jobs[0]).toMatchObject({ complete: { sent: false, requestId: null } });
    }
  });

  it("a deadline while it is in flight: CompleteOutcomeUnknown, exit 4, and the reason begins with it", async () => {
    const { client, clock, run } = gateHarness({ ...cutover, timeoutMs: 20_000 });
    client.script(DETAIL, JOB, [ready()]);
    client.script(COMPLETE, JOB, [neverAnswers(clock)]);
    const result = await run();
    expect(result.exitCode).toBe(4);
    expect(result.jobs[0]?.error?.code).toBe("CompleteOutcomeUnknown");
    expect(result.jobs[0]?.error?.message).toContain("the timeout came while it was in flight");
    expect(result.reason.startsWith("CompleteOutcomeUnknown")).toBe(true);
    expect(client.count(COMPLETE)).toBe(1);
  });

  it("an interruption while it is in flight: CompleteOutcomeUnknown", async () => {
    const { client, clock, run } = gateHarness(cutover);
    client.script(DETAIL, JOB, [ready()]);
    client.script(COMPLETE, JOB, [neverAnswers(clock)]);
    const interrupt = new AbortController();
    void clock.sleep(2_000).then(() => interrupt.abort());
    const result = await run(interrupt.signal);
    expect(result.interrupted).toBe(true);
    expect(result.jobs[0]?.error?.code).toBe("CompleteOutcomeUnknown");
    expect(result.reason.startsWith("CompleteOutcomeUnknown")).toBe(true);
  });

  it("a lost answer is never sent again; a refusal surely not applied is", async () => {
    const lost = gateHarness(cutover);
    lost.client.script(DETAIL, JOB, [ready()]);
    lost.client.script(COMPLETE, JOB, [apiError("InternalError"), { RequestId: "x" }]);
    const result = await lost.run();
    expect(lost.client.count(COMPLETE)).toBe(1);
    expect(result.jobs[0]?.error?.code).toBe("CompleteOutcomeUnknown");
    expect(result.exitCode).toBe(4);

    const throttled = gateHarness(cutover);
    throttled.client.script(DETAIL, JOB, [ready(), migrationAnswer("success")]);
    throttled.client.script(COMPLETE, JOB, [apiError("RequestLimitExceeded"), { RequestId: "ok" }]);
    const done = await throttled.run();
    expect(done.jobs[0]).toMatchObject({ outcome: "done", complete: { sent: true, requestId: "ok" } });
    expect(throttled.client.count(COMPLETE)).toBe(2);
  });

  it("a job already done (no incremental phase) is not completed", async () => {
    const { client, run } = gateHarness({ ...cutover, jobIds: [JOB, OTHER] });
    client.script(DETAIL, JOB, [migrationAnswer("success")]);
    client.script(DETAIL, OTHER, [ready(), migrationAnswer("success")]);
    client.script(COMPLETE, OTHER, [{ RequestId: "b" }]);
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(client.count(COMPLETE, JOB)).toBe(0);
    expect(client.count(COMPLETE, OTHER)).toBe(1);
  });
});
