import { describe, expect, it } from "vitest";
import type { SimulatorOptions } from "../../src/simulator/index.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";
import { JOB } from "./helpers.js";
import { type Json, lifecycle, MIGRATE_MS, pollFor, STEP_MS, squeeze } from "./lifecycle-helpers.js";

// The migration after the check: StartMigrateJob, DescribeMigrationDetail, CompleteMigrateJob, each
// scenario's sequence of statuses on a clock the test moves.

const start = simulatorsClosedAfterEach();

/** Every field of DescribeMigrationDetail's answer, in the SDK's order. */
const DETAIL_FIELDS = [
  "RequestId",
  "JobId",
  "JobName",
  "CreateTime",
  "UpdateTime",
  "StartTime",
  "EndTime",
  "BriefMsg",
  "Status",
  "Action",
  "StepInfo",
  "SrcInfo",
  "DstInfo",
  "CompareTask",
  "Tags",
  "RunMode",
  "ExpectRunTime",
  "MigrateOption",
  "CheckStepInfo",
  "TradeInfo",
  "ErrorInfo",
  "DumperResumeCtrl",
  "RateLimitOption",
];

/** A job whose check has passed; `detail()` describes it. */
async function passedJob(options: SimulatorOptions) {
  const run = await lifecycle(start, options);
  const detail = () => run.call("DescribeMigrationDetail");
  await detail();
  run.clock.advance(13 * STEP_MS);
  expect((await detail()).Status).toBe("checkPass");
  return { ...run, detail };
}

const steps = (answer: Json) => answer.StepInfo.StepInfo.map((s: Json) => `${s.StepId}:${s.Status}`);

