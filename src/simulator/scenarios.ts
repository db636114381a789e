import type { CheckStep, CheckStepDetail } from "../tencent/types.js";
import { stepsDone } from "./pace.js";

/**
 * How a simulated job goes: the one list of scenario names. The first six are about the check; the
 * others pass the check and are about what follows it (migration.ts, compare.ts).
 */
export const SCENARIO_NAMES = [
  "pass",
  "warning",
  "not-pass",
  "failed",
  "stuck",
  "flaky",
  "migrate",
  "migrate-full",
  "migrate-failed",
  "lag-stuck",
  "paused",
  "different",
] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export function isScenarioName(value: string): value is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(value);
}

/** The 13 steps of a MySQL migration check, ids and names as in the API reference's example. */
export const CHECK_STEPS: readonly { readonly StepId: string; readonly StepName: string }[] = [
  { StepId: "ConnectDBCheck", StepName: "Database connection check" },
  { StepId: "VersionCheck", StepName: "Version check" },
  { StepId: "SrcPrivilegeCheck", StepName: "Source instance permission check" },
  { StepId: "SimpleParamCheck", StepName: "Partial instance parameter check" },
  { StepId: "DstPrivilegeCheck", StepName: "Target instance permission check" },
  { StepId: "DstEmptyCheck", StepName: "Target instance content conflict check" },
  { StepId: "DstSpaceCheck", StepName: "Target instance space check" },
  { StepId: "BinlogParamCheck", StepName: "Binlog parameter check" },
  { StepId: "ConstraintCheck", StepName: "Foreign key dependency check" },
  { StepId: "ConstraintRefCheck", StepName: "Partial database/table foreign key dependency check" },
  { StepId: "ViewCheck", StepName: "View check" },
  { StepId: "WarningParamCheck", StepName: "Warning item check" },
  { StepId: "OptimizeCheck", StepName: "Peripheral check" },
];

/** The DTS product documentation, where the simulated failures point their HelpDoc. */
const HELP_DOC = "https://www.tencentcloud.com/document/product/571";

/** The four fields of a DescribeMigrationCheckJob answer besides RequestId, in the reference's key order. */
export interface CheckView {
  CheckFlag: string | null;
  BriefMsg: string | null;
  Status: string | null;
  StepInfo: CheckStep[] | null;
}

interface StepOutcome {
  status: string;
  hasSkipped?: boolean;
  message?: string;
  items?: readonly CheckStepDetail[];
}

interface ScenarioPlan {
  /** Final outcome of each step that runs, by StepNo; steps absent here pass. */
  outcomes: ReadonlyMap<number, StepOutcome>;
  /** How many steps run before the check ends (13, or fewer when the check task fails early). */
  stepsRun: number;
  /** When set, the check stays running at this StepNo forever. */
  stuckAt?: number;
  final: { Status: string; CheckFlag: string; BriefMsg: string };
}

function item(fields: Partial<CheckStepDetail> & { CheckItemName: string; CheckResult: string }): CheckStepDetail {
  // Key order of the reference example.
  return {
    CheckItemName: fields.CheckItemName,
    CheckResult: fields.CheckResult,
    Description: fields.Description ?? "",
    ErrorLog: fields.ErrorLog ?? [],
    FailureReason: fields.FailureReason ?? "",
    HelpDoc: fields.HelpDoc ?? [""],
    SkipInfo: fields.SkipInfo ?? "",
    Solution: fields.Solution ?? "",
  };
}

const SRC_PRIVILEGE_WARNING = item({
  CheckItemName: "Source instance permission check",
  CheckResult: "warning",
  ErrorLog: [
    "Your permission is as follows: GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, RELOAD, PROCESS, REFERENCES, INDEX, ALTER, SHOW DATABASES, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, REPLICATION SLAVE, REPLICATION CLIENT, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, CREATE USER, EVENT, TRIGGER, CREATE TABLESPACE ON *.* TO 'root'@'%' WITH GRANT OPTION. The source database account's permissions must include the required account permissions. DTS won't use unnecessary permissions. Therefore, grant permissions according to the principle of least privilege as described at [Source Instance Permission Check](https://www.tencentcloud.com/document/product/571/55424).",
  ],
});

const PERIPHERAL_SKIPPED = item({ CheckItemName: "Peripheral check", CheckResult: "warning", ErrorLog: ["skipped"] });

const DST_CONFLICT = item({
  CheckItemName: "Target instance content conflict check",
  CheckResult: "failed",
  Description: "The target instance must not contain objects with the same names as the objects to migrate.",
  FailureReason:
    "The target instance already contains tables with the same names as tables to migrate: shop.orders, shop.customers.",
  Solution:
    "Drop or rename the conflicting tables in the target instance, or remove them from the migration objects, then run the check again.",
  ErrorLog: ["conflicting tables in target: shop.orders, shop.customers"],
  HelpDoc: [HELP_DOC],
});

