import { describe, expect, it } from "vitest";
import { toJsonDocument } from "../../src/output/report.js";
import { ApiError, LOCAL_CODES } from "../../src/tencent/errors.js";
import { apiError, migrationAnswer } from "../helpers/fake-client.js";
import { gateHarness, JOB, OTHER } from "../helpers/gate-harness.js";
import { compareReportAnswer, compareTasksAnswer } from "../helpers/kind-answers.js";

const DETAIL = "DescribeMigrationDetail";
const TASK = `${JOB}-cmp-37skmii9`;
const TASK_B = `${OTHER}-cmp-abcd1234`;
const ready = () => migrationAnswer("readyComplete", { allowed: ["complete"] });
const compared = { compare: true, settleMs: 0, timeoutMs: 120_000 } as const;

/** A job ready at once whose consistency check runs once, then ends as given. */
function scriptCompare(
  client: ReturnType<typeof gateHarness>["client"],
  jobId: string,
  taskId: string,
  status: string,
  conclusion: string,
) {
  client.script(DETAIL, jobId, [ready()]);
  client.script("CreateCompareTask", jobId, [{ CompareTaskId: taskId, RequestId: `create-${jobId}` }]);
  client.script("StartCompare", jobId, [{ RequestId: `start-${jobId}` }]);
  client.script("DescribeCompareTasks", jobId, [
    compareTasksAnswer(taskId, "running"),
    compareTasksAnswer(taskId, status, conclusion, "the task's message"),
  ]);
  client.script("DescribeCompareReport", jobId, [
    compareReportAnswer(conclusion === "different" ? [["shop", "orders"]] : []),
  ]);
}

