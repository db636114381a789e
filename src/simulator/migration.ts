import { beijingTime } from "./beijing-time.js";
import type { CheckView, ScenarioName } from "./scenarios.js";
import { type Course, type Progress, planOf, progressAt, type StepProgress } from "./timeline.js";

/** The steps of a migration with an incremental phase, ids as in Tencent's examples. */
const MIGRATION_STEPS = [
  { StepId: "dumper", StepName: "Export the source data" },
  { StepId: "loader", StepName: "Import the data into the target" },
  { StepId: "sinker", StepName: "Synchronise the incremental changes" },
] as const;
/** Index of the load step, where `migrate-failed` fails and `paused` is paused. */
const LOAD_STEP = 1;

/** Every operation a migration job can know (AllAction). */
export const ALL_ACTIONS = [
  "view",
  "modify",
  "check",
  "start",
  "configure",
  "stop",
  "complete",
  "resume",
  "createCmpTask",
  "isolate",
  "offline",
  "resize",
  "recover",
] as const;

/** What each status allows now (AllowedAction), after Tencent's table of migration statuses. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  created: ["view", "configure", "check", "isolate"],
  checking: ["view"],
  checkPass: ["view", "start", "configure", "check", "isolate"],
  checkNotPass: ["view", "configure", "check", "isolate"],
  running: ["view", "stop", "createCmpTask"],
  readyComplete: ["view", "complete", "stop", "createCmpTask"],
  completing: ["view"],
  success: ["view", "isolate"],
  failed: ["view", "resume", "stop", "isolate"],
  manualPaused: ["view", "resume", "stop"],
};

/** A migration job's state as far as its detail depends on it. */
export interface MigrationFacts {
  readonly scenario: ScenarioName;
  /** The check as DescribeMigrationCheckJob shows it now. */
  readonly check: CheckView;
  /** StartMigrateJob accepted at; undefined: not started. */
  readonly startedAtMs: number | undefined;
  /** CompleteMigrateJob accepted at; undefined: not asked. */
  readonly completedAtMs: number | undefined;
  /** Durations of the steps after the start (migrationDurations). */
  readonly durations: readonly number[];
  /** How long `completing` lasts. */
  readonly completingMs: number;
}

export interface MigrationState {
  readonly status: string;
  /** Undefined before the start. */
  readonly progress: Progress | undefined;
}

/** The steps a scenario's migration goes through. */
export function migrationStepCount(scenario: ScenarioName): number {
  return scenario === "migrate-full" ? 2 : 3;
}

/** The status the check leaves a job in before its migration starts. */
function beforeStart(check: CheckView): string {
  if (check.Status === "notStarted") return "created";
  if (check.Status === "running") return "checking";
  return check.Status === "success" && check.CheckFlag === "checkPass" ? "checkPass" : "checkNotPass";
}

const COURSE_STATUS: Readonly<Record<Course, string>> = {
  running: "running",
  ready: "readyComplete",
  failed: "failed",
  paused: "manualPaused",
  done: "success",
};

/** The job's status and course at `atMs`. */
export function migrationState(facts: MigrationFacts, atMs: number): MigrationState {
  if (facts.startedAtMs === undefined) return { status: beforeStart(facts.check), progress: undefined };
  const plan = planOf(facts.scenario, migrationStepCount(facts.scenario) === 3, LOAD_STEP);
  const progress = progressAt(plan, facts.durations, facts.startedAtMs, atMs);
  if (facts.completedAtMs === undefined) return { status: COURSE_STATUS[progress.course], progress };
  const successAtMs = facts.completedAtMs + facts.completingMs;
  if (atMs < successAtMs) return { status: "completing", progress };
  const steps = progress.steps.map((step) => ({ ...step, state: "success" as const, percent: 100 }));
  const finished = steps.map((step, index) => (index === steps.length - 1 ? { ...step, finishMs: successAtMs } : step));
  return { status: "success", progress: { ...progress, steps: finished, sinceMs: successAtMs } };
}

const LOAD_FAILURE = {
  Message: "Importing table shop.orders failed: Duplicate entry '1042' for key 'PRIMARY'.",
  Solution: "Remove the conflicting rows from the target (or the table from the migration objects), then resume.",
  HelpDoc: "https://www.tencentcloud.com/document/product/571",
} as const;

/** ErrorInfo of a failed migration. */
export const LOAD_ERROR_INFO = {
  Code: "LoaderError.DuplicateEntry",
  Solution: LOAD_FAILURE.Solution,
  ErrorLog: "Error 1062: Duplicate entry '1042' for key 'PRIMARY' (table shop.orders)",
  HelpDoc: LOAD_FAILURE.HelpDoc,
} as const;

function stepDetail(step: StepProgress, index: number, failed: boolean) {
  const meta = MIGRATION_STEPS[index] ?? { StepId: "", StepName: "" };
  // Key order of the SDK's StepDetailInfo.
  return {
    StepNo: index + 1,
    StepName: meta.StepName,
    StepId: meta.StepId,
    // A migration step has no paused status: the job's manualPaused says it, the step stays running.
    Status: step.state === "paused" ? "running" : step.state,
    StartTime: beijingTime(step.startMs),
    FinishTime: beijingTime(step.finishMs),
    StepMessage: failed ? LOAD_FAILURE.Message : "",
    Percent: step.percent,
    Errors: failed ? [{ ...LOAD_FAILURE }] : [],
    Warnings: [],
  };
}

/** The MigrateDetailInfo (`StepInfo`) of the job; before the start, the steps not started and no lag. */
export function migrateDetailInfo(state: MigrationState, scenario: ScenarioName) {
  const count = migrationStepCount(scenario);
  const progress = state.progress;
  const steps = progress?.steps ?? [];
  return {
    StepAll: count,
    StepNow: progress?.stepNow ?? 0,
    MasterSlaveDistance: progress?.gapMB ?? -1,
    SecondsBehindMaster: progress?.lagSeconds ?? -1,
    StepInfo: Array.from({ length: count }, (_, index) =>
      stepDetail(
        steps[index] ?? { state: "notStarted", percent: 0, startMs: undefined, finishMs: undefined },
        index,
        state.status === "failed" && steps[index]?.state === "failed",
      ),
    ),
  };
}

/** Action: every operation, and those the status allows now. */
export function migrateAction(status: string) {
  return { AllAction: [...ALL_ACTIONS], AllowedAction: [...(ALLOWED[status] ?? ["view"])] };
}
