import type { ProgressSignal } from "../cadence.js";
import type { Look, PhaseVerdict } from "../phase.js";
import type { GateEvent } from "../types.js";
import type { MigrationView } from "./migration-answer.js";

/** Step statuses of a finished step (`finished` and `skipped` are in Tencent's own examples). */
const DONE_STEP_STATUSES = new Set(["success", "finished", "skipped"]);

/**
 * What a migration and a data sync job share on their way to ready: readiness must hold in every
 * answer for the settle time, and any answer that is not ready starts it again.
 */
export class Settle {
  #since: number | undefined;

  constructor(readonly settleMs: number) {}

  /** The verdict of an answer that is not ready (or in a state DTS heals on its own): the settle starts again. */
  notReady(note: string): PhaseVerdict {
    this.#since = undefined;
    return { state: "waiting", note };
  }

  /** The verdict of an answer that shows the job ready at `now`. */
  ready(now: number): PhaseVerdict {
    this.#since ??= now;
    if (now - this.#since >= this.settleMs) return { state: "done", outcome: "ready" };
    return { state: "waiting", note: `ready for ${Math.round((now - this.#since) / 1000)} s, settling` };
  }

  /** The job's progress for the cadence, with the settle's end once it has begun. */
  progress(view: MigrationView): ProgressSignal {
    const settled = this.#since === undefined ? {} : { endsAt: this.#since + this.settleMs };
    return { ...migrationProgress(view), ...settled };
  }
}

/** The progress event of a migration or sync job answer. */
export function migrationPollEvent(
  jobId: string,
  migration: MigrationView,
  verdict: PhaseVerdict,
  look: Look,
): GateEvent {
  return {
    type: "migrationPoll",
    jobId,
    state: verdict.state === "waiting" ? "waiting" : verdict.outcome,
    migration,
    ...look,
    ...(verdict.state === "waiting" && verdict.note ? { note: verdict.note } : {}),
  };
}

/** The steps done and the percent of the one under way, and the lag once it is valid. */
function migrationProgress(view: MigrationView): ProgressSignal {
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
