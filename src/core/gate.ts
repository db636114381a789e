import { setMaxListeners } from "node:events";
import { type RetriedResult, type SendOptions, sendWithRetry } from "../pacing/retry.js";
import { type ApiError, LOCAL_CODES } from "../tencent/errors.js";
import type { DtsAction } from "../tencent/types.js";
import { readCheckAnswer } from "./check-answer.js";
import { DEFAULT_STALE_GRACE_MS, FreshResultFilter, GRACE_NOTE, STALE_NOTE } from "./fresh-result.js";
import { describeUnexpected, JobRecord, jobErrorOf } from "./job-record.js";
import { reasonFor } from "./reason.js";
import { clean } from "./text.js";
import type { GateDeps, GateOptions, GateResult, JobError, JobReport } from "./types.js";
import { EXIT_CODES, exitCodeOf, judge } from "./verdict.js";

/** StartMigrateJob is sent at most this often: only refusals that were surely not applied are sent again. */
export const START_MAX_SENDS = 3;
const INTERRUPTED: JobError = { code: "Interrupted", message: "interrupted before a verdict" };

/** Why the run stopped waiting before every job had its verdict; the first cause is kept. */
type StopCause = "deadline" | "interrupt" | "failFast" | "unexpected";

/**
 * Waits for the pre-migration check of every job and turns the results into one verdict.
 * Optionally (re)creates the checks first and starts the migrations once every job passed.
 * Knows nothing of the command line or of GitHub: time, transport and output are injected.
 * Never throws: whatever fails unexpectedly ends the run with exit 4 and what is known reported,
 * a StartMigrateJob that was sent included.
 */
export function runGate(options: GateOptions, deps: GateDeps): Promise<GateResult> {
  return new GateRun(options, deps).run();
}

/** One run of the gate: its jobs' records, one stop signal, and the steps of each job's wait. */
class GateRun {
  readonly records: JobRecord[];
  readonly startedAt: number;
  readonly deadlineAt: number;
  /** One signal stops everything still waiting: the deadline, an interruption, fail-fast, a bug. */
  readonly stop = new AbortController();
  stopCause: StopCause | undefined;
  unexpected: string | undefined;

  constructor(
    readonly options: GateOptions,
    readonly deps: GateDeps,
  ) {
    this.records = [...new Set(options.jobIds)].map((jobId) => new JobRecord(jobId));
    // Every job's pause and request listens to this one signal: hundreds of listeners are expected.
    setMaxListeners(0, this.stop.signal);
    this.startedAt = deps.clock.now();
    this.deadlineAt = this.startedAt + options.timeoutMs;
  }

  stopRun(cause: StopCause) {
    this.stopCause ??= cause;
    this.stop.abort();
  }

  interrupted(): boolean {
    return this.deps.interrupt?.aborted === true;
  }

  jobExitCode(job: JobReport): number {
    return exitCodeOf(job.outcome, this.options.failOnWarning && job.warnings.length > 0);
  }

  async run(): Promise<GateResult> {
    const { options, deps, records } = this;
    const finished = new AbortController();
    if (options.timeoutMs > 0) {
      deps.clock.sleep(options.timeoutMs, finished.signal).then(
        () => this.stopRun("deadline"),
        () => {},
      );
    }
    const onInterrupt = () => this.stopRun("interrupt");
    if (deps.interrupt?.aborted) onInterrupt();
    deps.interrupt?.addEventListener("abort", onInterrupt, { once: true });
    try {
      await Promise.all(records.map((record) => this.guarded(record, () => this.waitForJob(record))));
      const gateOpen = records.every((record) => this.jobExitCode(record.report()) === EXIT_CODES.open);
      if (options.start && !this.stop.signal.aborted && gateOpen) {
        // Starting is not idempotent: each job once, and only when every job passed.
        await Promise.all(records.map((record) => this.guarded(record, () => this.startMigration(record))));
      }
    } finally {
      finished.abort();
      deps.interrupt?.removeEventListener("abort", onInterrupt);
    }
    return this.result();
  }

