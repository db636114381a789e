import type { CompareTarget } from "../job-kind.js";
import type { JobRecord } from "../job-record.js";
import type { PhaseVerdict, PolledPhase } from "../phase.js";
import type { Outcome } from "../verdict.js";
import { type CompareView, readCompareAnswer } from "./compare-answer.js";

/** A consistency check on its way to an end: waited through. */
const WAITING_STATUSES = new Set(["created", "readyRun", "running", "stopping"]);
const KNOWN_STATUSES = new Set([...WAITING_STATUSES, "success", "failed", "canceled"]);

/**
 * What one answer says of a consistency check. Only `Status` exactly `success` with `Conclusion`
 * exactly `same` is done; `different`, `skipAll` (nothing was compared), `failed` and `canceled`
 * close the gate; anything else waits, unknown words noted.
 */
export function judgeCompare(view: CompareView, passOutcome: Outcome): PhaseVerdict {
  const { status, conclusion, taskId } = view;
  if (!view.found) return { state: "waiting", note: `${taskId} is not among the consistency checks listed yet` };
  if (status === "success") {
    if (conclusion === "same") return { state: "done", outcome: passOutcome };
    if (conclusion === "different") return { state: "closed", outcome: "different" };
    if (conclusion === "skipAll") {
      return {
        state: "closed",
        outcome: "failed",
        reason: `${taskId} compared nothing (Conclusion skipAll: every table was skipped), so the data was not shown to be the same`,
      };
    }
    return { state: "waiting", note: `Status success but Conclusion ${JSON.stringify(conclusion)}: no verdict yet` };
  }
  if (status === "failed" || status === "canceled") {
    const message = view.message ? ` (${view.message})` : "";
    return { state: "closed", outcome: "failed", reason: `the consistency check ${taskId} is ${status}${message}` };
  }
  if (status !== null && !WAITING_STATUSES.has(status)) {
    return { state: "waiting", note: `unexpected consistency check Status ${JSON.stringify(status)}` };
  }
  return { state: "waiting" };
}

/**
 * A consistency check: DescribeCompareTasks (DescribeSyncCompareTasks for a sync job) of its job and
 * task until it ends, judged by `judgeCompare`. `passOutcome`: what the job reaches when the data is
 * the same (a compare task judged as it is passes; a migration compared stays ready).
 */
export function comparePhase(record: JobRecord, target: CompareTarget, passOutcome: Outcome): PolledPhase<CompareView> {
  return {
    name: "compare",
    action: target.actions.describeCompare,
    params: { JobId: target.jobId, CompareTaskId: target.taskId },
    read: (answer) => readCompareAnswer(answer, target.taskId),
    take(view): PhaseVerdict {
      record.compareSeen(view);
      const verdict = judgeCompare(view, passOutcome);
      // An unknown status is kept in the report: the wait may end on it.
      if (verdict.state === "waiting" && view.status !== null && !KNOWN_STATUSES.has(view.status) && verdict.note) {
        record.note(verdict.note);
      }
      return verdict;
    },
    event(compare, verdict, look) {
      return {
        type: "comparePoll",
        jobId: record.jobId,
        state: verdict.state === "waiting" ? "waiting" : verdict.outcome,
        compare,
        ...look,
        ...(verdict.state === "waiting" && verdict.note ? { note: verdict.note } : {}),
      };
    },
    // One step whose percent the task reports: the cadence forecasts the end from its pace.
    progress: (view) => ({
      stepsDone: 0,
      stepsAll: 1,
      ...(view.percent === null ? {} : { stepPercent: view.percent }),
    }),
  };
}
