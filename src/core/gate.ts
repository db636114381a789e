import { setMaxListeners } from "node:events";
import { type ApiError, LOCAL_CODES } from "../tencent/errors.js";
import type { ApiAnswer } from "../tencent/types.js";
import { pollGaps } from "./cadence.js";
import { NOT_SENT, sendCounted } from "./counted-send.js";
import { describeUnexpected, JobRecord, jobErrorOf } from "./job-record.js";
import { ONCE_RULES, type OnceAction } from "./once-actions.js";
import type { PolledPhase } from "./phase.js";
import { type PollLoop, pollPhase } from "./poll.js";
import { reasonFor } from "./reason.js";
import type { SendRequest, SendResult } from "./send.js";
import type { StageRun } from "./stage-run.js";
import { runStages } from "./stages.js";
import { clean } from "./text.js";
import type { GateDeps, GateEvent, GateOptions, GateResult, JobError, JobReport } from "./types.js";
import { EXIT_CODES, exitCodeOf } from "./verdict.js";

/** StartMigrateJob is sent at most this often: only refusals that were surely not applied are sent again. */
export const START_MAX_SENDS = ONCE_RULES.StartMigrateJob.maxSends ?? 1;
/**
 * How long the poll started at the deadline may take before the run stops everything: short enough
 * that the deadline still ends the run within a second, long enough for an answer from the API.
 */
export const LAST_LOOK_GRACE_MS = 300;
const INTERRUPTED: JobError = { code: "Interrupted", message: "interrupted before a verdict" };

/** Why the run stopped waiting before every job had its verdict; the first cause is kept. */
type StopCause = "deadline" | "interrupt" | "failFast" | "unexpected";

/**
 * Takes every job through the phases asked for and turns what they reached into one verdict.
 * Knows nothing of the command line, of GitHub or of how requests are paced: time and the send
 * port are injected. Never throws: whatever fails unexpectedly ends the run with exit 4 and what is
 * known reported, an action that was sent included.
 */
export function runGate(options: GateOptions, deps: GateDeps): Promise<GateResult> {
  return new GateRun(options, deps).run();
}

/** One run of the gate: its jobs' records, one stop signal; the stages of each job are in stages.ts. */
class GateRun implements PollLoop, StageRun {
  readonly records: JobRecord[];
  readonly startedAt: number;
  readonly deadlineAt: number;
  readonly intervalMs: number;
  readonly maxIntervalMs: number;
  /** One signal stops everything still waiting: the deadline, an interruption, fail-fast, a bug. */
  readonly #stop = new AbortController();
  stopCause: StopCause | undefined;
  unexpected: string | undefined;

