import type { DtsAction } from "../tencent/types.js";

/**
 * What an id names, and so which DTS actions the gate calls for it: a migration job
 * (`dts-xxxxxxxx`), a data sync job (`sync-xxxxxxxx`) or a consistency check of either
 * (`dts-xxxxxxxx-cmp-xxxxxxxx`, `sync-xxxxxxxx-cmp-xxxxxxxx`), judged as it is.
 */
export type JobKind = "migration" | "sync" | "compare";

const MIGRATION_ID = /^dts-[a-z0-9]{8}$/;
const SYNC_ID = /^sync-[a-z0-9]{8}$/;
const COMPARE_ID = /^((?:dts|sync)-[a-z0-9]{8})-cmp-[a-z0-9]{8}$/;

/** The kind an id names; undefined when it names none. */
export function kindOfId(id: string): JobKind | undefined {
  if (MIGRATION_ID.test(id)) return "migration";
  if (SYNC_ID.test(id)) return "sync";
  return COMPARE_ID.test(id) ? "compare" : undefined;
}

/** The actions of one kind of job: a migration's, or their twins for a data sync job. */
export interface JobActions {
  readonly check: DtsAction;
  readonly createCheck: "CreateMigrateCheckJob" | "CreateCheckSyncJob";
  readonly start: "StartMigrateJob" | "StartSyncJob";
  readonly run: DtsAction;
  readonly createCompare: "CreateCompareTask" | "CreateSyncCompareTask";
  readonly startCompare: "StartCompare" | "StartSyncCompare";
  readonly describeCompare: DtsAction;
  readonly compareReport: DtsAction;
}

export const MIGRATION_ACTIONS: JobActions = {
  check: "DescribeMigrationCheckJob",
  createCheck: "CreateMigrateCheckJob",
  start: "StartMigrateJob",
  run: "DescribeMigrationDetail",
  createCompare: "CreateCompareTask",
  startCompare: "StartCompare",
  describeCompare: "DescribeCompareTasks",
  compareReport: "DescribeCompareReport",
};

export const SYNC_ACTIONS: JobActions = {
  check: "DescribeCheckSyncJobResult",
  createCheck: "CreateCheckSyncJob",
  start: "StartSyncJob",
  run: "DescribeSyncJobs",
  createCompare: "CreateSyncCompareTask",
  startCompare: "StartSyncCompare",
  describeCompare: "DescribeSyncCompareTasks",
  compareReport: "DescribeSyncCompareReport",
};

/** A consistency check as the API names it: the job it belongs to, and its own id. */
export interface CompareTarget {
  readonly jobId: string;
  readonly taskId: string;
  readonly actions: JobActions;
}

/** The job part of a compare task id and the actions of its kind; undefined for any other id. */
export function compareTargetOf(taskId: string): CompareTarget | undefined {
  const jobId = COMPARE_ID.exec(taskId)?.[1];
  if (jobId === undefined) return undefined;
  return { jobId, taskId, actions: jobId.startsWith("sync-") ? SYNC_ACTIONS : MIGRATION_ACTIONS };
}

/** The actions of a migration or sync job id (a compare task's are those of its job). */
export function actionsOf(id: string): JobActions {
  return (compareTargetOf(id)?.jobId ?? id).startsWith("sync-") ? SYNC_ACTIONS : MIGRATION_ACTIONS;
}
