import type { DtsAction } from "../tencent/types.js";
import {
  type CompareTask,
  compareReport,
  compareState,
  compareTaskItem,
  newCompareTask,
  newCompareTaskId,
  reportPage,
} from "./compare.js";
import type { JobContext } from "./job-state.js";
import { migrationState } from "./migration.js";
import { migrationDetail } from "./migration-detail.js";
import type { ErrorAnswer, Target } from "./request.js";
import { syncCheckResult, syncJobInfo, syncStatus } from "./sync.js";

export type ActionResult = { error: ErrorAnswer } | { response: Record<string, unknown> };

/** Consistency checks kept per job; beyond, the oldest is forgotten. */
const MAX_COMPARE_TASKS = 100;

function conflict(message: string): { error: ErrorAnswer } {
  return { error: { code: "FailedOperation.StatusInConflict", message } };
}

const done = (): ActionResult => ({ response: {} });

/** CreateMigrateCheckJob, CreateCheckSyncJob: the check runs again after the lag, from step 0. */
function createCheck(ctx: JobContext): ActionResult {
  const { job, jobId, atMs } = ctx;
  if (job.started > 0) return conflict(`The job ${jobId} has started; its check cannot run again.`);
  if (ctx.isNew) {
    job.stale = undefined; // no previous check: notStarted until the lag is over
  } else {
    job.stale = ctx.check;
    job.checkNo += 1;
  }
  job.staleUntilMs = atMs + ctx.settings.createLagMs;
  job.runStartMs = atMs + ctx.settings.createLagMs;
  return done();
}

/** StartMigrateJob, StartSyncJob: only once, only after a passed check. */
function start(ctx: JobContext, passed: (ctx: JobContext) => boolean): ActionResult {
  const { job, jobId } = ctx;
  if (job.started > 0) return conflict(`The job ${jobId} has already started.`);
  if (ctx.checkIsStale || !passed(ctx)) {
    const check = ctx.check;
    const state = ctx.checkIsStale ? "being created" : `${check.Status}/${check.CheckFlag || "-"}`;
    return conflict(`The check of job ${jobId} has not passed (check ${state}); start the job after it passes.`);
  }
  job.started += 1;
  job.startedAtMs = ctx.atMs;
  return done();
}

const migrationCheckPassed = (ctx: JobContext) => {
  const check = ctx.check;
  return check.Status === "success" && check.CheckFlag === "checkPass";
};

function complete(ctx: JobContext): ActionResult {
  const status = migrationState(ctx.migrationFacts, ctx.atMs).status;
  if (status !== "readyComplete") {
    return conflict(`The migration of job ${ctx.jobId} is ${status}; it can be completed only in readyComplete.`);
  }
  ctx.job.completedAtMs = ctx.atMs;
  ctx.job.completes += 1;
  return done();
}

/** The status that allows consistency checks: the migration's, or the sync's. */
function compareAllowed(ctx: JobContext): string | undefined {
  if (ctx.job.kind === "sync") {
    const status = syncStatus(ctx.syncFacts, ctx.atMs);
    return status === "Running" ? undefined : status;
  }
  const status = migrationState(ctx.migrationFacts, ctx.atMs).status;
  return status === "running" || status === "readyComplete" ? undefined : status;
}

function refusedCompare(ctx: JobContext, status: string) {
  const allowed = ctx.job.kind === "sync" ? "Running" : "running or readyComplete";
  return conflict(`The job ${ctx.jobId} is ${status}; a consistency check needs it ${allowed}.`);
}

function addTask(ctx: JobContext, task: CompareTask): void {
  const tasks = ctx.job.compareTasks;
  if (!tasks.has(task.taskId) && tasks.size >= MAX_COMPARE_TASKS) {
    const oldest = tasks.keys().next();
    if (!oldest.done) tasks.delete(oldest.value);
  }
  tasks.set(task.taskId, task);
}

function createCompare(ctx: JobContext): ActionResult {
  const refused = compareAllowed(ctx);
  if (refused !== undefined) return refusedCompare(ctx, refused);
  const taskId = newCompareTaskId(ctx.jobId);
  addTask(ctx, newCompareTask(taskId, ctx.scenario, ctx.compareDurations(taskId), ctx.atMs, undefined));
  return { response: { CompareTaskId: taskId } };
}

