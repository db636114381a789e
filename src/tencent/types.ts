/** Shapes of DTS API 2021-12-06 as the reference documents them; every field may be null. */

export const DTS_VERSION = "2021-12-06";
export const DTS_SERVICE = "dts";

export type DtsAction = "DescribeMigrationCheckJob" | "CreateMigrateCheckJob" | "StartMigrateJob";

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

export interface RequestIdOnlyResponse {
  RequestId: string;
}

export interface ActionResponses {
  DescribeMigrationCheckJob: DescribeMigrationCheckJobResponse;
  CreateMigrateCheckJob: RequestIdOnlyResponse;
  StartMigrateJob: RequestIdOnlyResponse;
}

export const JOB_ID_PATTERN = /^dts-[a-z0-9]{8}$/;