  /** Any failure that is not a result (a bug, a broken dependency) stops the run instead of crashing it. */
  async guarded(record: JobRecord, task: () => Promise<void>) {
    try {
      await task();
    } catch (error) {
      this.unexpected ??= describeUnexpected(error);
      this.stopRun("unexpected");
      // A start whose answer was never read may have been applied.
      if (record.startRequests > 0 && record.started === null) record.startMaybeApplied = true;
    }
  }

  result(): GateResult {
    for (const record of this.records) {
      if (record.startMaybeApplied && record.started === null && record.error?.code !== "StartOutcomeUnknown") {
        record.fail("error", {
          code: "StartOutcomeUnknown",
          message: `StartMigrateJob was sent but the run failed before its answer (${this.unexpected ?? "unknown"}). Check the job's state before starting it by hand`,
        });
      } else if (record.outcome === undefined) {
        this.stopWithoutVerdict(record);
      }
    }
    const jobs = this.records.map((record) => record.report());
    const worst = jobs.reduce<number>((code, job) => Math.max(code, this.jobExitCode(job)), EXIT_CODES.open);
    const interrupted = this.interrupted();
    const exitCode = interrupted || this.unexpected !== undefined ? EXIT_CODES.error : worst;
    return {
      passed: exitCode === EXIT_CODES.open,
      exitCode,
      interrupted,
      failOnWarning: this.options.failOnWarning,
      reason: reasonFor(jobs, exitCode, this.options.failOnWarning, interrupted),
      jobs,
    };
  }

  async send<A extends DtsAction>(
    record: JobRecord,
    action: A,
    sendOptions: SendOptions = { idempotent: true },
  ): Promise<RetriedResult<A>> {
    const { deps } = this;
    const result = await sendWithRetry<A>(
      async (signal) => {
        record.requests++;
        if (action === "StartMigrateJob") record.startRequests++;
        const result = await deps.client.call(action, { JobId: record.jobId }, signal ? { signal } : {});
        if (action === "StartMigrateJob" && !result.ok && result.error.maybeApplied) record.startMaybeApplied = true;
        return result;
      },
      {
        limiter: deps.limiter,
        clock: deps.clock,
        random: deps.random,
        policy: deps.policy,
        signal: this.stop.signal,
        adoptServerClock: (ms) => deps.client.adoptServerClock(ms),
        onRetry: (notice) => {
          record.lastRetried = notice.error;
          deps.onEvent?.({ type: "retry", jobId: record.jobId, action, notice });
        },
      },
      sendOptions,
    );
    if (result.ok && result.attempts > 1) {
      deps.onEvent?.({ type: "recovered", jobId: record.jobId, action, attempts: result.attempts });
    }
    return result;
  }

  /** Ends a job that was stopped before its verdict, by what stopped the run. */
  stopWithoutVerdict(record: JobRecord) {
    if (this.interrupted()) record.fail("error", INTERRUPTED);
    else if (this.stopCause === "unexpected")
      record.fail("error", { code: "UnexpectedError", message: this.unexpected ?? "" });
    else if (this.stopCause === "failFast") record.fail("cancelled", undefined);
    else record.fail("timeout", undefined);
  }

  /** Ends a job whose request failed: a stop of the run explains an abort. */
  failRequest(record: JobRecord, error: ApiError) {
    if (this.interrupted() || (this.stop.signal.aborted && error.code === LOCAL_CODES.aborted)) {
      this.stopWithoutVerdict(record);
    } else {
      record.fail("error", jobErrorOf(error, this.options.context));
    }
  }

  /** One job: its check (re)created when asked, then polled to a verdict. */
  async waitForJob(record: JobRecord) {
    if (!this.options.createCheck || (await this.createCheck(record))) await this.waitForVerdict(record);
    record.elapsedMs = Math.round(this.deps.clock.now() - this.startedAt);
    const report = record.report();
    this.deps.onEvent?.({ type: "verdict", report });
    if ((this.options.failFast ?? true) && this.jobExitCode(report) !== EXIT_CODES.open) this.stopRun("failFast");
  }