describe("--compare", () => {
  it("creates, starts and waits for one consistency check per ready job; opens on success and same", async () => {
    const { client, run } = gateHarness({ ...compared, jobIds: [JOB, OTHER] });
    scriptCompare(client, JOB, TASK, "success", "same");
    scriptCompare(client, OTHER, TASK_B, "success", "same");
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(result.jobs.map((job) => job.outcome)).toEqual(["ready", "ready"]);
    const order = client.calls.filter((call) => call.jobId === JOB).map((call) => call.action);
    expect(order).toEqual([
      DETAIL,
      "CreateCompareTask",
      "StartCompare",
      "DescribeCompareTasks",
      "DescribeCompareTasks",
      "DescribeCompareReport",
    ]);
    const polls = client.calls.filter((call) => call.action === "DescribeCompareTasks" && call.jobId === JOB);
    expect(polls[0]?.params).toEqual({ JobId: JOB, CompareTaskId: TASK });
    expect(toJsonDocument(result).jobs[0]).toMatchObject({
      phase: "compare",
      compare: { taskId: TASK, status: "success", conclusion: "same", differentTables: 0, differences: [] },
    });
  });

  it("implies --until ready: a watched migration is waited for before its data is compared", async () => {
    const { client, run } = gateHarness(compared);
    client.script(DETAIL, JOB, [migrationAnswer("running"), ready()]);
    scriptCompare(client, JOB, TASK, "success", "same");
    client.script(DETAIL, JOB, [migrationAnswer("running"), ready()]);
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(client.count(DETAIL)).toBe(2);
    expect(client.count("DescribeMigrationCheckJob")).toBe(0);
  });

  it.each([
    ["success", "different", "different", /the data differs in 1 table \(shop\.orders\)/],
    ["success", "skipAll", "failed", /compared nothing/],
    ["failed", "", "failed", /is failed \(the task's message\)/],
    ["canceled", "", "failed", /is canceled/],
  ])(
    "Status %s with Conclusion %j closes the gate: exit 1, outcome %s",
    async (status, conclusion, outcome, reason) => {
      const { client, run } = gateHarness(compared);
      scriptCompare(client, JOB, TASK, status, conclusion);
      const result = await run();
      expect(result.exitCode).toBe(1);
      expect(result.jobs[0]?.outcome).toBe(outcome);
      expect(result.reason).toMatch(reason);
    },
  );

  it("with --complete: CompleteMigrateJob only after every job's data was found the same", async () => {
    const cutover = { ...compared, complete: true, until: "done", jobIds: [JOB, OTHER] } as const;
    const same = gateHarness(cutover);
    scriptCompare(same.client, JOB, TASK, "success", "same");
    scriptCompare(same.client, OTHER, TASK_B, "success", "same");
    for (const jobId of [JOB, OTHER]) {
      same.client.script(DETAIL, jobId, [ready(), migrationAnswer("success")]);
      same.client.script("CompleteMigrateJob", jobId, [{ RequestId: `complete-${jobId}` }]);
    }
    const opened = await same.run();
    expect(opened.exitCode).toBe(0);
    expect(opened.jobs.map((job) => job.outcome)).toEqual(["done", "done"]);
    const firstComplete = same.client.calls.findIndex((call) => call.action === "CompleteMigrateJob");
    const lastReport = same.client.calls.findLastIndex((call) => call.action === "DescribeCompareReport");
    expect(firstComplete).toBeGreaterThan(lastReport);

    const differs = gateHarness({ ...cutover, failFast: false });
    scriptCompare(differs.client, JOB, TASK, "success", "same");
    scriptCompare(differs.client, OTHER, TASK_B, "success", "different");
    differs.client.script("CompleteMigrateJob", JOB, [{ RequestId: "never" }]);
    const closed = await differs.run();
    expect(closed.exitCode).toBe(1);
    expect(differs.client.count("CompleteMigrateJob")).toBe(0);
  });

  it("CreateCompareTask is never sent twice: a lost answer is CompareCreateOutcomeUnknown, exit 4", async () => {
    const { client, run } = gateHarness(compared);
    client.script(DETAIL, JOB, [ready()]);
    client.script("CreateCompareTask", JOB, [apiError("InternalError"), { CompareTaskId: TASK, RequestId: "late" }]);
    const result = await run();
    expect(client.count("CreateCompareTask")).toBe(1);
    expect(result.exitCode).toBe(4);
    expect(result.jobs[0]?.error?.code).toBe("CompareCreateOutcomeUnknown");
    expect(result.reason).toMatch(/^gate closed: CreateCompareTask was sent for dts-1ewjspuw/);
  });

  it("a refusal surely not applied is sent again, at most three sends in all", async () => {
    const { client, run } = gateHarness(compared);
    scriptCompare(client, JOB, TASK, "success", "same");
    client.script("CreateCompareTask", JOB, [
      apiError("RequestLimitExceeded"),
      { CompareTaskId: TASK, RequestId: "after-throttle" },
    ]);
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(client.count("CreateCompareTask")).toBe(2);
  });

  it("a deadline while CreateCompareTask is in flight: CompareCreateOutcomeUnknown", async () => {
    const { client, clock, run } = gateHarness({ ...compared, timeoutMs: 20_000 });
    client.script(DETAIL, JOB, [ready()]);
    client.script("CreateCompareTask", JOB, [
      async (signal) => {
        await clock.sleep(3_600_000, signal).catch(() => {});
        return new ApiError({ kind: "fatal", code: LOCAL_CODES.aborted, message: "cancelled", maybeApplied: true });
      },
    ]);
    const result = await run();
    expect(result.exitCode).toBe(4);
    expect(result.jobs[0]?.error?.code).toBe("CompareCreateOutcomeUnknown");
  });

  it("is never started once any job closed the gate", async () => {
    const { client, run } = gateHarness({ ...compared, jobIds: [JOB, OTHER], failFast: false });
    client.script(DETAIL, JOB, [ready()]);
    client.script(DETAIL, OTHER, [migrationAnswer("failed")]);
    client.script("CreateCompareTask", JOB, [{ CompareTaskId: TASK, RequestId: "never" }]);
    const result = await run();
    expect(result.exitCode).toBe(1);
    expect(client.count("CreateCompareTask")).toBe(0);
  });
});

describe("--compare and the migration's end", () => {
  it("with --until done and no --complete: compared when ready, then waited for until done", async () => {
    const { client, run } = gateHarness({ ...compared, until: "done" });
    scriptCompare(client, JOB, TASK, "success", "same");
    client.script(DETAIL, JOB, [ready(), migrationAnswer("completing"), migrationAnswer("success")]);
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(result.jobs[0]?.outcome).toBe("done");
    const actions = client.calls.map((call) => call.action);
    expect(actions.indexOf("StartCompare")).toBeLessThan(actions.lastIndexOf(DETAIL));
  });

  it("a migration that ended before it could be compared closes the gate: its data was not compared", async () => {
    const { client, run } = gateHarness(compared);
    client.script(DETAIL, JOB, [migrationAnswer("success")]);
    const result = await run();
    expect(result.exitCode).toBe(1);
    expect(client.count("CreateCompareTask")).toBe(0);
    expect(result.reason).toContain("its data was not compared");
  });
});

describe("a consistency check given by its id", () => {
  it("is polled with its job's id and its own, and judged as --compare judges it", async () => {
    const { client, run } = gateHarness({ jobIds: [TASK] });
    client.script("DescribeCompareTasks", JOB, [
      compareTasksAnswer(TASK, "running"),
      compareTasksAnswer(TASK, "success", "same"),
    ]);
    client.script("DescribeCompareReport", JOB, [compareReportAnswer([])]);
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(result.jobs[0]).toMatchObject({ jobId: TASK, kind: "compare", outcome: "pass" });
    expect(client.calls[0]?.params).toEqual({ JobId: JOB, CompareTaskId: TASK });
    expect(client.count("DescribeMigrationCheckJob")).toBe(0);
  });

  it("of a sync job: DescribeSyncCompareTasks and DescribeSyncCompareReport", async () => {
    const sync = "sync-1ewjspuw";
    const task = `${sync}-cmp-37skmii9`;
    const { client, run } = gateHarness({ jobIds: [task] });
    client.script("DescribeSyncCompareTasks", sync, [compareTasksAnswer(task, "success", "different")]);
    client.script("DescribeSyncCompareReport", sync, [compareReportAnswer([["crm", "leads"]])]);
    const result = await run();
    expect(result.exitCode).toBe(1);
    expect(result.jobs[0]?.outcome).toBe("different");
    expect(result.jobs[0]?.compare?.differences).toEqual([{ db: "crm", table: "leads" }]);
  });

  it("waits while the task is not listed, and never opens on a Conclusion other than same", async () => {
    const { client, run } = gateHarness({ jobIds: [TASK], timeoutMs: 20_000 });
    client.script("DescribeCompareTasks", JOB, [
      { TotalCount: 0, Items: [], RequestId: "none" },
      compareTasksAnswer(TASK, "success", "Same"),
    ]);
    const result = await run();
    expect(result.jobs[0]?.outcome).toBe("timeout");
    expect(client.count("DescribeCompareReport")).toBe(0);
    expect(result.exitCode).toBe(3);
  });

  it("reads the report page by page, distinct tables only, within a bound", async () => {
    const { client, run } = gateHarness({ jobIds: [TASK] });
    client.script("DescribeCompareTasks", JOB, [compareTasksAnswer(TASK, "success", "different")]);
    const page = compareReportAnswer(
      Array.from({ length: 100 }, (_, index) => ["db", `t${Math.floor(index / 2)}`] as const),
      5000,
    );
    client.script("DescribeCompareReport", JOB, [page]);
    const result = await run();
    expect(client.count("DescribeCompareReport")).toBe(10);
    const offsets = client.calls
      .filter((call) => call.action === "DescribeCompareReport")
      .map((call) => call.params.DifferenceOffset);
    expect(offsets).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(result.jobs[0]?.compare?.differences).toHaveLength(50);
    expect(result.jobs[0]?.compare?.differentTables).toBe(5000);
  });
});
