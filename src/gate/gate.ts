import type { CallResult, DtsClient } from "../tencent/client.js";
import { type ApiError, LOCAL_CODES } from "../tencent/errors.js";
import type { CheckStep, DescribeMigrationCheckJobResponse, DtsAction } from "../tencent/types.js";
import type { Clock } from "./clock.js";
import type { RequestLimiter } from "./limiter.js";
import { type RetriedResult, type RetryNotice, type RetryPolicy, sendWithRetry } from "./retry.js";
import { plural } from "./text.js";
import {
  EXIT_CODES,
  exitCodeOf,
  isTerminalStatus,
  type JobState,
  judge,
  type Outcome,
  type WarningItem,
  warningsOf,
} from "./verdict.js";

export interface GateOptions {
  readonly jobIds: readonly string[];
  readonly intervalMs: number;
  /** 0: one look, no waiting. */
  readonly timeoutMs: number;
  readonly failOnWarning: boolean;
  readonly createCheck: boolean;
  readonly start: boolean;
  /**
   * After CreateMigrateCheckJob the service may still show the previous check's result. A result
   * is taken as fresh once the check was seen unfinished or the result changed; an unchanged
   * result is accepted only after this long, so a very fast check cannot hang the gate.
   */
  readonly staleGraceMs?: number;
}

export interface GateDeps {
  readonly client: Pick<DtsClient, "call" | "adoptServerClock">;
  readonly limiter: RequestLimiter;
  readonly clock: Clock;
  readonly random: () => number;
  readonly policy: RetryPolicy;
  /** Aborted on SIGINT/SIGTERM: in-flight requests are cancelled and what is known is reported. */
  readonly interrupt?: AbortSignal;
  readonly onEvent?: (event: GateEvent) => void;
}

export interface JobError {
  readonly code: string;
  readonly message: string;
  readonly requestId?: string;
}

export interface ActionReceipt {
  readonly requestId: string;
}

export interface JobReport {
  readonly jobId: string;
  readonly outcome: Outcome;
  readonly status: string | null;
  readonly checkFlag: string | null;
  readonly briefMsg: string | null;
  readonly stepInfo: CheckStep[] | null;
  readonly requestId: string | null;
  readonly polls: number;
  /** Requests sent for this job, retries included. */
  readonly requests: number;
  readonly elapsedMs: number;
  readonly warnings: readonly WarningItem[];
  readonly created: ActionReceipt | null;
  readonly started: ActionReceipt | null;
  readonly notes: readonly string[];
  readonly error?: JobError;
}

export interface GateResult {
  readonly passed: boolean;
  readonly exitCode: number;
  readonly interrupted: boolean;
  /** One sentence: why the gate opened or closed. */
  readonly reason: string;
  readonly jobs: readonly JobReport[];
}

export type GateEvent =
  | { readonly type: "created"; readonly jobId: string; readonly requestId: string }
  | {
      readonly type: "poll";
      readonly jobId: string;
      readonly state: JobState;
      readonly response: DescribeMigrationCheckJobResponse;
      readonly polls: number;
      readonly elapsedMs: number;
      readonly note?: string;
    }
  | { readonly type: "retry"; readonly jobId: string; readonly action: DtsAction; readonly notice: RetryNotice }
  | { readonly type: "verdict"; readonly report: JobReport }
  | { readonly type: "started"; readonly jobId: string; readonly requestId: string };

const DEFAULT_STALE_GRACE_MS = 60_000;
const INTERRUPTED: JobError = { code: "Interrupted", message: "interrupted before a verdict" };

class JobRecord {
  outcome: Outcome | undefined;
  last: DescribeMigrationCheckJobResponse | undefined;
  polls = 0;
  requests = 0;
  elapsedMs = 0;
  created: ActionReceipt | null = null;
  started: ActionReceipt | null = null;
  readonly notes: string[] = [];
  error: JobError | undefined;
  /** The last request that failed and was retried: what a timeout report should explain. */
  lastRetried: ApiError | undefined;

  constructor(readonly jobId: string) {}

