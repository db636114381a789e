import { randomUUID } from "node:crypto";
import { jobKindOf } from "./actions.js";
import type { FaultKind } from "./faults.js";
import { currentScenario, type Job, JobContext, type JobSettings } from "./job-state.js";
import { type ActionResult, performAction } from "./lifecycle.js";
import type { Target } from "./request.js";

export type { JobSettings } from "./job-state.js";
export type { ActionResult } from "./lifecycle.js";

/** Beyond this many distinct job ids (only without `jobs`), the oldest is forgotten. */
const MAX_JOBS = 10_000;

/** A job as one request found it: `isNew` when that request created it. */
export interface Admitted {
  readonly jobId: string;
  readonly job: Job;
  readonly isNew: boolean;
}

/** Sets the key, first forgetting the oldest one when a new key would make the map larger than `max`. */
export function setBounded<V>(map: Map<string, V>, key: string, value: V, max = MAX_JOBS): void {
  if (!map.has(key) && map.size >= max) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}

/** The jobs, migration and sync: each one's checks, start, migration, cut-over and consistency checks. */
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
    const kind = jobKindOf(jobId);
    if (kind === undefined) return undefined;
    if (this.#closedWorld && this.#settings.jobs[jobId] === undefined) return undefined;
    const configured = this.#settings.jobs[jobId] ?? this.#settings.defaultScenario;
    const job: Job = {
      kind,
      scenarios: typeof configured === "string" ? [configured] : configured,
      createdAtMs: atMs,
      checkNo: 0,
      runStartMs: atMs,
      staleUntilMs: Number.NEGATIVE_INFINITY,
      stale: undefined,
      started: 0,
      startedAtMs: undefined,
      completedAtMs: undefined,
      completes: 0,
      flakyCount: 0,
      compareTasks: new Map(),
    };
    setBounded(this.#jobs, jobId, job);
    return { job, isNew: true };
  }

  #context({ jobId, job, isNew }: Admitted, atMs: number): JobContext {
    return new JobContext(jobId, job, isNew, atMs, this.#settings);
  }

  /**
   * The flaky scenario's refusal for this request, if it is one: every third request of a job whose
   * current check is flaky, in turn RequestLimitExceeded, InternalError, HTTP 502.
   */
  flakyRefusal({ job }: Admitted): FaultKind | undefined {
    if (currentScenario(job, this.#settings.defaultScenario) !== "flaky") return undefined;
    job.flakyCount += 1;
    const n = job.flakyCount;
    if (n % 3 !== 0) return undefined;
    const turn = (n / 3 - 1) % 3;
    return turn === 0 ? "throttle" : turn === 1 ? "internal" : "http502";
  }

  /** Performs the request's action on the job it was admitted with; the answer gets a fresh RequestId. */
  perform(target: Target, admitted: Admitted, atMs: number): ActionResult {
    const result = performAction(this.#context(admitted, atMs), target);
    if ("error" in result) return result;
    return { response: { RequestId: randomUUID(), ...result.response } };
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

  completeCount(jobId: string): number {
    return this.#jobs.get(jobId)?.completes ?? 0;
  }
}
