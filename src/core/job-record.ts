import type { ApiError } from "../tencent/errors.js";
import { actionsOf, type JobActions, type JobKind, kindOfId } from "./job-kind.js";
import { type OnceAction, SentRecord } from "./once-actions.js";
import type { CheckView } from "./phases/check-answer.js";
import type { CompareView } from "./phases/compare-answer.js";
import type { MigrationView } from "./phases/migration-answer.js";
import { clean } from "./text.js";
import type {
  CompareReport,
  GateResult,
  JobError,
  JobReport,
  MigrationReport,
  PhaseName,
  RunContext,
} from "./types.js";
import { EXIT_CODES, type Outcome, UNREADABLE_STEPS_WARNING, warningsOf } from "./verdict.js";

/** Notes kept per job at most: a misbehaving API must not grow the report without bound. */
const MAX_NOTES = 20;

/** What the gate has learnt of one job so far; `report()` turns it into the job's part of the result. */
export class JobRecord {
  outcome: Outcome | undefined;
  last: CheckView | undefined;
  polls = 0;
  requests = 0;
  elapsedMs = 0;
  /** The migration as last seen. */
  migration: MigrationView | undefined;
  /** CompleteMigrateJob was asked for: the report says whether it was sent. */
  completeAsked = false;
  /** Why a phase closed the gate, when its outcome alone does not say it. */
  closedReason: string | undefined;
  /** The last phase this job reached. */
  phase: PhaseName = "check";
  /** What was sent of each action that changes the job. */
  readonly #sent = new Map<OnceAction, SentRecord>();
  readonly notes: string[] = [];
  error: JobError | undefined;
  /** The last request that failed and was retried: what a timeout report should explain. */
  lastRetried: ApiError | undefined;
  /** The consistency check as last seen and read, once one was created or polled. */
  compare: CompareReport | undefined;
  readonly kind: JobKind;
  /** The actions of this kind of job (a compare task's are those of its job). */
  readonly actions: JobActions;

  constructor(readonly jobId: string) {
    this.kind = kindOfId(jobId) ?? "migration";
    this.actions = actionsOf(jobId);
  }

  /** The consistency check's state from one DescribeCompareTasks answer. */
  compareSeen(view: CompareView) {
    this.compare = {
      ...(this.compare ?? emptyCompare(view.taskId)),
      taskId: view.taskId,
      status: view.status,
      conclusion: view.conclusion,
    };
  }

  /** The consistency check's report: the abstract's counts and the differing tables read. */
  compareRead(report: Omit<CompareReport, "taskId" | "status">) {
    const current = this.compare ?? emptyCompare("");
    this.compare = { ...current, ...report, conclusion: current.conclusion ?? report.conclusion };
  }

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

  sent(action: OnceAction): SentRecord {
    let sent = this.#sent.get(action);
    if (!sent) {
      sent = new SentRecord(action);
      this.#sent.set(action, sent);
    }
    return sent;
  }

  /** Every action sent and not answered: what a run that ends now must report as in doubt. */
  inDoubt(): SentRecord[] {
    return [...this.#sent.values()].filter((sent) => sent.inDoubt);
  }

  /** An action that changes the job and did not succeed, reported for what it may have done. */
  failSend(sent: SentRecord, error: ApiError, stopped: string | undefined, context: RunContext = {}) {
    const { action, rule } = sent;
    if (sent.maybeApplied && rule.unknownCode) {
      const lost = jobErrorOf(error);
      const how = stopped ? `${stopped} while it was in flight` : `its answer was lost (${lost.code}: ${lost.message})`;
      this.fail("error", {
        code: rule.unknownCode,
        message: `${action} was sent but ${how}; it was not sent again. Check the job's state (console or ${this.actions.run}) before ${rule.byHand}`,
      });
    } else if (stopped && rule.notSentCode) {
      const what = sent.requests > 0 ? "accepted (every send was refused before being processed)" : "sent";
      this.fail("error", {
        code: rule.notSentCode,
        message: `${stopped} before ${action} was ${what}: ${rule.notDone}`,
      });
    } else {
      const refused = jobErrorOf(error, context);
      this.fail("error", { ...refused, message: `${refused.message} (${action} refused: ${rule.notDone})` });
    }
  }

  report(): JobReport {
    const outcome = this.outcome ?? "error";
    const stepInfo = this.last?.StepInfo ?? null;
    const unreadable = this.last?.stepsUnreadable ? [UNREADABLE_STEPS_WARNING] : [];
    const warnings = outcome === "pass" ? [...warningsOf(stepInfo), ...unreadable] : [];
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
      created: this.sent(this.actions.createCheck).receipt,
      started: this.sent(this.actions.start).receipt,
      startRequests: this.sent(this.actions.start).requests,
      kind: this.kind,
      phase: this.phase,
      ...(this.closedReason ? { closedBy: this.closedReason } : {}),
      ...(this.migration ? { migration: migrationReport(this.migration) } : {}),
      ...(this.completeAsked ? { complete: completeReport(this.sent("CompleteMigrateJob")) } : {}),
      ...(this.compare ? { compare: this.compare } : {}),
      notes: this.notes,
      ...(outcome === "error" && error ? { error } : {}),
    };
  }
}

function emptyCompare(taskId: string): CompareReport {
  return {
    taskId,
    status: null,
    conclusion: null,
    checkedTables: null,
    differentTables: null,
    skippedTables: null,
    differentRows: null,
    differences: [],
  };
}

function migrationReport(view: MigrationView): MigrationReport {
  return {
    status: view.status,
    stepNow: view.stepNow,
    stepAll: view.stepAll,
    lagSeconds: view.lagSeconds,
    gapMB: view.gapMB,
    allowedActions: view.allowedActions,
    steps: view.steps ?? [],
  };
}

function completeReport(sent: SentRecord): NonNullable<JobReport["complete"]> {
  return { sent: sent.requests > 0, requestId: sent.receipt?.requestId ?? null };
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
