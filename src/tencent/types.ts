/**
 * Shapes of DTS API 2021-12-06 as the reference documents them; every field may be null. An answer
 * arrives as an `ApiAnswer` (only its RequestId is known to be a string) and becomes a
 * typed view through its phase's one validating step alone (src/core/phases/).
 */

export const DTS_VERSION = "2021-12-06";
export const DTS_SERVICE = "dts";

export type DtsAction =
  | "DescribeMigrationCheckJob"
  | "CreateMigrateCheckJob"
  | "StartMigrateJob"
  | "DescribeMigrationDetail"
  | "CompleteMigrateJob"
  | "CreateCompareTask"
  | "StartCompare"
  | "DescribeCompareTasks"
  | "DescribeCompareReport"
  | "CreateCheckSyncJob"
  | "DescribeCheckSyncJobResult"
  | "StartSyncJob"
  | "DescribeSyncJobs"
  | "CreateSyncCompareTask"
  | "StartSyncCompare"
  | "DescribeSyncCompareTasks"
  | "DescribeSyncCompareReport";

export interface CheckStepDetail {
  CheckItemName: string | null;
  Description: string | null;
  CheckResult: string | null;
  FailureReason: string | null;
  Solution: string | null;
  ErrorLog: string[] | null;
  HelpDoc: string[] | null;
  SkipInfo: string | null;
}

export interface CheckStep {
  StepNo: number | null;
  StepId: string | null;
  StepName: string | null;
  StepStatus: string | null;
  StepMessage: string | null;
  HasSkipped: boolean | null;
  DetailCheckItems: CheckStepDetail[] | null;
}

export interface DescribeMigrationCheckJobResponse {
  Status: string | null;
  BriefMsg: string | null;
  StepInfo: CheckStep[] | null;
  CheckFlag: string | null;
  RequestId: string;
}

/** The `Response` object of a successful answer, as parsed: nothing but its RequestId is trusted. */
export interface ApiAnswer {
  readonly RequestId: string;
  readonly [field: string]: unknown;
}

/** What the client hands back for each action: the gate reads DescribeMigrationCheckJob's through the view. */
export interface ActionResponses {
  DescribeMigrationCheckJob: ApiAnswer;
  CreateMigrateCheckJob: ApiAnswer;
  StartMigrateJob: ApiAnswer;
  DescribeMigrationDetail: ApiAnswer;
  CompleteMigrateJob: ApiAnswer;
  CreateCompareTask: ApiAnswer;
  StartCompare: ApiAnswer;
  DescribeCompareTasks: ApiAnswer;
  DescribeCompareReport: ApiAnswer;
  CreateCheckSyncJob: ApiAnswer;
  DescribeCheckSyncJobResult: ApiAnswer;
  StartSyncJob: ApiAnswer;
  DescribeSyncJobs: ApiAnswer;
  CreateSyncCompareTask: ApiAnswer;
  StartSyncCompare: ApiAnswer;
  DescribeSyncCompareTasks: ApiAnswer;
  DescribeSyncCompareReport: ApiAnswer;
}

export const JOB_ID_PATTERN = /^dts-[a-z0-9]{8}$/;