  constructor(
    readonly options: GateOptions,
    readonly deps: GateDeps,
  ) {
    this.records = [...new Set(options.jobIds)].map((jobId) => new JobRecord(jobId));
    // Every job's pause and request listens to this one signal: hundreds of listeners are expected.
    setMaxListeners(0, this.#stop.signal);
    this.startedAt = deps.clock.now();
    this.deadlineAt = this.startedAt + options.timeoutMs;
    ({ intervalMs: this.intervalMs, maxIntervalMs: this.maxIntervalMs } = pollGaps(options));
  }

  get clock() {
    return this.deps.clock;
  }

  get stop(): AbortSignal {
    return this.#stop.signal;
  }

  emit(event: GateEvent) {
    this.deps.onEvent?.(event);
  }

  stopRun(cause: StopCause) {
    this.stopCause ??= cause;
    this.#stop.abort();
  }

  interrupted(): boolean {
    return this.deps.interrupt?.aborted === true;
  }

  jobExitCode(job: JobReport): number {
    return exitCodeOf(job.outcome, this.options.failOnWarning && job.warnings.length > 0);
  }

  /** Every job so far can still open the gate (a stopped run is told by what it stops). */
  allOpen(): boolean {
    return this.records.every(
      (record) => record.outcome === undefined || this.jobExitCode(record.report()) === EXIT_CODES.open,
    );
  }

  async run(): Promise<GateResult> {
    const { options, deps } = this;
    const finished = new AbortController();
    if (options.timeoutMs > 0) {
      // The deadline is the last moment a poll starts; the poll started then gets a moment to answer.
      deps.clock.sleep(options.timeoutMs + LAST_LOOK_GRACE_MS, finished.signal).then(
        () => this.stopRun("deadline"),
        () => {},
      );
    }
    const onInterrupt = () => this.stopRun("interrupt");
    if (deps.interrupt?.aborted) onInterrupt();
    deps.interrupt?.addEventListener("abort", onInterrupt, { once: true });
    try {
      await runStages(this);
    } finally {
      finished.abort();
      deps.interrupt?.removeEventListener("abort", onInterrupt);
    }
    return this.result();
  }

  async eachJob(task: (record: JobRecord) => Promise<unknown>, records: readonly JobRecord[] = this.records) {
    await Promise.all(records.map((record) => this.guarded(record, () => task(record))));
  }

  /** Any failure that is not a result (a bug, a broken dependency) stops the run instead of crashing it. */
  async guarded(record: JobRecord, task: () => Promise<unknown>) {
    try {
      await task();
    } catch (error) {
      this.unexpected ??= describeUnexpected(error);
      this.stopRun("unexpected");
      // An action whose answer was never read may have been applied.
      for (const sent of record.inDoubt()) sent.maybeApplied = true;
    }
  }

  result(): GateResult {
    for (const record of this.records) {
      const doubt = record.inDoubt().find((sent) => sent.maybeApplied && sent.rule.unknownCode);
      if (doubt?.rule.unknownCode && record.error?.code !== doubt.rule.unknownCode) {
        record.fail("error", {
          code: doubt.rule.unknownCode,
          message: `${doubt.action} was sent but the run failed before its answer (${this.unexpected ?? "unknown"}). Check the job's state before ${doubt.rule.byHand}`,
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

  send(record: JobRecord, request: SendRequest): Promise<SendResult> {
    return sendCounted(this.deps.send, record, request, this.stop, (event) => this.emit(event));
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
    if (this.interrupted() || (this.stop.aborted && error.code === LOCAL_CODES.aborted)) {
      this.stopWithoutVerdict(record);
    } else {
      record.fail("error", jobErrorOf(error, this.options.context));
    }
  }

  /** Waits through one phase; false when the job ended without reaching what the phase asks. */
  async waitThrough<View>(record: JobRecord, phase: PolledPhase<View>): Promise<boolean> {
    const end = await pollPhase(phase, record, this);
    if (end.kind === "failed") this.failRequest(record, end.error);
    else if (end.kind === "stopped") this.stopWithoutVerdict(record);
    else {
      record.outcome = end.verdict.outcome;
      if (end.verdict.state === "closed" && end.verdict.reason) record.closedReason = end.verdict.reason;
      return end.verdict.state === "done";
    }
    return false;
  }

  /** The end of a job's part of the run: its verdict told, and fail-fast applied. */
  concluded(record: JobRecord) {
    record.elapsedMs = Math.round(this.deps.clock.now() - this.startedAt);
    const report = record.report();
    this.emit({ type: "verdict", report });
    // A timeout cancels no one: the deadline is the whole run's, and each job gets its last look.
    const failsFast = (this.options.failFast ?? true) && report.outcome !== "timeout";
    if (failsFast && this.jobExitCode(report) !== EXIT_CODES.open) this.stopRun("failFast");
  }

  /** Why the run stopped, in words, or undefined while it runs. */
  stoppedBy(): string | undefined {
    if (this.interrupted()) return "the run was interrupted";
    if (this.stopCause === "deadline") return "the timeout came";
    if (this.stopCause === "unexpected") return `the run failed (${this.unexpected})`;
    return undefined;
  }

  /**
   * Sends an action that changes the job, by its rule: one that must not run twice is never sent
   * again after a failure that may have been applied, and none is sent after the deadline.
   */
  async sendOnce(
    record: JobRecord,
    action: OnceAction,
    params: SendRequest["params"] = { JobId: record.jobId },
  ): Promise<ApiAnswer | undefined> {
    const sent = record.sent(action);
    const { rule } = sent;
    record.phase = rule.phase;
    if (this.options.timeoutMs > 0 && this.deps.clock.now() > this.deadlineAt) this.stopRun("deadline");
    const result: SendResult = this.stop.aborted
      ? { ok: false, error: NOT_SENT, attempts: 0 }
      : await this.send(record, {
          action,
          params,
          repeatable: rule.repeatable,
          ...(rule.maxSends === undefined ? {} : { maxSends: rule.maxSends }),
        });
    if (!rule.repeatable && sent.requests > 1) {
      record.note(
        `${action} was sent ${sent.requests} times: ${sent.requests - 1} refused before being processed (at most ${rule.maxSends} sends)`,
      );
    }
    if (result.ok) {
      const requestId = clean(result.value.RequestId);
      sent.receipt = { requestId };
      this.emit(rule.receipt(record.jobId, requestId));
      return result.value;
    }
    if (rule.repeatable) this.failRequest(record, result.error);
    else record.failSend(sent, result.error, this.stoppedBy(), this.options.context);
    return undefined;
  }
}
