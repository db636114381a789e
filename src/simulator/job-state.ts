import type { JobKind } from "./actions.js";
import { COMPARE_STEPS, type CompareTask, compareTaskInfo } from "./compare.js";
import { migrationStepCount } from "./migration.js";
import type { DetailFacts } from "./migration-detail.js";
import { stepDurations, stepEnds } from "./pace.js";
import { CHECK_STEPS, type CheckView, checkView, type ScenarioName } from "./scenarios.js";
import { SYNC_STEP_COUNT, type SyncFacts } from "./sync.js";

export interface Job {
  readonly kind: JobKind;
  readonly scenarios: readonly ScenarioName[];
  /** Clock time the simulator first saw the job. */
  readonly createdAtMs: number;
  /** Index of the current check (its scenario: scenarios[min(checkNo, last)]). */
  checkNo: number;
  /** Clock time the current check starts (started) running. */
  runStartMs: number;
  /** Before this time the check shows `stale` (the previous result) instead. */
  staleUntilMs: number;
  /** The previous check's result as it stood when the check was created again; undefined: none (notStarted). */
  stale: CheckView | undefined;
  /** Start requests accepted (a second one is refused: at most 1). */
  started: number;
  startedAtMs: number | undefined;
  /** CompleteMigrateJob accepted at. */
  completedAtMs: number | undefined;
  completes: number;
  /** Requests that reached the flaky stage while the job's check was flaky. */
  flakyCount: number;
  /** Its consistency checks by id, the latest last. */
  readonly compareTasks: Map<string, CompareTask>;
}

export interface JobSettings {
  readonly defaultScenario: ScenarioName;
  readonly jobs: Readonly<Record<string, ScenarioName | readonly ScenarioName[]>>;
  readonly stepMs: number;
  readonly createLagMs: number;
  readonly migrateMs: number;
  readonly seed: number | undefined;
}

/** The scenario of the job's current check, which its migration and consistency checks follow too. */
export function currentScenario(job: Job, defaultScenario: ScenarioName): ScenarioName {
  return job.scenarios[Math.min(job.checkNo, job.scenarios.length - 1)] ?? defaultScenario;
}

/** `completing` lasts this fraction of the migration's duration. */
const COMPLETING_SHARE = 0.2;

/** One job as one request finds it at `atMs`: what the actions read and change. */
export class JobContext {
  constructor(
    readonly jobId: string,
    readonly job: Job,
    readonly isNew: boolean,
    readonly atMs: number,
    readonly settings: JobSettings,
  ) {}

  get scenario(): ScenarioName {
    return currentScenario(this.job, this.settings.defaultScenario);
  }

  /** Where the current check's 13 steps end, from its start. */
  get checkEnds(): number[] {
    const { stepMs, seed } = this.settings;
    const total = stepMs * CHECK_STEPS.length;
    return stepEnds(stepDurations(total, CHECK_STEPS.length, seed, `${this.jobId}/check/${this.job.checkNo}`));
  }

  /** The check as DescribeMigrationCheckJob shows it now. */
  get check(): CheckView {
    const { job, atMs } = this;
    if (atMs < job.staleUntilMs) return job.stale ?? checkView(this.scenario, -1, this.checkEnds);
    return checkView(this.scenario, atMs - job.runStartMs, this.checkEnds);
  }

  /** The check is being created again and shows the previous result. */
  get checkIsStale(): boolean {
    return this.atMs < this.job.staleUntilMs;
  }

  #startDurations(count: number): number[] {
    return stepDurations(this.settings.migrateMs, count, this.settings.seed, `${this.jobId}/run`);
  }

  get migrationFacts(): DetailFacts {
    const { job } = this;
    const latest = [...job.compareTasks.values()].at(-1);
    return {
      jobId: this.jobId,
      scenario: this.scenario,
      check: this.check,
      createdAtMs: job.createdAtMs,
      checkStartMs: job.runStartMs,
      checkEndMs: job.runStartMs + (this.checkEnds.at(-1) ?? 0),
      startedAtMs: job.startedAtMs,
      completedAtMs: job.completedAtMs,
      durations: this.#startDurations(migrationStepCount(this.scenario)),
      completingMs: this.settings.migrateMs * COMPLETING_SHARE,
      compareTask: compareTaskInfo(latest, this.atMs),
    };
  }

  get syncFacts(): SyncFacts {
    const { job } = this;
    return {
      jobId: this.jobId,
      scenario: this.scenario,
      check: this.check,
      createdAtMs: job.createdAtMs,
      startedAtMs: job.startedAtMs,
      durations: this.#startDurations(SYNC_STEP_COUNT),
    };
  }

  /** Durations of a consistency check's steps. */
  compareDurations(taskId: string): number[] {
    const { stepMs, seed } = this.settings;
    return stepDurations(stepMs * COMPARE_STEPS.length, COMPARE_STEPS.length, seed, taskId);
  }
}