describe("DescribeMigrationDetail before the start", () => {
  it("shows created while a new check waits, checking while it runs, then checkPass or checkNotPass", async () => {
    const { call, clock } = await lifecycle(start, { scenario: "migrate", createLagMs: 50 });
    expect(await call("CreateMigrateCheckJob")).toEqual({ RequestId: expect.any(String) });
    const created = await call("DescribeMigrationDetail");
    expect(Object.keys(created)).toEqual(DETAIL_FIELDS);
    expect(created.Status).toBe("created");
    expect(created.Action.AllowedAction).toEqual(expect.arrayContaining(["check", "configure"]));
    expect(created.StepInfo).toMatchObject({
      StepAll: 3,
      StepNow: 0,
      MasterSlaveDistance: -1,
      SecondsBehindMaster: -1,
    });
    expect(created.StartTime).toBe("0000-00-00 00:00:00");
    clock.advance(50);
    expect((await call("DescribeMigrationDetail")).Status).toBe("checking");
    clock.advance(13 * STEP_MS);
    const passed = await call("DescribeMigrationDetail");
    expect(passed.Status).toBe("checkPass");
    expect(passed.Action.AllowedAction).toContain("start");
    expect(passed.CheckStepInfo.Progress).toMatchObject({ Status: "success", Percent: 100, StepAll: 13 });
    expect(passed.CompareTask).toEqual({ CompareTaskId: "", Status: "notexist" });
    expect(passed.CreateTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it("shows checkNotPass after a check that did not pass, and refuses the start", async () => {
    const { call, clock } = await lifecycle(start, { scenario: "not-pass" });
    await call("DescribeMigrationDetail");
    expect((await call("StartMigrateJob")).Error.Code).toBe("FailedOperation.StatusInConflict");
    clock.advance(13 * STEP_MS);
    expect((await call("DescribeMigrationDetail")).Status).toBe("checkNotPass");
    expect((await call("StartMigrateJob")).Error.Code).toBe("FailedOperation.StatusInConflict");
  });
});

describe("scenario migrate", () => {
  it("runs dumper, loader, sinker, the lag falls to zero, readyComplete; then completing and success", async () => {
    const { call, clock, detail, sim } = await passedJob({ scenario: "migrate" });
    expect((await call("CompleteMigrateJob")).Error.Code).toBe("FailedOperation.StatusInConflict");
    expect(await call("StartMigrateJob")).toEqual({ RequestId: expect.any(String) });
    expect((await call("StartMigrateJob")).Error.Code).toBe("FailedOperation.StatusInConflict");
    expect((await call("CreateMigrateCheckJob")).Error.Code).toBe("FailedOperation.StatusInConflict");
    const answers = await pollFor(clock, detail, 50, MIGRATE_MS + 100);
    expect(squeeze(answers.map((a) => a.Status))).toEqual(["running", "readyComplete"]);
    expect(squeeze(answers.map((a) => a.StepInfo.StepNow))).toEqual([1, 2, 3]);
    expect(squeeze(answers.map((a) => steps(a).join(" ")))).toEqual([
      "dumper:running loader:notStarted sinker:notStarted",
      "dumper:success loader:running sinker:notStarted",
      "dumper:success loader:success sinker:running",
    ]);
    // Percents rise within each step; the lag is -1 until the incremental step, then falls to 0.
    const dumper = answers.filter((a) => a.StepInfo.StepNow === 1).map((a) => a.StepInfo.StepInfo[0].Percent);
    expect(dumper).toEqual([...dumper].sort((x, y) => x - y));
    expect(new Set(dumper).size).toBeGreaterThan(2);
    const lags = answers.filter((a) => a.StepInfo.StepNow === 3).map((a) => a.StepInfo.SecondsBehindMaster);
    expect(lags[0]).toBeGreaterThan(0);
    expect(lags).toEqual([...lags].sort((x, y) => y - x));
    expect(answers.filter((a) => a.StepInfo.StepNow < 3).every((a) => a.StepInfo.SecondsBehindMaster === -1)).toBe(
      true,
    );
    const ready = answers.at(-1);
    expect(ready.StepInfo).toMatchObject({ StepAll: 3, StepNow: 3, MasterSlaveDistance: 0, SecondsBehindMaster: 0 });
    expect(ready.StepInfo.StepInfo[2]).toMatchObject({ StepId: "sinker", Status: "running", Percent: 100 });
    expect(ready.Action.AllowedAction).toContain("complete");
    expect(ready.ErrorInfo).toEqual([]);

    expect(await call("CompleteMigrateJob")).toEqual({ RequestId: expect.any(String) });
    expect(sim.completeCount(JOB)).toBe(1);
    expect((await detail()).Status).toBe("completing");
    expect((await call("CompleteMigrateJob")).Error.Code).toBe("FailedOperation.StatusInConflict");
    const after = await pollFor(clock, detail, 50, MIGRATE_MS / 5 + 50);
    expect(squeeze(after.map((a) => a.Status))).toEqual(["completing", "success"]);
    const done = after.at(-1);
    expect(steps(done)).toEqual(["dumper:success", "loader:success", "sinker:success"]);
    expect(done.EndTime).not.toBe("0000-00-00 00:00:00");
    expect(done.Action.AllowedAction).not.toContain("complete");
    expect(sim.completeCount(JOB)).toBe(1);
  });

  it("reaches readyComplete exactly migrateMs after the start", async () => {
    const { call, clock, detail } = await passedJob({ scenario: "migrate", migrateMs: 3000 });
    await call("StartMigrateJob");
    clock.advance(2999);
    expect((await detail()).Status).toBe("running");
    clock.advance(1);
    expect((await detail()).Status).toBe("readyComplete");
  });

  it("never echoes a password and keeps every documented field in every state", async () => {
    const { call, clock, detail } = await passedJob({ scenario: "migrate" });
    await call("StartMigrateJob");
    for (const answer of await pollFor(clock, detail, 100, MIGRATE_MS)) {
      expect(Object.keys(answer)).toEqual(DETAIL_FIELDS);
      expect(JSON.stringify(answer)).not.toMatch(/password/i);
      expect(Object.keys(answer.TradeInfo)).toContain("TradeStatus");
      expect(Object.keys(answer.StepInfo.StepInfo[0])).toEqual([
        "StepNo",
        "StepName",
        "StepId",
        "Status",
        "StartTime",
        "FinishTime",
        "StepMessage",
        "Percent",
        "Errors",
        "Warnings",
      ]);
    }
  });
});

describe("the other migration scenarios", () => {
  it("migrate-full: no incremental phase, success without readyComplete, CompleteMigrateJob refused", async () => {
    const { call, clock, detail } = await passedJob({ scenario: "migrate-full" });
    await call("StartMigrateJob");
    const answers = await pollFor(clock, detail, 50, MIGRATE_MS + 100);
    expect(squeeze(answers.map((a) => a.Status))).toEqual(["running", "success"]);
    const done = answers.at(-1);
    expect(done.MigrateOption.MigrateType).toBe("full");
    expect(steps(done)).toEqual(["dumper:success", "loader:success"]);
    expect(done.StepInfo.SecondsBehindMaster).toBe(-1);
    expect((await call("CompleteMigrateJob")).Error.Code).toBe("FailedOperation.StatusInConflict");
  });

  it("migrate-failed: fails during the load with ErrorInfo and the step's errors", async () => {
    const { call, clock, detail } = await passedJob({ scenario: "migrate-failed" });
    await call("StartMigrateJob");
    const answers = await pollFor(clock, detail, 50, 3 * MIGRATE_MS);
    expect(squeeze(answers.map((a) => a.Status))).toEqual(["running", "failed"]);
    const failed = answers.at(-1);
    expect(steps(failed)).toEqual(["dumper:success", "loader:failed", "sinker:notStarted"]);
    expect(failed.ErrorInfo).toEqual([
      {
        Code: expect.any(String),
        Solution: expect.any(String),
        ErrorLog: expect.any(String),
        HelpDoc: expect.any(String),
      },
    ]);
    expect(failed.StepInfo.StepInfo[1].Errors[0]).toEqual({
      Message: expect.stringContaining("shop.orders"),
      Solution: expect.any(String),
      HelpDoc: expect.any(String),
    });
    expect(failed.BriefMsg).not.toBe("");
    expect(failed.EndTime).not.toBe("0000-00-00 00:00:00");
  });

  it("lag-stuck: the incremental step never reaches zero lag, the job never readyComplete", async () => {
    const { call, clock, detail } = await passedJob({ scenario: "lag-stuck" });
    await call("StartMigrateJob");
    const answers = await pollFor(clock, detail, 100, 5 * MIGRATE_MS);
    expect(squeeze(answers.map((a) => a.Status))).toEqual(["running"]);
    const last = answers.at(-1);
    expect(last.StepInfo.StepNow).toBe(3);
    expect(last.StepInfo.SecondsBehindMaster).toBeGreaterThan(0);
    expect(last.StepInfo.MasterSlaveDistance).toBeGreaterThan(0);
    expect(last.Action.AllowedAction).not.toContain("complete");
    expect((await call("CompleteMigrateJob")).Error.Code).toBe("FailedOperation.StatusInConflict");
  });

  it("paused: manualPaused during the load, and stays so", async () => {
    const { call, clock, detail } = await passedJob({ scenario: "paused" });
    await call("StartMigrateJob");
    const answers = await pollFor(clock, detail, 50, 3 * MIGRATE_MS);
    expect(squeeze(answers.map((a) => a.Status))).toEqual(["running", "manualPaused"]);
    expect(answers.at(-1).StepInfo.StepNow).toBe(2);
    expect(answers.at(-1).Action.AllowedAction).toContain("resume");
  });

  it("pass and warning jobs migrate as migrate does once started", async () => {
    const { call, clock, detail } = await passedJob({ scenario: "warning" });
    await call("StartMigrateJob");
    clock.advance(MIGRATE_MS);
    expect((await detail()).Status).toBe("readyComplete");
  });
});
