import type { ApiError } from "../tencent/errors.js";
import { Cadence } from "./cadence.js";
import type { Clock } from "./clock.js";
import type { JobRecord } from "./job-record.js";
import type { PhaseVerdict, PolledPhase } from "./phase.js";
import type { SendRequest, SendResult } from "./send.js";
import type { GateEvent } from "./types.js";

/** How a phase's wait ended: a verdict, a request that failed, or the run told it to stop. */
export type PollEnd =
  | { readonly kind: "verdict"; readonly verdict: Exclude<PhaseVerdict, { state: "waiting" }> }
  | { readonly kind: "failed"; readonly error: ApiError }
  | { readonly kind: "stopped" };

/** What the loop needs of the run: time, the deadline, its stop signal, a way to send and to tell. */
export interface PollLoop {
  readonly clock: Clock;
  /** The shortest and the longest gap between two polls of one job. */
  readonly intervalMs: number;
  readonly maxIntervalMs: number;
  readonly startedAt: number;
  /** The last moment a poll may start. */
  readonly deadlineAt: number;
  readonly stop: AbortSignal;
  send(record: JobRecord, request: SendRequest): Promise<SendResult>;
  emit(event: GateEvent): void;
}

/**
 * Polls one job through one phase until the phase's verdict, a failed request, or the end of the
 * wait. Knows nothing of what it polls: the phase reads and judges each answer, and tells how far
 * the job has come, from which the cadence decides when to poll next.
 */
export async function pollPhase<View>(phase: PolledPhase<View>, record: JobRecord, loop: PollLoop): Promise<PollEnd> {
  const { clock } = loop;
  record.phase = phase.name;
  // A stopped run sends no poll.
  if (loop.stop.aborted) return { kind: "stopped" };
  const { intervalMs, maxIntervalMs, deadlineAt } = loop;
  const cadence = new Cadence({ intervalMs, maxIntervalMs, deadlineAt });
  let previous: string | undefined;
  for (;;) {
    const pollStartedAt = clock.now();
    const result = await loop.send(record, {
      action: phase.action,
      params: phase.params ?? { JobId: record.jobId },
      repeatable: true,
      // When many jobs share a short budget, the ones whose end is nearest are polled first.
      priority: cadence.queuePriority(pollStartedAt),
    });
    if (!result.ok) return { kind: "failed", error: result.error };
    record.polls++;
    record.lastRetried = undefined;
    const { view, anomalies } = phase.read(result.value);
    if (anomalies.length > 0) record.note(`the answer had fields of an unexpected type: ${anomalies.join("; ")}`);
    const verdict = phase.take(view, clock.now());
    record.elapsedMs = Math.round(clock.now() - loop.startedAt);
    loop.emit(phase.event(view, verdict, { polls: record.polls, elapsedMs: record.elapsedMs }));
    if (verdict.state !== "waiting") return { kind: "verdict", verdict };
    const progress = phase.progress(view);
    const seen = JSON.stringify(progress);
    cadence.see({ at: clock.now(), changed: seen !== previous, progress });
    previous = seen;
    if (!(await pauseBeforeNextPoll(loop, pollStartedAt, cadence.nextPollAt(pollStartedAt))))
      return { kind: "stopped" };
  }
}

/**
 * The pause until the next poll, when the cadence said (never past the deadline). The last pause is
 * cut short so that one last poll starts at the deadline: a verdict that comes within the timeout is
 * never missed for want of a poll. False when the run must stop waiting (the last poll was the
 * deadline's, or the run was stopped).
 */
async function pauseBeforeNextPoll(loop: PollLoop, pollStartedAt: number, nextPollAt: number): Promise<boolean> {
  const now = loop.clock.now();
  // No poll starts after the deadline: not once the deadline's poll was made, nor when a poll ran past it.
  if (pollStartedAt >= loop.deadlineAt || now > loop.deadlineAt || loop.stop.aborted) return false;
  try {
    // A poll that took the whole interval is followed at once: no timer for nothing.
    const pauseMs = nextPollAt - now;
    if (pauseMs > 0) await loop.clock.sleep(pauseMs, loop.stop);
    return true;
  } catch {
    return false;
  }
}
