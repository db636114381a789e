import type { ApiError } from "../tencent/errors.js";
import type { DescribeMigrationCheckJobResponse } from "../tencent/types.js";
import { clean } from "./text.js";
import type { ActionReceipt, GateResult, JobError, JobReport, RunContext } from "./types.js";
import { EXIT_CODES, type Outcome, warningsOf } from "./verdict.js";

/** Notes kept per job at most: a misbehaving API must not grow the report without bound. */
const MAX_NOTES = 20;

/** What the gate has learnt of one job so far; `report()` turns it into the job's part of the result. */
export class JobRecord {
  outcome: Outcome | undefined;
  last: DescribeMigrationCheckJobResponse | undefined;
  polls = 0;
  requests = 0;
  elapsedMs = 0;
  created: ActionReceipt | null = null;
  started: ActionReceipt | null = null;
  startRequests = 0;
  /** A StartMigrateJob request may have reached the service: its answer was lost or cut. */
  startMaybeApplied = false;
  readonly notes: string[] = [];
  error: JobError | undefined;
  /** The last request that failed and was retried: what a timeout report should explain. */
  lastRetried: ApiError | undefined;

  constructor(readonly jobId: string) {}

  note(text: string) {
    if (this.notes.length < MAX_NOTES && !this.notes.includes(text)) this.notes.push(text);
  }

  forget(text: string) {
    const index = this.notes.indexOf(text);
    if (index >= 0) this.notes.splice(index, 1);
  }

  fail(outcome: Outcome, error: JobError | undefined) {
    this.outcome = outcome;
    if (error) this.error = error;
    if (outcome === "timeout" && this.lastRetried) {
      const { code, message } = jobErrorOf(this.lastRetried);
      this.note(`last failed request before the timeout: ${code}: ${message}`);
    }
  }

  /** A StartMigrateJob that did not succeed, reported for what it may have done. */
  failStart(error: ApiError, stopped: string | undefined, context: RunContext = {}) {
    if (this.startMaybeApplied) {
      const lost = jobErrorOf(error);
      const how = stopped ? `${stopped} while it was in flight` : `its answer was lost (${lost.code}: ${lost.message})`;
      this.fail("error", {
        code: "StartOutcomeUnknown",
        message: `StartMigrateJob was sent but ${how}; it was not sent again. Check the job's state (console or DescribeMigrationDetail) before starting it by hand`,
      });
    } else if (stopped) {
      const what = this.startRequests > 0 ? "accepted (every send was refused before being processed)" : "sent";
      this.fail("error", {
        code: "StartNotSent",
        message: `${stopped} before StartMigrateJob was ${what}: the migration was not started`,
      });
    } else {
      const refused = jobErrorOf(error, context);
      this.fail("error", {
        ...refused,
        message: `${refused.message} (StartMigrateJob refused: the migration was not started)`,
      });
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
      startRequests: this.startRequests,
      notes: this.notes,
      ...(outcome === "error" && error ? { error } : {}),
    };
  }
}

/** What to do next about an error, from what the run was given. */
function hintFor(code: string, context: RunContext): string {
  if (code.startsWith("ResourceNotFound") && context.region === undefined) {
    return " (no region was given: set it with --region, the region input or TENCENTCLOUD_REGION to the job's region)";
  }
  if (code.startsWith("AuthFailure") && context.credentialSource !== undefined) {
    return ` (credentials from ${context.credentialSource})`;
  }
  return "";
}

/** An API error as the report shows it: its text cleaned once, here, like every answer's. */
export function jobErrorOf(error: ApiError, context: RunContext = {}): JobError {
  const code = clean(error.code);
  return {
    code,
    message: `${clean(error.message)}${hintFor(code, context)}`,
    ...(error.requestId === undefined ? {} : { requestId: clean(error.requestId) }),
  };
}

/** The result of a run in which every job ended in the same error before any verdict (exit 4). */
export function failedRun(jobIds: readonly string[], error: JobError): GateResult {
  const jobs = [...new Set(jobIds)].map((jobId) => {
    const record = new JobRecord(jobId);
    record.fail("error", error);
    return record.report();
  });
  return {
    passed: false,
    exitCode: EXIT_CODES.error,
    interrupted: false,
    failOnWarning: false,
    reason: `gate closed: ${error.code}: ${error.message}`,
    jobs,
  };
}

/**
 * The result of a run that failed outside the gate's loop (a bug in setting up or tearing down):
 * every job an error, exit 4, so that every output can still be written.
 */
export function unexpectedFailure(jobIds: readonly string[], error: unknown): GateResult {
  return failedRun(jobIds, { code: "UnexpectedError", message: describeUnexpected(error) });
}

/** A failure that is no result (a bug, a broken dependency), as one clean line. */
export function describeUnexpected(error: unknown): string {
  return clean(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}