  note(text: string) {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  fail(outcome: Outcome, error: JobError | undefined) {
    this.outcome = outcome;
    if (error) this.error = error;
    if (outcome === "timeout" && this.lastRetried) {
      this.note(`last failed request before the timeout: ${this.lastRetried.code}: ${this.lastRetried.message}`);
    }
  }

  report(): JobReport {
    const outcome = this.outcome ?? "error";
    const stepInfo = this.last?.StepInfo ?? null;
    const warnings = outcome === "pass" ? warningsOf(stepInfo) : [];
    const error =
      this.error ?? (this.outcome === undefined ? { code: "Unfinished", message: "no verdict" } : undefined);
    return {
      jobId: this.jobId,
      outcome,
      status: this.last?.Status ?? null,
      checkFlag: this.last?.CheckFlag ?? null,
      briefMsg: this.last?.BriefMsg ?? null,
      stepInfo,
      requestId: this.last?.RequestId ?? null,
      polls: this.polls,
      requests: this.requests,
      elapsedMs: this.elapsedMs,
      warnings,
      created: this.created,
      started: this.started,
      notes: this.notes,
      ...(outcome === "error" && error ? { error } : {}),
    };
  }
}

function jobErrorOf(error: ApiError): JobError {
  return {
    code: error.code,
    message: error.message,
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
  };
}

/** Same answer, same check result: used to tell a stale result from a fresh one. */
function resultKey(response: DescribeMigrationCheckJobResponse): string {
  return JSON.stringify([response.Status, response.CheckFlag, response.BriefMsg, response.StepInfo]);
}

function reasonFor(jobs: readonly JobReport[], exitCode: number, failOnWarning: boolean, interrupted: boolean): string {
  if (interrupted) return "gate closed: interrupted before every check had a verdict";
  const byOutcome = (outcome: Outcome) => jobs.filter((job) => job.outcome === outcome).map((job) => job.jobId);
  const errors = jobs.filter((job) => job.outcome === "error");
  if (errors.length > 0) {
    const first = errors[0];
    return `gate closed: ${errors.map((job) => job.jobId).join(", ")} ended in an error${first?.error ? ` (${first.error.code}: ${first.error.message})` : ""}`;
  }
  const timedOut = byOutcome("timeout");
  if (timedOut.length > 0) return `gate closed: no verdict before the timeout for ${timedOut.join(", ")}`;
  const notPassed = byOutcome("notPass");
  const failed = byOutcome("failed");
  if (notPassed.length + failed.length > 0) {
    const parts = [
      ...(notPassed.length > 0 ? [`${notPassed.join(", ")} did not pass the check`] : []),
      ...(failed.length > 0 ? [`the check task of ${failed.join(", ")} failed`] : []),
    ];
    return `gate closed: ${parts.join("; ")}`;
  }
  const warned = jobs.filter((job) => job.warnings.length > 0);
  if (exitCode === EXIT_CODES.closed && failOnWarning) {
    return `gate closed: --fail-on-warning and ${warned.map((job) => `${job.jobId} has ${plural(job.warnings.length, "warning")}`).join(", ")}`;
  }
  const started = jobs.filter((job) => job.started !== null).length;
  const warningNote =
    warned.length > 0
      ? ` (${plural(
          warned.reduce((sum, job) => sum + job.warnings.length, 0),
          "warning",
        )} to review)`
      : "";
  return `gate open: ${jobs.length === 1 ? "the check passed" : `all ${jobs.length} checks passed`}${warningNote}${
    started > 0 ? `; migration started for ${plural(started, "job")}` : ""
  }`;
}

/**
 * Waits for the pre-migration check of every job and turns the results into one verdict.
 * Optionally (re)creates the checks first and starts the migrations once every job passed.
 * Knows nothing of the command line or of GitHub: time, transport and output are injected.
 */
export async function runGate(options: GateOptions, deps: GateDeps): Promise<GateResult> {
  const { clock, client } = deps;
  const jobIds = [...new Set(options.jobIds)];
  const records = jobIds.map((jobId) => new JobRecord(jobId));
  const startedAt = clock.now();
  const deadlineAt = startedAt + options.timeoutMs;
  const staleGraceMs = options.staleGraceMs ?? DEFAULT_STALE_GRACE_MS;

  // One deadline for the whole wait; it also cuts whatever is in flight when it passes.
  const finished = new AbortController();
  const deadline = new AbortController();
  if (options.timeoutMs > 0) {
    clock.sleep(options.timeoutMs, finished.signal).then(
      () => deadline.abort(),
      () => {},
    );
  }
  const signals = [deadline.signal, ...(deps.interrupt ? [deps.interrupt] : [])];
  const runSignal = AbortSignal.any(signals);
  const interrupted = () => deps.interrupt?.aborted === true;
  const jobExitCode = (job: JobReport) => exitCodeOf(job.outcome, options.failOnWarning && job.warnings.length > 0);

  const send = <A extends DtsAction>(record: JobRecord, action: A, idempotent = true): Promise<RetriedResult<A>> =>
    sendWithRetry<A>(
      (signal) => {
        record.requests++;
        return client.call(action, { JobId: record.jobId }, signal ? { signal } : {}) as Promise<CallResult<A>>;
      },
      {
        limiter: deps.limiter,
        clock,
        random: deps.random,
        policy: deps.policy,
        signal: runSignal,
        adoptServerClock: (ms) => client.adoptServerClock(ms),
        onRetry: (notice) => {
          record.lastRetried = notice.error;
          deps.onEvent?.({ type: "retry", jobId: record.jobId, action, notice });
        },
      },
      { idempotent },
    );

  /** Ends a job that was stopped before its verdict: by an interruption, else by the deadline. */
  const stopWithoutVerdict = (record: JobRecord) => {
    if (interrupted()) record.fail("error", INTERRUPTED);
    else record.fail("timeout", undefined);
  };

  /** Ends a job whose request failed: the deadline and interruption explain an abort. */
  const failRequest = (record: JobRecord, error: ApiError) => {
    if (interrupted() || (deadline.signal.aborted && error.code === LOCAL_CODES.aborted)) stopWithoutVerdict(record);
    else record.fail("error", jobErrorOf(error));
  };

  const createCheck = async (record: JobRecord): Promise<boolean> => {
    const result = await send(record, "CreateMigrateCheckJob");
    if (!result.ok) {
      failRequest(record, result.error);
      return false;
    }
    record.created = { requestId: result.value.RequestId };
    deps.onEvent?.({ type: "created", jobId: record.jobId, requestId: result.value.RequestId });
    return true;
  };

  const waitForVerdict = async (record: JobRecord): Promise<void> => {
    const createdAt = clock.now();
    let sawUnfinished = !options.createCheck;
    let firstResultKey: string | undefined;
    for (;;) {
      const pollStartedAt = clock.now();
      const result = await send(record, "DescribeMigrationCheckJob");
      if (!result.ok) {
        failRequest(record, result.error);
        return;
      }
      record.polls++;
      record.lastRetried = undefined;
      const response = result.value;
      record.last = response;
      let { state, note } = judge(response);
      if (!isTerminalStatus(response.Status)) sawUnfinished = true;
      if (state !== "waiting" && !sawUnfinished) {
        // A finished result right after CreateMigrateCheckJob may be the previous check's.
        const key = resultKey(response);
        firstResultKey ??= key;
        if (key !== firstResultKey) {
          sawUnfinished = true;
        } else if (clock.now() - createdAt >= staleGraceMs) {
          record.note("the new check was never seen running; its result is taken as it stands after the grace period");
        } else {
          note = "result may be from before the new check started: waiting for it to run";
          state = "waiting";
        }
      }
      if (note) record.note(note);
      record.elapsedMs = Math.round(clock.now() - startedAt);
      deps.onEvent?.({
        type: "poll",
        jobId: record.jobId,
        state,
        response,
        polls: record.polls,
        elapsedMs: record.elapsedMs,
        ...(note ? { note } : {}),
      });
      if (state !== "waiting") {
        record.outcome = state;
        return;
      }
      // The deadline is checked before sleeping: a poll that could only come after it never starts.
      const nextPollAt = pollStartedAt + options.intervalMs;
      if (nextPollAt >= deadlineAt || interrupted()) {
        stopWithoutVerdict(record);
        return;
      }
      try {
        // A poll that took the whole interval is followed at once: no timer for nothing.
        const pauseMs = nextPollAt - clock.now();
        if (pauseMs > 0) await clock.sleep(pauseMs, runSignal);
      } catch {
        stopWithoutVerdict(record);
        return;
      }
    }
  };

  const startMigration = async (record: JobRecord): Promise<void> => {
    const result = await send(record, "StartMigrateJob", false);
    if (result.ok) {
      record.started = { requestId: result.value.RequestId };
      deps.onEvent?.({ type: "started", jobId: record.jobId, requestId: result.value.RequestId });
      return;
    }
    const error = result.error;
    if (error.maybeApplied && error.retryable) {
      record.fail("error", {
        code: "StartOutcomeUnknown",
        message: `StartMigrateJob was sent but its answer was lost (${error.code}: ${error.message}); it was not sent again. Check the job's state (console or DescribeMigrationDetail) before starting it by hand`,
      });
      return;
    }
    failRequest(record, error);
  };

  try {
    await Promise.all(
      records.map(async (record) => {
        if (!options.createCheck || (await createCheck(record))) await waitForVerdict(record);
        record.elapsedMs = Math.round(clock.now() - startedAt);
        deps.onEvent?.({ type: "verdict", report: record.report() });
      }),
    );
    const gateOpen = records.every((record) => jobExitCode(record.report()) === EXIT_CODES.open);
    if (options.start && !interrupted() && gateOpen) {
      // Starting is not idempotent: each job once, and only when every job passed.
      await Promise.all(records.map(startMigration));
    }
  } finally {
    finished.abort();
  }

  const jobs = records.map((record) => record.report());
  const exitCode = interrupted() ? EXIT_CODES.error : Math.max(EXIT_CODES.open, ...jobs.map(jobExitCode));
  return {
    passed: !interrupted() && exitCode === EXIT_CODES.open,
    exitCode,
    interrupted: interrupted(),
    reason: reasonFor(jobs, exitCode, options.failOnWarning, interrupted()),
    jobs,
  };
}
