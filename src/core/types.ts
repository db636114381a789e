import type { CheckStep, DescribeMigrationCheckJobResponse, DtsAction } from "../tencent/types.js";
import type { Clock } from "./clock.js";
import type { JobKind } from "./job-kind.js";
import type { CompareView } from "./phases/compare-answer.js";
import type { MigrationView } from "./phases/migration-answer.js";
import type { RetryNotice, SendPort } from "./send.js";
import type { JobState, Outcome, WarningItem } from "./verdict.js";

/** The phases of a job's life that the gate can take it through, in this order. */
export type PhaseName = "check" | "start" | "migrate" | "compare" | "complete";

export interface GateOptions {
  readonly jobIds: readonly string[];
  readonly intervalMs: number;
  /**
   * The longest gap between two polls of one job, at least `intervalMs` (equal: fixed polling).
   * Absent: MAX_INTERVAL_FACTOR times the interval.
   */
  readonly maxIntervalMs?: number;
  /** 0: one look, no waiting. */
  readonly timeoutMs: number;
  readonly failOnWarning: boolean;
  readonly createCheck: boolean;
  readonly start: boolean;
  /**
   * Once the gate can no longer open (a job ended not passed, failed or in an error), the jobs
   * still waited for are not polled again: they end `cancelled`. Default on.
   */
  readonly failFast?: boolean;
  /**
   * After CreateMigrateCheckJob the service may still show the previous check's result. A result
   * is taken as fresh once the check was seen unfinished or the result changed; an unchanged
   * result is accepted only after this long, so a very fast check cannot hang the gate.
   */
  readonly staleGraceMs?: number;
  /** What the run was given, for errors that say what to do next (never a secret). */
  readonly context?: RunContext;
  /**
   * How far to take every job: `check` (the default) stops after the check and the start; `ready`
   * waits until every migration is ready to cut over; `done` until every one is `success`.
   */
  readonly until?: "check" | "ready" | "done";
  /** Ready needs a lag of at most this long (default 0). */
  readonly maxLagMs?: number;
  /** Ready needs a gap of at most this many MB (default 0). */
  readonly maxGapMB?: number;
  /** Ready needs every answer to show it for at least this long (default 60 s). */
  readonly settleMs?: number;
  /** CompleteMigrateJob once every job is ready, then wait until every one is done. */
  readonly complete?: boolean;
  /** A consistency check of every job once every one is ready; the gate opens only on the same data. */
  readonly compare?: boolean;
}

export interface RunContext {
  /** The region sent as X-TC-Region; absent when none was given. */
  readonly region?: string;
  /** Where the credentials came from, in words (never their values). */
  readonly credentialSource?: string;
}

export interface GateDeps {
  /** Sends one logical request: retries, pacing and signing are wired in by whoever runs the gate. */
  readonly send: SendPort;
  readonly clock: Clock;
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
  /** StartMigrateJob requests handed to the network for this job (0: never sent). */
  readonly startRequests: number;
  readonly notes: readonly string[];
  readonly error?: JobError;
  /** What the job is, from its id. */
  readonly kind?: JobKind;
  /** The last phase the job reached. */
  readonly phase?: PhaseName;
  /** Why a phase closed the gate, when the outcome alone does not say it (a migration's state). */
  readonly closedBy?: string;
  /** The migration as last seen, when the migrate phase ran. */
  readonly migration?: MigrationReport;
  /** CompleteMigrateJob, when it was asked for. */
  readonly complete?: { readonly sent: boolean; readonly requestId: string | null };
  /** The consistency check, when one was created or judged. */
  readonly compare?: CompareReport;
}

/** A consistency check as the report shows it: its state, the abstract's counts and the differing tables. */
export interface CompareReport {
  readonly taskId: string;
  readonly status: string | null;
  readonly conclusion: string | null;
  readonly checkedTables: number | null;
  readonly differentTables: number | null;
  readonly skippedTables: number | null;
  readonly differentRows: number | null;
  /** Distinct database and table pairs with differences, as far as the report was read. */
  readonly differences: readonly { readonly db: string; readonly table: string }[];
}

export interface MigrationReport {
  readonly status: string | null;
  readonly stepNow: number | null;
  readonly stepAll: number | null;
  readonly lagSeconds: number | null;
  readonly gapMB: number | null;
  readonly allowedActions: readonly string[] | null;
  readonly steps: readonly {
    readonly stepId: string | null;
    readonly name: string | null;
    readonly status: string | null;
    readonly percent: number | null;
  }[];
}

export interface GateResult {
  readonly passed: boolean;
  readonly exitCode: number;
  readonly interrupted: boolean;
  /** --fail-on-warning: a check that passed with warnings closed the gate. */
  readonly failOnWarning: boolean;
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
      /** The answer may still be the previous check's (after CreateMigrateCheckJob): not shown as progress. */
      readonly stale?: boolean;
      readonly note?: string;
    }
  | { readonly type: "retry"; readonly jobId: string; readonly action: DtsAction; readonly notice: RetryNotice }
  /** A request that failed at first succeeded on its `attempts`-th attempt. */
  | { readonly type: "recovered"; readonly jobId: string; readonly action: DtsAction; readonly attempts: number }
  | { readonly type: "verdict"; readonly report: JobReport }
  | { readonly type: "started"; readonly jobId: string; readonly requestId: string }
  | { readonly type: "completeSent"; readonly jobId: string; readonly requestId: string }
  | { readonly type: "compareCreated"; readonly jobId: string; readonly requestId: string }
  | { readonly type: "compareStarted"; readonly jobId: string; readonly requestId: string }
  | {
      readonly type: "comparePoll";
      readonly jobId: string;
      readonly state: JobState;
      readonly compare: CompareView;
      readonly polls: number;
      readonly elapsedMs: number;
      readonly note?: string;
    }
  | {
      readonly type: "migrationPoll";
      readonly jobId: string;
      readonly state: JobState;
      readonly migration: MigrationView;
      readonly polls: number;
      readonly elapsedMs: number;
      readonly note?: string;
    };