  async createCheck(record: JobRecord): Promise<boolean> {
    const result = await this.send(record, "CreateMigrateCheckJob");
    if (!result.ok) {
      this.failRequest(record, result.error);
      return false;
    }
    const requestId = clean(result.value.RequestId);
    record.created = { requestId };
    this.deps.onEvent?.({ type: "created", jobId: record.jobId, requestId });
    return true;
  }

  async waitForVerdict(record: JobRecord): Promise<void> {
    const { options, deps } = this;
    const { clock } = deps;
    const freshness = new FreshResultFilter(
      options.createCheck,
      clock.now(),
      options.staleGraceMs ?? DEFAULT_STALE_GRACE_MS,
    );
    for (;;) {
      const pollStartedAt = clock.now();
      const result = await this.send(record, "DescribeMigrationCheckJob");
      if (!result.ok) {
        this.failRequest(record, result.error);
        return;
      }
      record.polls++;
      record.lastRetried = undefined;
      const { response, anomalies } = readCheckAnswer(result.value);
      record.last = response;
      if (anomalies.length > 0) record.note(`the answer had fields of an unexpected type: ${anomalies.join("; ")}`);
      let { state, note } = judge(response);
      const freshnessOfResult = freshness.classify(response, state !== "waiting", clock.now());
      const stale = freshnessOfResult === "stale";
      if (stale) {
        note = STALE_NOTE;
        state = "waiting";
      } else if (freshnessOfResult === "graceElapsed") {
        record.note(GRACE_NOTE);
      }
      // Once the new check was seen, the doubt about the old result is gone from the report.
      if (freshness.sawNewCheck) record.forget(STALE_NOTE);
      if (note) record.note(note);
      record.elapsedMs = Math.round(clock.now() - this.startedAt);
      deps.onEvent?.({
        type: "poll",
        jobId: record.jobId,
        state,
        response,
        polls: record.polls,
        elapsedMs: record.elapsedMs,
        stale,
        ...(note ? { note } : {}),
      });
      if (state !== "waiting") {
        record.outcome = state;
        return;
      }
      if (!(await this.pauseBeforeNextPoll(pollStartedAt))) {
        this.stopWithoutVerdict(record);
        return;
      }
    }
  }

  /**
   * The deadline is checked before sleeping: a poll that could only come after it never starts.
   * False when the run must stop waiting.
   */
  async pauseBeforeNextPoll(pollStartedAt: number): Promise<boolean> {
    const nextPollAt = pollStartedAt + this.options.intervalMs;
    if (nextPollAt >= this.deadlineAt || this.stop.signal.aborted) return false;
    try {
      // A poll that took the whole interval is followed at once: no timer for nothing.
      const pauseMs = nextPollAt - this.deps.clock.now();
      if (pauseMs > 0) await this.deps.clock.sleep(pauseMs, this.stop.signal);
      return true;
    } catch {
      return false;
    }
  }

  /** Why the run stopped, in words, or undefined while it runs. */
  stoppedBy(): string | undefined {
    if (this.interrupted()) return "the run was interrupted";
    if (this.stopCause === "deadline") return "the timeout came";
    if (this.stopCause === "unexpected") return `the run failed (${this.unexpected})`;
    return undefined;
  }

  async startMigration(record: JobRecord): Promise<void> {
    const result = await this.send(record, "StartMigrateJob", { idempotent: false, maxSends: START_MAX_SENDS });
    if (record.startRequests > 1) {
      record.note(
        `StartMigrateJob was sent ${record.startRequests} times: ${record.startRequests - 1} refused before being processed (at most ${START_MAX_SENDS} sends)`,
      );
    }
    if (result.ok) {
      const requestId = clean(result.value.RequestId);
      record.started = { requestId };
      this.deps.onEvent?.({ type: "started", jobId: record.jobId, requestId });
      return;
    }
    record.failStart(result.error, this.stoppedBy(), this.options.context);
  }
}
