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
import { migrationPollEvent, Settle } from "./ready-wait.js";

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
  const settle = new Settle(options.settleMs);
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
        return settle.notReady(note);
      }
      if (!isKnownStatus(view.status)) record.note(`unexpected migration Status ${JSON.stringify(view.status)}`);
      if (options.target === "done") return { state: "waiting" };
      const notReady = notReadyBecause(view, options);
      return notReady ? settle.notReady(notReady) : settle.ready(now);
    },
    event: (migration, verdict, look) => migrationPollEvent(record.jobId, migration, verdict, look),
    progress: (view) => settle.progress(view),
  };
}
