import type { CheckStep, CheckStepDetail } from "../tencent/types.js";
import { beijingTime, NOT_YET } from "./beijing-time.js";
import { LOAD_ERROR_INFO } from "./migration.js";
import type { CheckView, ScenarioName } from "./scenarios.js";
import { type Course, planOf, progressAt, type StepProgress } from "./timeline.js";

/** The steps of a data sync job, ids as in Tencent's example. */
const SYNC_STEPS = [
  { StepId: "schema-init", StepName: "Initialise the structure" },
  { StepId: "dumper", StepName: "Export the source data" },
  { StepId: "loader", StepName: "Import the data into the target" },
  { StepId: "sinker", StepName: "Synchronise the incremental changes" },
] as const;
const LOAD_STEP = 2;
export const SYNC_STEP_COUNT = SYNC_STEPS.length;

/** Codes, messages and solutions of a sync check's step items (the check API puts them on the step). */
function tip(step: CheckStep, item: CheckStepDetail) {
  const failed = item.CheckResult === "failed";
  return {
    Code: `${step.StepId ?? "Check"}.${failed ? "Failed" : "Warning"}`,
    Message: item.FailureReason || (item.ErrorLog ?? []).join("; "),
    Solution: item.Solution ?? "",
    HelpDoc: item.HelpDoc?.[0] ?? "",
    SkipInfo: item.SkipInfo ?? "",
  };
}

function syncStepStatus(step: CheckStep, running: boolean): string {
  if (step.StepStatus === "notStarted") return running ? "running" : "notStarted";
  if (step.StepStatus === "failed") return step.HasSkipped ? "skipped" : "failed";
  return "finished";
}

/**
 * DescribeCheckSyncJobResult's answer (without RequestId) for the check as the migration check
 * shows it: the same steps and items, worded as the sync API words them (no CheckFlag, no BriefMsg;
 * steps `finished` or `skipped`, their items as Errors and Warnings with codes). `ends`: the check
 * steps' end times from `checkStartMs`.
 */
export function syncCheckResult(check: CheckView, checkStartMs: number, ends: readonly number[]) {
  const steps = check.StepInfo ?? [];
  const done = steps.filter((step) => step.StepStatus !== "notStarted").length;
  const running = check.Status === "running";
  return {
    Status: check.Status,
    StepCount: steps.length,
    StepCur: running ? Math.min(done + 1, steps.length) : done,
    Progress: steps.length === 0 ? 0 : Math.floor((100 * done) / steps.length),
    StepInfos: steps.map((step, index) => {
      const status = syncStepStatus(step, running && index === done);
      const items = step.DetailCheckItems ?? [];
      const started = status !== "notStarted";
      const ended = started && status !== "running";
      return {
        StepNo: step.StepNo,
        StepName: step.StepName,
        StepId: step.StepId,
        Status: status,
        StartTime: started ? beijingTime(checkStartMs + (ends[index - 1] ?? 0)) : NOT_YET,
        FinishTime: ended ? beijingTime(checkStartMs + (ends[index] ?? 0)) : NOT_YET,
        Errors: items.filter((item) => item.CheckResult === "failed").map((item) => tip(step, item)),
        Warnings: items.filter((item) => item.CheckResult !== "failed").map((item) => tip(step, item)),
        Progress: ended ? 100 : started ? 0 : -1,
      };
    }),
  };
}

/** A sync job's state as far as DescribeSyncJobs depends on it. */
export interface SyncFacts {
  readonly jobId: string;
  readonly scenario: ScenarioName;
  readonly check: CheckView;
  readonly createdAtMs: number;
  readonly startedAtMs: number | undefined;
  /** Durations of SYNC_STEPS after the start. */
  readonly durations: readonly number[];
}

const COURSE_STATUS: Readonly<Record<Course, string>> = {
  running: "Running",
  ready: "Running",
  done: "Running",
  failed: "Failed",
  paused: "Paused",
};

const ALL_ACTIONS = ["Start", "Stop", "Pause", "Continue", "Resume", "Check", "Modify", "Isolate", "CreateCompareTask"];
const ACTIONS: Readonly<Record<string, readonly string[]>> = {
  Initialized: ["Check", "Modify", "Isolate"],
  Checking: [],
  CheckPass: ["Start", "Check", "Modify", "Isolate"],
  CheckNotPass: ["Check", "Modify", "Isolate"],
  Running: ["Stop", "Pause", "CreateCompareTask"],
  Failed: ["Stop", "Resume", "Isolate"],
  Paused: ["Stop", "Continue"],
};

function beforeStart(check: CheckView): string {
  if (check.Status === "notStarted") return "Initialized";
  if (check.Status === "running") return "Checking";
  const failedStep = (check.StepInfo ?? []).some((step) => step.StepStatus === "failed" && !step.HasSkipped);
  return check.Status === "success" && !failedStep ? "CheckPass" : "CheckNotPass";
}

/** The sync job's status now: Initialized, Checking, CheckPass, CheckNotPass, Running, Failed or Paused. */
export function syncStatus(facts: SyncFacts, atMs: number): string {
  return syncState(facts, atMs).status;
}

