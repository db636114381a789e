import { readCompareReport } from "./compare-report.js";
import { type CompareTarget, compareTargetOf } from "./job-kind.js";
import type { JobRecord } from "./job-record.js";
import { comparePhase } from "./phases/compare.js";
import type { StageRun } from "./stage-run.js";
import { clean, plural } from "./text.js";
import type { Outcome } from "./verdict.js";

/** How a wait ends that did not see the task end. */
const UNJUDGED: ReadonlySet<Outcome> = new Set(["timeout", "cancelled", "error"]);

/** Differing tables a reason names at most: the report lists more. */
const TABLES_IN_REASON = 3;

/**
 * A consistency check of one job that is ready: CreateCompareTask (sent at most once), StartCompare,
 * then the task judged as a given task id is. The job keeps its outcome when the data is the same.
 */
export async function compareJob(run: StageRun, record: JobRecord): Promise<void> {
  const passOutcome = record.outcome ?? "ready";
  if (passOutcome === "done") {
    record.outcome = "failed";
    record.closedReason = `${record.jobId}: the migration ended (success) before a consistency check could run, so its data was not compared`;
    run.concluded(record);
    return;
  }
  const created = await run.sendOnce(record, record.actions.createCompare);
  if (!created) return run.concluded(record);
  const taskId = clean(typeof created.CompareTaskId === "string" ? created.CompareTaskId : "");
  const target = compareTargetOf(taskId);
  if (target === undefined || target.jobId !== record.jobId) {
    record.fail("error", {
      code: "InvalidResponse",
      message: `${record.actions.createCompare} answered no consistency check of ${record.jobId} (CompareTaskId ${JSON.stringify(taskId)})`,
    });
    return run.concluded(record);
  }
  record.compareSeen({
    taskId,
    found: true,
    status: null,
    conclusion: null,
    message: null,
    percent: null,
    requestId: "",
  });
  const params = { JobId: target.jobId, CompareTaskId: taskId };
  if (!(await run.sendOnce(record, record.actions.startCompare, params))) return run.concluded(record);
  await judgeCompareTask(run, record, target, passOutcome);
}

/**
 * Waits for a consistency check to end and judges it; once it ended, its report gives the counts and
 * the differing tables. `passOutcome`: what the job reaches when the data is the same.
 */
export async function judgeCompareTask(
  run: StageRun,
  record: JobRecord,
  target: CompareTarget,
  passOutcome: Outcome,
): Promise<void> {
  await run.waitThrough(record, comparePhase(record, target, passOutcome));
  // Only a task the wait saw end has a report: a wait stopped before (deadline, signal) reads none.
  const judged = record.outcome !== undefined && !UNJUDGED.has(record.outcome);
  if (judged && record.compare?.status === "success") {
    await readCompareReport((...args) => run.send(...args), record, target);
  }
  if (record.outcome === "different") record.closedReason = differentReason(record);
  run.concluded(record);
}

/** "dts-…: the data differs in 24 tables (shop.orders, shop.order_items, shop.customers, …)". */
function differentReason(record: JobRecord): string {
  const compare = record.compare;
  const differences = compare?.differences ?? [];
  const count = Math.max(compare?.differentTables ?? 0, differences.length);
  const named = differences
    .slice(0, TABLES_IN_REASON)
    .map(({ db, table }) => [db, table].filter((part) => part).join("."));
  const more = count > named.length ? ", …" : "";
  const tables = named.length > 0 ? ` (${named.join(", ")}${more})` : "";
  return `${record.jobId}: the data differs${count > 0 ? ` in ${plural(count, "table")}` : ""}${tables}`;
}
