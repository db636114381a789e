import { describe, expect, it } from "vitest";
import type { ScenarioName } from "../../src/simulator/index.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";
import { type Json, lifecycle, MIGRATE_MS, pollFor, STEP_MS, squeeze } from "./lifecycle-helpers.js";

// Data sync jobs (sync-xxxxxxxx): their check, their start, DescribeSyncJobs, and the Sync compare
// calls, each scenario answered in kind.

const start = simulatorsClosedAfterEach();
const SYNC = "sync-1ewjspuw";

async function syncJob(scenario: ScenarioName) {
  const run = await lifecycle(start, { scenario });
  const sync = (action: string, body: Record<string, unknown> = {}) => run.call(action, { JobId: SYNC, ...body });
  return { ...run, sync };
}

const stepStatuses = (answer: Json) => answer.StepInfos.map((s: Json) => s.Status);

describe("a sync job's check: DescribeCheckSyncJobResult", () => {
  it("pass: running, then success, every step finished; no CheckFlag, no BriefMsg", async () => {
    const { sync, clock } = await syncJob("pass");
    const first = await sync("DescribeCheckSyncJobResult");
    expect(Object.keys(first)).toEqual(["RequestId", "Status", "StepCount", "StepCur", "Progress", "StepInfos"]);
    expect(first).toMatchObject({ Status: "running", StepCount: 13, StepCur: 1, Progress: 0 });
    expect(stepStatuses(first)).toEqual(["running", ...Array(12).fill("notStarted")]);
    expect(first.StepInfos[1].Progress).toBe(-1);
    clock.advance(13 * STEP_MS);
    const done = await sync("DescribeCheckSyncJobResult");
    expect(done).toMatchObject({ Status: "success", StepCur: 13, Progress: 100 });
    expect(stepStatuses(done)).toEqual(Array(13).fill("finished"));
    expect(Object.keys(done.StepInfos[0])).toEqual([
      "StepNo",
      "StepName",
      "StepId",
      "Status",
      "StartTime",
      "FinishTime",
      "Errors",
      "Warnings",
      "Progress",
    ]);
  });

  it("warning: a step with a coded warning, the peripheral check skipped", async () => {
    const { sync, clock } = await syncJob("warning");
    await sync("DescribeCheckSyncJobResult");
    clock.advance(13 * STEP_MS);
    const done = await sync("DescribeCheckSyncJobResult");
    expect(done.Status).toBe("success");
    expect(done.StepInfos[2]).toMatchObject({ Status: "finished", Errors: [] });
    expect(done.StepInfos[2].Warnings[0]).toMatchObject({ Code: "SrcPrivilegeCheck.Warning" });
    expect(done.StepInfos[12].Status).toBe("skipped");
  });

  it("not-pass: success with a failed step and coded errors; failed: the check task fails", async () => {
    const notPass = await syncJob("not-pass");
    await notPass.sync("DescribeCheckSyncJobResult");
    notPass.clock.advance(13 * STEP_MS);
    const answer = await notPass.sync("DescribeCheckSyncJobResult");
    expect(answer.Status).toBe("success");
    expect(answer.StepInfos[5].Status).toBe("failed");
    expect(answer.StepInfos[5].Errors[0]).toEqual({
      Code: "DstEmptyCheck.Failed",
      Message: expect.stringContaining("shop.orders"),
      Solution: expect.any(String),
      HelpDoc: expect.stringMatching(/^https:/),
      SkipInfo: "",
    });
    expect((await notPass.sync("StartSyncJob")).Error.Code).toBe("FailedOperation.StatusInConflict");
    expect((await notPass.sync("DescribeSyncJobs")).JobList[0].Status).toBe("CheckNotPass");
    const failed = await syncJob("failed");
    await failed.sync("DescribeCheckSyncJobResult");
    failed.clock.advance(13 * STEP_MS);
    expect((await failed.sync("DescribeCheckSyncJobResult")).Status).toBe("failed");
  });

  it("stuck: never finishes; flaky: passes with every third request refused", async () => {
    const stuck = await syncJob("stuck");
    await stuck.sync("DescribeCheckSyncJobResult");
    stuck.clock.advance(100 * STEP_MS);
    expect((await stuck.sync("DescribeCheckSyncJobResult")).Status).toBe("running");
    const flaky = await syncJob("flaky");
    const answers: Json[] = [];
    for (let i = 0; i < 6; i++) {
      answers.push(await flaky.sync("DescribeCheckSyncJobResult"));
      flaky.clock.advance(13 * STEP_MS);
    }
    expect(answers.map((a) => a?.Error?.Code ?? a?.Status)).toEqual([
      "running",
      "success",
      "RequestLimitExceeded",
      "success",
      "success",
      "InternalError",
    ]);
  });

  it("CreateCheckSyncJob runs the check again", async () => {
    const { sync, clock } = await syncJob("pass");
    await sync("DescribeCheckSyncJobResult");
    clock.advance(13 * STEP_MS);
    expect(await sync("CreateCheckSyncJob")).toEqual({ RequestId: expect.any(String) });
    expect((await sync("DescribeCheckSyncJobResult")).Status).toBe("running");
  });
});

