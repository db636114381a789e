import { beijingTime, NOT_YET } from "./beijing-time.js";
import {
  LOAD_ERROR_INFO,
  type MigrationFacts,
  type MigrationState,
  migrateAction,
  migrateDetailInfo,
  migrationState,
} from "./migration.js";
import type { CheckView } from "./scenarios.js";

/** What DescribeMigrationDetail adds to the migration's state: the job's life around it. */
export interface DetailFacts extends MigrationFacts {
  readonly jobId: string;
  /** When the simulator first saw the job. */
  readonly createdAtMs: number;
  /** When the current check started running, and when it ended (undefined: not yet). */
  readonly checkStartMs: number;
  readonly checkEndMs: number | undefined;
  /** The latest consistency check: its id and status in CompareTaskInfo's words. */
  readonly compareTask: { CompareTaskId: string; Status: string };
}

/** A database endpoint without any password (the real answer can echo one; the simulator never does). */
function endpoint(role: "src" | "dst") {
  const host = role === "src" ? "10.0.0.12" : "10.0.1.25";
  return {
    Region: "ap-guangzhou",
    AccessType: "cdb",
    DatabaseType: "mysql",
    NodeType: "simple",
    Info: [
      {
        Role: "",
        DbKernel: "",
        Host: host,
        Port: 3306,
        User: "dts_migrate",
        InstanceId: role === "src" ? "cdb-src0abcd" : "cdb-dst0wxyz",
        EngineVersion: "8.0",
        AccountMode: "self",
        EncryptConn: "UnEncrypted",
      },
    ],
    Supplier: "",
    ExtraAttr: [],
    DatabaseNetEnv: "TencentVPC",
  };
}

/** CheckStepInfo: the check's progress as the job sees it. */
function checkStepInfo(check: CheckView, checkStartMs: number, checkEndMs: number | undefined) {
  const steps = check.StepInfo ?? [];
  const done = steps.filter((step) => step.StepStatus !== "notStarted").length;
  const finished = check.Status === "success" || check.Status === "failed";
  return {
    StartAt: check.Status === "notStarted" ? NOT_YET : beijingTime(checkStartMs),
    EndAt: finished ? beijingTime(checkEndMs) : NOT_YET,
    Progress: {
      Status: check.Status,
      Percent: steps.length === 0 ? 0 : Math.floor((100 * done) / steps.length),
      StepAll: steps.length,
      StepNow: finished ? steps.length : Math.min(done + 1, steps.length),
      Message: check.BriefMsg ?? "",
      Steps: steps.map((step) => ({
        StepNo: step.StepNo,
        StepName: step.StepName,
        StepId: step.StepId,
        // The check's pass and warning are a finished step here.
        Status: step.StepStatus === "pass" || step.StepStatus === "warning" ? "success" : step.StepStatus,
        StartTime: NOT_YET,
        FinishTime: NOT_YET,
        StepMessage: step.StepMessage,
        Percent: step.StepStatus === "notStarted" ? 0 : 100,
        Errors: [],
        Warnings: [],
      })),
    },
  };
}

const TRADE_INFO = {
  DealName: "20261207000000000001",
  LastDealName: "",
  InstanceClass: "medium",
  TradeStatus: "normal",
  ExpireTime: NOT_YET,
  OfflineTime: NOT_YET,
  IsolateTime: NOT_YET,
  OfflineReason: "",
  IsolateReason: "",
  PayType: "PostPay",
  BillingType: "migrate",
} as const;

const RATE_LIMIT_OPTION = {
  CurrentDumpThread: 16,
  DefaultDumpThread: 16,
  CurrentDumpRps: 0,
  DefaultDumpRps: 0,
  CurrentLoadThread: 16,
  DefaultLoadThread: 16,
  CurrentLoadRps: 0,
  DefaultLoadRps: 0,
  CurrentSinkerThread: 16,
  DefaultSinkerThread: 16,
  HasUserSetRateLimit: "no",
} as const;

function migrateOption(full: boolean) {
  return {
    DatabaseTable: {
      ObjectMode: "partial",
      Databases: ["shop", "billing", "crm"].map((DbName) => ({ DbName, DbMode: "all", TableMode: "all" })),
      AdvancedObjects: [],
    },
    MigrateType: full ? "full" : "fullAndIncrement",
    Consistency: { Mode: "full" },
    IsMigrateAccount: false,
    IsOverrideRoot: false,
    IsDstReadOnly: false,
    ExtraAttr: [],
    MigrateWay: "",
  };
}

function briefMsg(state: MigrationState, check: CheckView): string {
  if (state.status === "failed") return LOAD_ERROR_INFO.ErrorLog;
  if (state.progress === undefined) return check.BriefMsg ?? "";
  return "";
}

/** DescribeMigrationDetail's Response (without RequestId), in the SDK's key order. */
export function migrationDetail(facts: DetailFacts, atMs: number): Record<string, unknown> {
  const state = migrationState(facts, atMs);
  const ended = state.status === "success" || state.status === "failed";
  return {
    JobId: facts.jobId,
    JobName: `dts-gate-sim-${facts.jobId}`,
    CreateTime: beijingTime(facts.createdAtMs),
    UpdateTime: beijingTime(atMs),
    StartTime: beijingTime(facts.startedAtMs),
    EndTime: ended ? beijingTime(state.progress?.sinceMs) : NOT_YET,
    BriefMsg: briefMsg(state, facts.check),
    Status: state.status,
    Action: migrateAction(state.status),
    StepInfo: migrateDetailInfo(state, facts.scenario),
    SrcInfo: endpoint("src"),
    DstInfo: endpoint("dst"),
    CompareTask: { ...facts.compareTask },
    Tags: [],
    RunMode: "immediate",
    ExpectRunTime: NOT_YET,
    MigrateOption: migrateOption(facts.scenario === "migrate-full"),
    CheckStepInfo: checkStepInfo(facts.check, facts.checkStartMs, facts.checkEndMs),
    TradeInfo: { ...TRADE_INFO },
    ErrorInfo: state.status === "failed" ? [{ ...LOAD_ERROR_INFO }] : [],
    DumperResumeCtrl: "no",
    RateLimitOption: { ...RATE_LIMIT_OPTION },
  };
}