function syncState(facts: SyncFacts, atMs: number) {
  if (facts.startedAtMs === undefined) return { status: beforeStart(facts.check), progress: undefined };
  const scenario = facts.scenario === "migrate-full" ? "migrate" : facts.scenario;
  const progress = progressAt(planOf(scenario, true, LOAD_STEP), facts.durations, facts.startedAtMs, atMs);
  return { status: COURSE_STATUS[progress.course], progress };
}

function syncStep(step: StepProgress | undefined, index: number, failed: boolean) {
  const meta = SYNC_STEPS[index] ?? { StepId: "", StepName: "" };
  const state = step?.state ?? "notStarted";
  return {
    StepNo: index + 1,
    StepName: meta.StepName,
    StepId: meta.StepId,
    Status: state === "success" ? "finished" : state,
    StartTime: beijingTime(step?.startMs),
    FinishTime: beijingTime(step?.finishMs),
    Errors: failed
      ? [
          {
            Code: LOAD_ERROR_INFO.Code,
            Message: LOAD_ERROR_INFO.ErrorLog,
            Solution: LOAD_ERROR_INFO.Solution,
            HelpDoc: LOAD_ERROR_INFO.HelpDoc,
            SkipInfo: "",
          },
        ]
      : [],
    Warnings: [],
    Progress: state === "notStarted" ? -1 : (step?.percent ?? 0),
  };
}

function endpoint(role: "src" | "dst") {
  return {
    Region: "ap-guangzhou",
    Role: "",
    DbKernel: "",
    InstanceId: role === "src" ? "cdb-src0abcd" : "cdb-dst0wxyz",
    Ip: role === "src" ? "10.0.0.12" : "10.0.1.25",
    Port: 3306,
    User: "dts_sync",
    DbName: "",
    EngineVersion: "8.0",
    AccountMode: "self",
    EncryptConn: "UnEncrypted",
    DatabaseNetEnv: "TencentVPC",
  };
}

/** One SyncJobInfo of DescribeSyncJobs' JobList, in the SDK's key order (no password anywhere). */
export function syncJobInfo(facts: SyncFacts, atMs: number): Record<string, unknown> {
  const { status, progress } = syncState(facts, atMs);
  const steps = progress?.steps ?? [];
  const current = steps[(progress?.stepNow ?? 1) - 1];
  const failed = status === "Failed";
  const overall = steps.reduce((sum, step) => sum + step.percent, 0) / SYNC_STEP_COUNT;
  return {
    JobId: facts.jobId,
    JobName: `dts-gate-sim-${facts.jobId}`,
    PayMode: "PostPay",
    RunMode: "Immediate",
    ExpectRunTime: NOT_YET,
    AllActions: [...ALL_ACTIONS],
    Actions: [...(ACTIONS[status] ?? [])],
    Options: { InitType: "Full", DealOfExistSameTable: "ReportErrorAfterCheck", ConflictHandleType: "ReportError" },
    Objects: { Mode: "Partial", Databases: [{ DbName: "shop", DbMode: "All", TableMode: "All" }] },
    Specification: "M",
    ExpireTime: NOT_YET,
    SrcRegion: "ap-guangzhou",
    SrcDatabaseType: "mysql",
    SrcAccessType: "cdb",
    SrcInfo: endpoint("src"),
    SrcNodeType: "simple",
    SrcInfos: null,
    DstRegion: "ap-guangzhou",
    DstDatabaseType: "mysql",
    DstAccessType: "cdb",
    DstInfo: endpoint("dst"),
    DstNodeType: "simple",
    DstInfos: null,
    CreateTime: beijingTime(facts.createdAtMs),
    StartTime: beijingTime(facts.startedAtMs),
    Status: status,
    EndTime: failed ? beijingTime(progress?.sinceMs) : NOT_YET,
    Tags: [],
    Detail: {
      StepAll: SYNC_STEP_COUNT,
      StepNow: progress?.stepNow ?? 0,
      Progress: Math.floor(overall),
      CurrentStepProgress: current?.percent ?? 0,
      MasterSlaveDistance: progress?.gapMB ?? -1,
      SecondsBehindMaster: progress?.lagSeconds ?? -1,
      Message: failed ? LOAD_ERROR_INFO.ErrorLog : "",
      StepInfos: Array.from({ length: SYNC_STEP_COUNT }, (_, index) =>
        syncStep(steps[index], index, failed && steps[index]?.state === "failed"),
      ),
      CauseOfCompareDisable: "",
      ErrInfo: failed
        ? { Reason: LOAD_ERROR_INFO.Code, Message: LOAD_ERROR_INFO.ErrorLog, Solution: LOAD_ERROR_INFO.Solution }
        : { Reason: "", Message: "", Solution: "" },
    },
    TradeStatus: "Normal",
    InstanceClass: "medium",
    AutoRenew: 0,
    OfflineTime: NOT_YET,
    OptObjStatus: "",
    AutoRetryTimeRangeMinutes: 0,
    DumperResumeCtrl: "no",
  };
}
