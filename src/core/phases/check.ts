import type { ProgressSignal } from "../cadence.js";
import type { JobRecord } from "../job-record.js";
import type { PhaseVerdict, PolledPhase } from "../phase.js";
import { type CheckView, readCheckAnswer } from "./check-answer.js";
import { judge } from "./check-verdict.js";
import { DEFAULT_STALE_GRACE_MS, FreshResultFilter, GRACE_NOTE, STALE_NOTE } from "./fresh-result.js";
import { judgeSyncCheck, readSyncCheckAnswer } from "./sync-check-answer.js";

/** How each kind of job's check is asked for, read and judged: a sync check has no CheckFlag. */
const CHECKS = {
  migration: { action: "DescribeMigrationCheckJob", read: readCheckAnswer, judge },
  sync: { action: "DescribeCheckSyncJobResult", read: readSyncCheckAnswer, judge: judgeSyncCheck },
} as const;

export interface CheckPhaseOptions {
  /** A new check was just created: the first answers may still show the previous one's result. */
  readonly newCheck: boolean;
  readonly staleGraceMs?: number;
}

/**
 * The pre-migration check: DescribeMigrationCheckJob until `success` with a CheckFlag, or `failed`.
 * `checkPass` is done; `checkNotPass` and `failed` close the gate. A data sync job's check is
 * DescribeCheckSyncJobResult, judged by its steps.
 */
export function checkPhase(record: JobRecord, options: CheckPhaseOptions, now: number): PolledPhase<CheckView> {
  const freshness = new FreshResultFilter(options.newCheck, now, options.staleGraceMs ?? DEFAULT_STALE_GRACE_MS);
  let stale = false;
  const check = record.kind === "sync" ? CHECKS.sync : CHECKS.migration;
  return {
    name: "check",
    action: check.action,
    read(answer) {
      const { response, anomalies } = check.read(answer);
      return { view: response, anomalies };
    },
    take(response, at): PhaseVerdict {
      record.last = response;
      let { state, note } = check.judge(response);
      const freshnessOfResult = freshness.classify(response, state !== "waiting", at);
      stale = freshnessOfResult === "stale";
      if (stale) {
        note = STALE_NOTE;
        state = "waiting";
      } else if (freshnessOfResult === "graceElapsed") {
        record.note(GRACE_NOTE);
      }
      // Once the new check was seen, the doubt about the old result is gone from the report.
      if (freshness.sawNewCheck) record.forget(STALE_NOTE);
      if (note) record.note(note);
      if (state === "waiting") return { state, ...(note ? { note } : {}) };
      return state === "pass" ? { state: "done", outcome: state } : { state: "closed", outcome: state };
    },
    event(response, verdict, look) {
      const note = verdict.state === "waiting" ? verdict.note : undefined;
      return {
        type: "poll",
        jobId: record.jobId,
        state: verdict.state === "waiting" ? "waiting" : verdict.outcome,
        response,
        ...look,
        stale,
        ...(note ? { note } : {}),
      };
    },
    progress: checkProgress,
  };
}

/** A step with a result (anything but not started or running) is done; the check has every step listed. */
function checkProgress(response: CheckView): ProgressSignal {
  const steps = response.StepInfo ?? [];
  const pending = new Set([null, "notStarted", "running"]);
  return { stepsDone: steps.filter((step) => !pending.has(step.StepStatus)).length, stepsAll: steps.length };
}
