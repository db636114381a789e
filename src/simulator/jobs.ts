import { randomUUID } from "node:crypto";
import type { FaultKind } from "./faults.js";
import type { ErrorAnswer } from "./request.js";
import { type CheckView, checkView, type ScenarioName } from "./scenarios.js";

/** Beyond this many distinct job ids (only without `jobs`), the oldest is forgotten. */
const MAX_JOBS = 10_000;

export interface Job {
  readonly scenarios: readonly ScenarioName[];
  /** Index of the current check (its scenario: scenarios[min(checkNo, last)]). */
  checkNo: number;
  /** Clock time the current check starts (started) running. */
  runStartMs: number;
  /** Before this time DescribeMigrationCheckJob shows `stale` (the previous result) instead. */
  staleUntilMs: number;
  /** The previous check's result as it stood at CreateMigrateCheckJob; undefined: none (notStarted). */
  stale: CheckView | undefined;
  started: number;
  /** Requests that reached the flaky stage while the job's check was flaky. */
  flakyCount: number;
}

export interface JobSettings {
  readonly defaultScenario: ScenarioName;
  readonly jobs: Readonly<Record<string, ScenarioName | readonly ScenarioName[]>>;
  readonly stepMs: number;
  readonly createLagMs: number;
}

/** A job as one request found it: `isNew` when that request created it. */
export interface Admitted {
  readonly jobId: string;
  readonly job: Job;
  readonly isNew: boolean;
}

export type ActionResult = { error: ErrorAnswer } | { response: Record<string, unknown> };

/** Sets the key, first forgetting the oldest one when a new key would make the map larger than `max`. */
export function setBounded<V>(map: Map<string, V>, key: string, value: V, max = MAX_JOBS): void {
  if (!map.has(key) && map.size >= max) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}

function conflict(message: string): { error: ErrorAnswer } {
  return { error: { code: "FailedOperation.StatusInConflict", message } };
}

/** The jobs' state machine: each job's checks, the lag after CreateMigrateCheckJob, its start. */
export class JobBook {
  readonly #settings: JobSettings;
  readonly #closedWorld: boolean;
  readonly #jobs = new Map<string, Job>();
  /** Successful StartMigrateJob answers of the `answer` option, by job. */
  readonly #overrideStarts = new Map<string, number>();

  constructor(settings: JobSettings) {
    this.#settings = settings;
    this.#closedWorld = Object.keys(settings.jobs).length > 0;
  }

  /**
   * Whether the job exists (in a closed world only the configured ones do); a job seen for the first
   * time is created, its first check running from `atMs`.
   */
  admit(jobId: string, atMs: number): Admitted | undefined {
    const found = this.#find(jobId, atMs);
    return found && { jobId, ...found };
  }

  /** The job, created on first sight with its first check running from `atMs`; undefined if it does not exist. */
  #find(jobId: string, atMs: number): { job: Job; isNew: boolean } | undefined {
    const existing = this.#jobs.get(jobId);
    if (existing) return { job: existing, isNew: false };
    if (this.#closedWorld && this.#settings.jobs[jobId] === undefined) return undefined;
    const configured = this.#settings.jobs[jobId] ?? this.#settings.defaultScenario;
    const job: Job = {
      scenarios: typeof configured === "string" ? [configured] : configured,
      checkNo: 0,
      runStartMs: atMs,
      staleUntilMs: Number.NEGATIVE_INFINITY,
      stale: undefined,
      started: 0,
      flakyCount: 0,
    };
    setBounded(this.#jobs, jobId, job);
    return { job, isNew: true };
  }

  #scenarioOf(job: Job): ScenarioName {
    return job.scenarios[Math.min(job.checkNo, job.scenarios.length - 1)] ?? this.#settings.defaultScenario;
  }

  #viewOf(job: Job, atMs: number): CheckView {
    const { stepMs } = this.#settings;
    if (atMs < job.staleUntilMs) return job.stale ?? checkView(this.#scenarioOf(job), -1, stepMs);
    return checkView(this.#scenarioOf(job), atMs - job.runStartMs, stepMs);
  }

  /**
   * The flaky scenario's refusal for this request, if it is one: every third request of a job whose
   * current check is flaky, in turn RequestLimitExceeded, InternalError, HTTP 502.
   */
  flakyRefusal({ job }: Admitted): FaultKind | undefined {
    if (this.#scenarioOf(job) !== "flaky") return undefined;
    job.flakyCount += 1;
    const n = job.flakyCount;
    if (n % 3 !== 0) return undefined;
    const turn = (n / 3 - 1) % 3;
    return turn === 0 ? "throttle" : turn === 1 ? "internal" : "http502";
  }

  /** Performs the action on the job the request was admitted with. */
  perform(action: string, { jobId, job, isNew }: Admitted, atMs: number): ActionResult {
    const RequestId = randomUUID();
    if (action === "DescribeMigrationCheckJob") return { response: { RequestId, ...this.#viewOf(job, atMs) } };
    if (action === "CreateMigrateCheckJob") {
      if (job.started > 0) return conflict(`The migration of job ${jobId} has started; its check cannot run again.`);
      if (isNew) {
        job.stale = undefined; // no previous check: notStarted until the lag is over
      } else {
        job.stale = this.#viewOf(job, atMs);
        job.checkNo += 1;
      }
      job.staleUntilMs = atMs + this.#settings.createLagMs;
      job.runStartMs = atMs + this.#settings.createLagMs;
      return { response: { RequestId } };
    }
    // StartMigrateJob
    if (job.started > 0) return conflict(`The migration of job ${jobId} has already started.`);
    const view = this.#viewOf(job, atMs);
    if (atMs < job.staleUntilMs || view.Status !== "success" || view.CheckFlag !== "checkPass") {
      const state = atMs < job.staleUntilMs ? "being created" : `${view.Status}/${view.CheckFlag || "-"}`;
      return conflict(
        `The check of job ${jobId} has not passed (check ${state}); start the migration after it passes.`,
      );
    }
    job.started += 1;
    return { response: { RequestId } };
  }

  /** Jumps the job's current check to its final state (a stuck check to where it sticks). */
  finishCheck(jobId: string, atMs: number): void {
    const found = this.#find(jobId, atMs);
    if (!found) throw new Error(`the simulator has no job ${jobId}`);
    found.job.staleUntilMs = Number.NEGATIVE_INFINITY;
    found.job.runStartMs = Number.NEGATIVE_INFINITY;
  }

  countOverrideStart(jobId: string): void {
    setBounded(this.#overrideStarts, jobId, (this.#overrideStarts.get(jobId) ?? 0) + 1);
  }

  startCount(jobId: string): number {
    return (this.#jobs.get(jobId)?.started ?? 0) + (this.#overrideStarts.get(jobId) ?? 0);
  }
}
