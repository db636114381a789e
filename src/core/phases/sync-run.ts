import type { JobRecord } from "../job-record.js";
import type { PhaseVerdict, PolledPhase } from "../phase.js";
import type { MigrationView } from "./migration-answer.js";
import type { ReadyLimits } from "./migration-verdict.js";
import { migrationPollEvent, Settle } from "./ready-wait.js";
import { readSyncJobsAnswer } from "./sync-answer.js";
import {
  isKnownSyncStatus,
  SYNC_SELF_HEALING_STATUSES,
  syncClosingOf,
  syncNotReadyBecause,
  syncNotStartedOf,
} from "./sync-verdict.js";

export interface SyncRunOptions extends ReadyLimits {
  /** The gate started the sync itself: a job not yet shown running is waited for, not refused. */
  readonly startedByGate: boolean;
  /** How long every answer must have shown the job ready before it counts as ready. */
  readonly settleMs: number;
}

/**
 * A data sync job on its way to ready: DescribeSyncJobs until `Running` in the incremental step
 * with the lag and the gap within bounds in every answer for the settle time. A sync has no end to
 * wait for: it runs until stopped. States that need a person close the gate.
 */
export function syncRunPhase(record: JobRecord, options: SyncRunOptions): PolledPhase<MigrationView> {
  const settle = new Settle(options.settleMs);
  return {
    name: "migrate",
    action: "DescribeSyncJobs",
    read: (answer) => readSyncJobsAnswer(answer, record.jobId),
    take(view, now): PhaseVerdict {
      record.migration = view;
      const closing = syncClosingOf(view) ?? (options.startedByGate ? undefined : syncNotStartedOf(view));
      if (closing) return { state: "closed", outcome: "failed", reason: `${record.jobId}: ${closing}` };
      if (view.status !== null && SYNC_SELF_HEALING_STATUSES.has(view.status)) {
        const note = `the sync job is ${view.status}: DTS retries such jobs on its own, waiting`;
        record.note(note);
        return settle.notReady(note);
      }
      if (!isKnownSyncStatus(view.status)) record.note(`unexpected sync Status ${JSON.stringify(view.status)}`);
      const notReady = syncNotReadyBecause(view, options);
      return notReady ? settle.notReady(notReady) : settle.ready(now);
    },
    event: (migration, verdict, look) => migrationPollEvent(record.jobId, migration, verdict, look),
    progress: (view) => settle.progress(view),
  };
}
