import type { ApiAnswer, DtsAction } from "../tencent/types.js";
import type { ProgressSignal } from "./cadence.js";
import type { GateEvent, PhaseName } from "./types.js";
import type { Outcome } from "./verdict.js";

/** What one answer says about a phase: wait on, the phase is done, or the gate is closed. */
export type PhaseVerdict =
  | { readonly state: "waiting"; readonly note?: string }
  | { readonly state: "done"; readonly outcome: Outcome }
  | {
      readonly state: "closed";
      readonly outcome: Outcome;
      /** Why, in words, when the outcome alone does not say it. */
      readonly reason?: string;
    };

/** Where the loop stands when an answer is taken in: what the phase's progress event shows. */
export interface Look {
  readonly polls: number;
  readonly elapsedMs: number;
}

/**
 * A phase the poll loop waits through. The loop knows nothing of what it polls: the phase names its
 * action, reads an answer through its one validating step into a typed view, and judges that view.
 * A phase is made per job and may keep what it has seen (a settle timer, a stale result's key).
 */
export interface PolledPhase<View> {
  readonly name: PhaseName;
  readonly action: DtsAction;
  /** What each poll sends; `{JobId}` of the job when absent. */
  readonly params?: Readonly<Record<string, string>>;
  /** The one validating step: any answer in, the typed view and what did not have its documented type. */
  read(answer: ApiAnswer): { readonly view: View; readonly anomalies: readonly string[] };
  /** Keeps what the report shows of this view in the job's record and judges it, at `now`. */
  take(view: View, now: number): PhaseVerdict;
  /** The progress event of this answer. */
  event(view: View, verdict: PhaseVerdict, look: Look): GateEvent;
  /** How far the job has come by this view (called after `take`): what the cadence forecasts its end from. */
  progress(view: View): ProgressSignal;
}
