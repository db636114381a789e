import type { ProgressSignal } from "../cadence.js";
import type { JobRecord } from "../job-record.js";
import type { PhaseVerdict, PolledPhase } from "../phase.js";
import { type MigrationView, readMigrationAnswer } from "./migration-answer.js";
import {
  closingOf,
  isKnownStatus,
  notReadyBecause,
  notStartedOf,
  type ReadyLimits,
  SELF_HEALING_STATUSES,
} from "./migration-verdict.js";

/** Step statuses of a finished step (`finished` and `skipped` are in Tencent's own examples). */
const DONE_STEP_STATUSES = new Set(["success", "finished", "skipped"]);

/** Tencent's cut-over advice: at least a minute at zero lag and zero gap. */
export const DEFAULT_SETTLE_MS = 60_000;

export interface MigratePhaseOptions extends ReadyLimits {
  /** `complete` once CompleteMigrateJob was sent: the wait for success is part of the cut-over. */
  readonly name: "migrate" | "complete";
  /** `ready`: ready to cut over (or done); `done`: Status success. */
  readonly target: "ready" | "done";
  /** The gate started the migration itself: a job not yet shown running is waited for, not refused. */
  readonly startedByGate: boolean;
  /** How long every answer must have shown the job ready before it counts as ready. */
  readonly settleMs: number;
}

/**
 * The migration: DescribeMigrationDetail until the job is ready to cut over (conditions held in
 * every answer for the settle time) or done (`success`). States that need a person close the gate.
 */
export function migratePhase(record: JobRecord, options: MigratePhaseOptions): PolledPhase<MigrationView> {
  let readySince: number | undefined;
  return {
    name: options.name,
    action: "DescribeMigrationDetail",
    read: readMigrationAnswer,
    take(view, now): PhaseVerdict {
      record.migration = view;
      const closing = closingOf(view) ?? (options.startedByGate ? undefined : notStartedOf(view));
      if (closing) return { state: "closed", outcome: "failed", reason: `${record.jobId}: ${closing}` };
      // A migration without an incremental phase ends in success without readyComplete: ready and done.
      if (view.status === "success") return { state: "done", outcome: "done" };
      if (view.status !== null && SELF_HEALING_STATUSES.has(view.status)) {
        // Told at once, in the progress and in the report: the wait may end on it.
        const note = `the migration is ${view.status}: DTS retries such jobs on its own, waiting`;
        record.note(note);
        readySince = undefined;
        return { state: "waiting", note };
      }
      if (!isKnownStatus(view.status)) record.note(`unexpected migration Status ${JSON.stringify(view.status)}`);
      if (options.target === "done") return { state: "waiting" };
      const notReady = notReadyBecause(view, options);
      if (notReady) {
        readySince = undefined;
        return { state: "waiting", note: notReady };
      }
      readySince ??= now;
      if (now - readySince >= options.settleMs) return { state: "done", outcome: "ready" };
      return { state: "waiting", note: `ready for ${Math.round((now - readySince) / 1000)} s, settling` };
    },
    event(migration, verdict, look) {
      return {
        type: "migrationPoll",
        jobId: record.jobId,
        state: verdict.state === "waiting" ? "waiting" : verdict.outcome,
        migration,
        ...look,
        ...(verdict.state === "waiting" && verdict.note ? { note: verdict.note } : {}),
      };
    },
    progress(view) {
      const settled = readySince === undefined ? {} : { endsAt: readySince + options.settleMs };
      return { ...migrationProgress(view), ...settled };
    },
  };
}

/** The steps done and the percent of the one under way, and the lag once it is valid. */
export function migrationProgress(view: MigrationView): ProgressSignal {
  const lag = view.lagSeconds !== null && view.lagSeconds >= 0 ? { lagSeconds: view.lagSeconds } : {};
  const steps = view.steps ?? [];
  const done = steps.filter((step) => step.status !== null && DONE_STEP_STATUSES.has(step.status)).length;
  const percent = steps[done]?.percent;
  return {
    stepsDone: done,
    stepsAll: steps.length,
    ...(percent === null || percent === undefined ? {} : { stepPercent: percent }),
    ...lag,
  };
}