/** The job after its check passed and StartSyncJob; answers of DescribeSyncJobs every 50 ms for `forMs`. */
async function startedSync(scenario: ScenarioName, forMs: number) {
  const job = await syncJob(scenario);
  expect((await job.sync("DescribeSyncJobs")).JobList[0].Status).toBe("Checking");
  job.clock.advance(13 * STEP_MS);
  expect((await job.sync("DescribeSyncJobs")).JobList[0].Status).toBe("CheckPass");
  expect(await job.sync("StartSyncJob")).toEqual({ RequestId: expect.any(String) });
  expect((await job.sync("StartSyncJob")).Error.Code).toBe("FailedOperation.StatusInConflict");
  const answers = (await pollFor(job.clock, () => job.sync("DescribeSyncJobs"), 50, forMs)).map((a) => a.JobList[0]);
  return { ...job, answers };
}

describe("a started sync job: DescribeSyncJobs", () => {
  it("migrate: Running through schema-init, dumper, loader, sinker, the lag falling to zero", async () => {
    const { answers } = await startedSync("migrate", MIGRATE_MS + 100);
    expect(squeeze(answers.map((a) => a.Status))).toEqual(["Running"]);
    expect(squeeze(answers.map((a) => a.Detail.StepNow))).toEqual([1, 2, 3, 4]);
    const last = answers.at(-1);
    expect(last.Detail).toMatchObject({ StepAll: 4, StepNow: 4, SecondsBehindMaster: 0, MasterSlaveDistance: 0 });
    expect(last.Detail.StepInfos.map((s: Json) => `${s.StepId}:${s.Status}`)).toEqual([
      "schema-init:finished",
      "dumper:finished",
      "loader:finished",
      "sinker:running",
    ]);
    const lags = answers.filter((a) => a.Detail.StepNow === 4).map((a) => a.Detail.SecondsBehindMaster);
    expect(lags[0]).toBeGreaterThan(0);
    expect(lags).toEqual([...lags].sort((x, y) => y - x));
    expect(JSON.stringify(answers)).not.toMatch(/password/i);
  });

  it("migrate-failed: Failed with ErrInfo; paused: Paused; lag-stuck: the lag stays above zero", async () => {
    const failed = (await startedSync("migrate-failed", 2 * MIGRATE_MS)).answers;
    expect(squeeze(failed.map((a) => a.Status))).toEqual(["Running", "Failed"]);
    expect(failed.at(-1).Detail.ErrInfo).toEqual({
      Reason: expect.any(String),
      Message: expect.stringContaining("Duplicate entry"),
      Solution: expect.any(String),
    });
    const paused = (await startedSync("paused", 2 * MIGRATE_MS)).answers;
    expect(squeeze(paused.map((a) => a.Status))).toEqual(["Running", "Paused"]);
    const stuck = (await startedSync("lag-stuck", 3 * MIGRATE_MS)).answers;
    expect(squeeze(stuck.map((a) => a.Status))).toEqual(["Running"]);
    expect(stuck.at(-1).Detail.SecondsBehindMaster).toBeGreaterThan(0);
  });

  it("runs a Sync consistency check: ids sync-xxxxxxxx-cmp-xxxxxxxx, the same shapes", async () => {
    const { sync, clock } = await startedSync("different", MIGRATE_MS);
    const { CompareTaskId } = await sync("CreateSyncCompareTask");
    expect(CompareTaskId).toMatch(/^sync-1ewjspuw-cmp-[a-z0-9]{8}$/);
    await sync("StartSyncCompare", { CompareTaskId });
    clock.advance(3 * STEP_MS);
    const tasks = await sync("DescribeSyncCompareTasks");
    expect(tasks.Items[0]).toMatchObject({ CompareTaskId, Status: "success", Conclusion: "different" });
    const report = await sync("DescribeSyncCompareReport", { CompareTaskId });
    expect(report.Abstract.DifferentTables).toBe(24);
    expect(report.Detail.Difference.TotalCount).toBe(30);
  });

  it("keeps the kinds apart: a sync id in a migration action and a dts id in a sync action are refused", async () => {
    const { call } = await syncJob("pass");
    expect((await call("DescribeMigrationDetail", { JobId: SYNC })).Error.Code).toBe("InvalidParameterValue");
    expect((await call("DescribeSyncJobs", { JobId: "dts-1ewjspuw" })).Error.Code).toBe("InvalidParameterValue");
  });
});