function notFound(ctx: JobContext, taskId: string): { error: ErrorAnswer } {
  return { error: { code: "ResourceNotFound", message: `The job ${ctx.jobId} has no consistency check ${taskId}.` } };
}

function startCompare(ctx: JobContext, taskId: string): ActionResult {
  const task = ctx.job.compareTasks.get(taskId);
  if (task === undefined) return notFound(ctx, taskId);
  if (task.startedAtMs !== undefined) return conflict(`The consistency check ${taskId} has already started.`);
  const refused = compareAllowed(ctx);
  if (refused !== undefined) return refusedCompare(ctx, refused);
  task.startedAtMs = ctx.atMs;
  return done();
}

/**
 * The task named; one the simulator has not seen yet (an id given to a gate directly) is taken to
 * have started now, and follows its job's scenario.
 */
function seenTask(ctx: JobContext, taskId: string): CompareTask {
  const known = ctx.job.compareTasks.get(taskId);
  if (known !== undefined) return known;
  const task = newCompareTask(taskId, ctx.scenario, ctx.compareDurations(taskId), ctx.atMs, ctx.atMs);
  addTask(ctx, task);
  return task;
}

function describeCompares(ctx: JobContext, taskId: string | undefined): ActionResult {
  const tasks = taskId === undefined ? [...ctx.job.compareTasks.values()] : [seenTask(ctx, taskId)];
  const Items = tasks.reverse().map((task) => compareTaskItem(ctx.jobId, task, ctx.atMs));
  return { response: { TotalCount: Items.length, Items } };
}

function describeReport(ctx: JobContext, target: Target, taskId: string): ActionResult {
  const task = seenTask(ctx, taskId);
  const state = compareState(task, ctx.atMs);
  if (state.status !== "success") {
    return conflict(`The consistency check ${taskId} is ${state.status}; its report is ready once it succeeds.`);
  }
  const report = compareReport(task, ctx.atMs, reportPage(target.params));
  // The sync report adds the incremental check's abstract, which a one-off check does not have.
  return { response: ctx.job.kind === "sync" ? { ...report, IncAbstract: null } : report };
}

/** The CompareTaskId checkParams found (it is required for these actions). */
const taskOf = (target: Target) => target.compareTaskId ?? "";

const HANDLERS: Readonly<Record<DtsAction, (ctx: JobContext, target: Target) => ActionResult>> = {
  DescribeMigrationCheckJob: (ctx) => ({ response: { ...ctx.check } }),
  CreateMigrateCheckJob: createCheck,
  StartMigrateJob: (ctx) => start(ctx, migrationCheckPassed),
  DescribeMigrationDetail: (ctx) => ({ response: migrationDetail(ctx.migrationFacts, ctx.atMs) }),
  CompleteMigrateJob: complete,
  CreateCompareTask: createCompare,
  StartCompare: (ctx, target) => startCompare(ctx, taskOf(target)),
  DescribeCompareTasks: (ctx, target) => describeCompares(ctx, target.compareTaskId),
  DescribeCompareReport: (ctx, target) => describeReport(ctx, target, taskOf(target)),
  CreateCheckSyncJob: createCheck,
  DescribeCheckSyncJobResult: (ctx) => ({
    response: syncCheckResult(ctx.check, ctx.job.runStartMs, ctx.checkEnds),
  }),
  StartSyncJob: (ctx) => start(ctx, (c) => syncStatus(c.syncFacts, c.atMs) === "CheckPass"),
  DescribeSyncJobs: (ctx) => ({ response: { TotalCount: 1, JobList: [syncJobInfo(ctx.syncFacts, ctx.atMs)] } }),
  CreateSyncCompareTask: createCompare,
  StartSyncCompare: (ctx, target) => startCompare(ctx, taskOf(target)),
  DescribeSyncCompareTasks: (ctx, target) => describeCompares(ctx, target.compareTaskId),
  DescribeSyncCompareReport: (ctx, target) => describeReport(ctx, target, taskOf(target)),
};

/** Performs the request's action on its job. */
export function performAction(ctx: JobContext, target: Target): ActionResult {
  return HANDLERS[target.action](ctx, target);
}
