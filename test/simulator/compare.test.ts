import { describe, expect, it } from "vitest";
import type { SimulatorOptions } from "../../src/simulator/index.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";
import { JOB } from "./helpers.js";
import { type Json, lifecycle, MIGRATE_MS, pollFor, STEP_MS, squeeze } from "./lifecycle-helpers.js";

// Consistency checks of a migration: CreateCompareTask, StartCompare, DescribeCompareTasks,
// DescribeCompareReport, only while the migration runs or is ready.

const start = simulatorsClosedAfterEach();
const TASK_ID = /^dts-1ewjspuw-cmp-[a-z0-9]{8}$/;

/** A started migration `atMs` after its start (default: ready). */
async function migrating(options: SimulatorOptions, afterStartMs = MIGRATE_MS) {
  const run = await lifecycle(start, options);
  await run.call("DescribeMigrationDetail");
  run.clock.advance(13 * STEP_MS);
  expect((await run.call("CreateCompareTask")).Error.Code).toBe("FailedOperation.StatusInConflict");
  await run.call("StartMigrateJob");
  run.clock.advance(afterStartMs);
  const compare = (action: string, body: Record<string, unknown> = {}) => run.call(action, { JobId: JOB, ...body });
  return { ...run, compare };
}

describe("a migration's consistency check", () => {
  it("is created, started, runs and ends success/same; the job's detail follows it", async () => {
    const { compare, clock } = await migrating({ scenario: "migrate" });
    const created = await compare("CreateCompareTask");
    expect(created).toEqual({ RequestId: expect.any(String), CompareTaskId: expect.stringMatching(TASK_ID) });
    const CompareTaskId = created.CompareTaskId;
    const listed = await compare("DescribeCompareTasks", { CompareTaskId });
    expect(listed.TotalCount).toBe(1);
    expect(listed.Items[0]).toMatchObject({ JobId: JOB, CompareTaskId, Status: "created", Conclusion: "" });
    expect((await compare("DescribeMigrationDetail")).CompareTask).toEqual({ CompareTaskId, Status: "unstart" });
    expect((await compare("DescribeCompareReport", { CompareTaskId })).Error.Code).toBe(
      "FailedOperation.StatusInConflict",
    );
    expect(await compare("StartCompare", { CompareTaskId })).toEqual({ RequestId: expect.any(String) });
    expect((await compare("StartCompare", { CompareTaskId })).Error.Code).toBe("FailedOperation.StatusInConflict");
    const answers = await pollFor(clock, () => compare("DescribeCompareTasks", { CompareTaskId }), 5, 3 * STEP_MS);
    expect(squeeze(answers.map((a) => a.Items[0].Status))).toEqual(["running", "success"]);
    expect(squeeze(answers.map((a) => a.Items[0].CompareProcess.StepNow))).toEqual([1, 2, 3]);
    const done = answers.at(-1).Items[0];
    expect(done.Conclusion).toBe("same");
    expect(done.FinishedAt).not.toBe("0000-00-00 00:00:00");
    expect((await compare("DescribeMigrationDetail")).CompareTask).toEqual({ CompareTaskId, Status: "consistent" });
    const report = await compare("DescribeCompareReport", { CompareTaskId });
    expect(report.Abstract).toMatchObject({ Status: "success", Conclusion: "same", DifferentTables: 0 });
    expect(report.Detail.Difference).toEqual({ TotalCount: 0, Items: [] });
  });

  it("different: differing tables in three databases, 30 differences, paged by DifferenceLimit/Offset", async () => {
    const { compare, clock } = await migrating({ scenario: "different" });
    const { CompareTaskId } = await compare("CreateCompareTask");
    await compare("StartCompare", { CompareTaskId });
    clock.advance(3 * STEP_MS);
    expect((await compare("DescribeCompareTasks")).Items[0].Conclusion).toBe("different");
    const report = await compare("DescribeCompareReport", { CompareTaskId });
    expect(report.Abstract).toMatchObject({ Conclusion: "different", DifferentTables: 24 });
    const items: Json[] = report.Detail.Difference.Items;
    expect(report.Detail.Difference.TotalCount).toBe(30);
    expect(items).toHaveLength(30);
    expect(new Set(items.map((item) => `${item.Db}.${item.Table}`)).size).toBe(24);
    expect(new Set(items.map((item) => item.Db))).toEqual(new Set(["shop", "billing", "crm"]));
    const page = await compare("DescribeCompareReport", { CompareTaskId, DifferenceLimit: 20, DifferenceOffset: 20 });
    expect(page.Detail.Difference.TotalCount).toBe(30);
    expect(page.Detail.Difference.Items).toEqual(items.slice(20));
    expect((await compare("DescribeMigrationDetail")).CompareTask.Status).toBe("inconsistent");
  });

  it("runs while the migration is running, not once it has failed", async () => {
    const running = await migrating({ scenario: "migrate" }, MIGRATE_MS / 2);
    expect((await running.compare("DescribeMigrationDetail")).Status).toBe("running");
    expect((await running.compare("CreateCompareTask")).CompareTaskId).toMatch(TASK_ID);
    const failed = await migrating({ scenario: "migrate-failed" }, 3 * MIGRATE_MS);
    expect((await failed.compare("CreateCompareTask")).Error.Code).toBe("FailedOperation.StatusInConflict");
  });

  it("answers a task id it has not seen (given to a gate directly) as started then, after the job's scenario", async () => {
    const { compare, clock } = await migrating({ scenario: "different" });
    const CompareTaskId = `${JOB}-cmp-8yv4w2i1`;
    expect((await compare("StartCompare", { CompareTaskId })).Error.Code).toBe("ResourceNotFound");
    const first = await compare("DescribeCompareTasks", { CompareTaskId });
    expect(first.Items[0]).toMatchObject({ CompareTaskId, Status: "running" });
    clock.advance(3 * STEP_MS);
    expect((await compare("DescribeCompareTasks", { CompareTaskId })).Items[0]).toMatchObject({
      Status: "success",
      Conclusion: "different",
    });
  });

  it("wants a CompareTaskId of the request's job", async () => {
    const { compare } = await migrating({ scenario: "migrate" });
    expect((await compare("StartCompare")).Error.Code).toBe("MissingParameter");
    expect((await compare("DescribeCompareReport", { CompareTaskId: "dts-abcdefgh-cmp-8yv4w2i1" })).Error.Code).toBe(
      "InvalidParameterValue",
    );
    expect((await compare("DescribeCompareTasks", { CompareTaskId: 7 })).Error.Code).toBe("InvalidParameterValue");
  });
});