const SRC_UNREACHABLE = item({
  CheckItemName: "Source database connection check",
  CheckResult: "failed",
  Description: "DTS must be able to connect to the source database.",
  FailureReason: "Connecting to the source database 10.0.0.12:3306 timed out.",
  Solution:
    "Check the source address and port, the security group and firewall rules that admit DTS, and that the database is running; then create the check again.",
  ErrorLog: ["dial tcp 10.0.0.12:3306: i/o timeout"],
  HelpDoc: [HELP_DOC],
});

const PASS_FINAL = { Status: "success", CheckFlag: "checkPass", BriefMsg: "success" };

const PLANS: Readonly<Record<ScenarioName, ScenarioPlan>> = {
  pass: { outcomes: new Map(), stepsRun: 13, final: PASS_FINAL },
  flaky: { outcomes: new Map(), stepsRun: 13, final: PASS_FINAL },
  warning: {
    outcomes: new Map([
      [2, { status: "warning", items: [SRC_PRIVILEGE_WARNING] }],
      [12, { status: "failed", hasSkipped: true, items: [PERIPHERAL_SKIPPED] }],
    ]),
    stepsRun: 13,
    final: PASS_FINAL,
  },
  "not-pass": {
    outcomes: new Map([[5, { status: "failed", items: [DST_CONFLICT] }]]),
    stepsRun: 13,
    final: {
      Status: "success",
      CheckFlag: "checkNotPass",
      BriefMsg:
        "The check did not pass: Target instance content conflict check failed. Fix the reported items, then run the check again.",
    },
  },
  failed: {
    outcomes: new Map([
      [0, { status: "failed", message: "Failed to connect to the source database", items: [SRC_UNREACHABLE] }],
    ]),
    stepsRun: 1,
    final: {
      Status: "failed",
      CheckFlag: "checkNotPass",
      BriefMsg: "The check task failed: DTS could not connect to the source database (connection timed out).",
    },
  },
  stuck: { outcomes: new Map(), stepsRun: 13, stuckAt: 7, final: PASS_FINAL },
  migrate: { outcomes: new Map(), stepsRun: 13, final: PASS_FINAL },
  "migrate-full": { outcomes: new Map(), stepsRun: 13, final: PASS_FINAL },
  "migrate-failed": { outcomes: new Map(), stepsRun: 13, final: PASS_FINAL },
  "lag-stuck": { outcomes: new Map(), stepsRun: 13, final: PASS_FINAL },
  paused: { outcomes: new Map(), stepsRun: 13, final: PASS_FINAL },
  different: { outcomes: new Map(), stepsRun: 13, final: PASS_FINAL },
};

function step(stepNo: number, outcome: StepOutcome | undefined): CheckStep {
  const meta = CHECK_STEPS[stepNo] ?? { StepId: "", StepName: "" };
  // Key order of the reference example.
  return {
    DetailCheckItems: outcome?.items
      ? outcome.items.map((it) => ({
          ...it,
          ErrorLog: it.ErrorLog && [...it.ErrorLog],
          HelpDoc: it.HelpDoc && [...it.HelpDoc],
        }))
      : [],
    HasSkipped: outcome?.hasSkipped ?? false,
    StepId: meta.StepId,
    StepMessage: outcome?.message ?? "",
    StepName: meta.StepName,
    StepNo: stepNo,
    StepStatus: outcome?.status ?? "notStarted",
  };
}

/** StepNo -> final outcome (pass by default) of the steps the scenario runs. */
function outcomeOf(plan: ScenarioPlan, stepNo: number): StepOutcome {
  return plan.outcomes.get(stepNo) ?? { status: "pass" };
}

/**
 * The check as DescribeMigrationCheckJob shows it `elapsedMs` after it started running
 * (negative elapsed: not started). `pace`: how long each step takes (ms), or where each of the 13
 * steps ends (pace.ts). Every call returns fresh objects.
 */
export function checkView(scenario: ScenarioName, elapsedMs: number, pace: number | readonly number[]): CheckView {
  const plan = PLANS[scenario];
  const ends = typeof pace === "number" ? CHECK_STEPS.map((_, index) => (index + 1) * pace) : pace;
  let done = stepsDone(ends, elapsedMs);
  if (plan.stuckAt !== undefined) done = Math.min(done, plan.stuckAt);
  const finished = plan.stuckAt === undefined && done >= plan.stepsRun;
  const stepInfo = CHECK_STEPS.map((_, stepNo) =>
    step(stepNo, stepNo < Math.min(done, plan.stepsRun) ? outcomeOf(plan, stepNo) : undefined),
  );
  if (finished) {
    const { CheckFlag, BriefMsg, Status } = plan.final;
    return { CheckFlag, BriefMsg, Status, StepInfo: stepInfo };
  }
  return { CheckFlag: "", BriefMsg: "", Status: elapsedMs < 0 ? "notStarted" : "running", StepInfo: stepInfo };
}
