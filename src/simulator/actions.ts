import { type DtsAction, JOB_ID_PATTERN } from "../tencent/types.js";

/** A data sync job's id, as sync-1ewjspuw. */
export const SYNC_JOB_ID_PATTERN = /^sync-[a-z0-9]{8}$/;

export type JobKind = "migration" | "sync";

/** The kind of a job by its id; undefined when it is no job id. */
export function jobKindOf(jobId: string): JobKind | undefined {
  if (JOB_ID_PATTERN.test(jobId)) return "migration";
  return SYNC_JOB_ID_PATTERN.test(jobId) ? "sync" : undefined;
}

/** A migration or sync job id, as the simulator's `jobs` and the fault rules take them. */
export function isSimulatedJobId(jobId: string): boolean {
  return jobKindOf(jobId) !== undefined;
}

/** Whether `taskId` is a consistency check id of this job: the job id, `-cmp-`, eight characters. */
export function isCompareTaskIdOf(jobId: string, taskId: string): boolean {
  return taskId.startsWith(`${jobId}-cmp-`) && /^[a-z0-9]{8}$/.test(taskId.slice(jobId.length + 5));
}

/** What an action takes: the kind of its JobId, and whether it names a CompareTaskId. */
export interface ActionSpec {
  readonly kind: JobKind;
  readonly compareTaskId: "required" | "optional" | "none";
}

const migration = (compareTaskId: ActionSpec["compareTaskId"] = "none"): ActionSpec => ({
  kind: "migration",
  compareTaskId,
});
const sync = (compareTaskId: ActionSpec["compareTaskId"] = "none"): ActionSpec => ({ kind: "sync", compareTaskId });

/** Every DTS action the simulator serves. */
export const ACTION_SPECS: Readonly<Record<DtsAction, ActionSpec>> = {
  DescribeMigrationCheckJob: migration(),
  CreateMigrateCheckJob: migration(),
  StartMigrateJob: migration(),
  DescribeMigrationDetail: migration(),
  CompleteMigrateJob: migration(),
  CreateCompareTask: migration(),
  StartCompare: migration("required"),
  DescribeCompareTasks: migration("optional"),
  DescribeCompareReport: migration("required"),
  CreateCheckSyncJob: sync(),
  DescribeCheckSyncJobResult: sync(),
  StartSyncJob: sync(),
  DescribeSyncJobs: sync(),
  CreateSyncCompareTask: sync(),
  StartSyncCompare: sync("required"),
  DescribeSyncCompareTasks: sync("optional"),
  DescribeSyncCompareReport: sync("required"),
};

export function isServedAction(action: string): action is DtsAction {
  return Object.hasOwn(ACTION_SPECS, action);
}
