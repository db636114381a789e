import type { Clock } from "../core/clock.js";
import { createRateLimiter, limiterStopped, type RequestLimiter, type Slot } from "./limiter.js";
import { SHARED_ARRIVAL_MARGIN_MS, WINDOW_MS } from "./shared-budget.js";
import { createWaitingQueue } from "./waiting-queue.js";

export interface Fallback extends RequestLimiter {
  /** Requests per second this process keeps to from now on. */
  readonly share: number;
  /** The number of processes the rate was split among. */
  readonly splitAmong: number;
}

/**
 * Redis is gone (a connection closed, a command unanswered, a script failed): from now on each
 * process is on its own and cannot ask how many others still run. Each keeps to
 * floor(rate / N), N the most participants it saw alive during the run (counted every second),
 * at least 2. Participants count each other once both have joined, so the survivors' N agree and
 * their shares add up to at most the rate; only one that joined in the very last second before
 * the loss can be missing from an older one's N (a share too many, and the API's
 * RequestLimitExceeded is retried with backoff anyway). The floor of 2 covers the likeliest case
 * of that: a process alone until another joined just before the loss. A share is at least one a
 * second, so with a rate below N the shares add up to more than it: without Redis, processes
 * cannot take turns, and the API's refusals are retried the same way. No start comes before one
 * window (plus the margin) after the loss was noticed, so that no second holds shared starts and
 * local ones together; tasks waiting for that keep their order and leave on their signal.
 */
export function startFallback(rate: number, peakParticipants: number, clock: Clock): Fallback {
  const splitAmong = Math.max(2, peakParticipants);
  const share = Math.max(1, Math.floor(rate / splitAmong));
  // The same arrival margin as the shared bucket: the shares of several processes only add up to
  // the rate if none of them bunches.
  const limiter = createRateLimiter({ rate: share, clock, marginMs: SHARED_ARRIVAL_MARGIN_MS });
  const heldOff = createWaitingQueue();
  const ending = new AbortController();
  let holdingOff = true;
  clock.sleep(WINDOW_MS + SHARED_ARRIVAL_MARGIN_MS, ending.signal).then(
    () => {
      holdingOff = false;
      while (heldOff.startNext()) {}
    },
    () => {},
  );
  return {
    share,
    splitAmong,
    schedule<T>(task: () => Promise<T>, slot: Slot): Promise<T> {
      if (!holdingOff) return limiter.schedule(task, slot);
      return heldOff.add(() => limiter.schedule(task, slot), slot.signal);
    },
    async stop() {
      ending.abort(limiterStopped());
      heldOff.rejectAll(limiterStopped());
      await limiter.stop();
    },
  };
}

/** Where a request goes once it has its shared token: the process's own ceiling, or the fall-back. */
export interface LocalStage {
  /**
   * Starts `task`, which has its shared token, once the process's own ceiling allows; from the
   * loss on, through the fall-back share instead (any task, token or not).
   */
  schedule<T>(task: () => Promise<T>, slot: Slot): Promise<T>;
  /** The fall-back, once Redis was lost. */
  readonly fallback: Fallback | undefined;
  /** Redis is lost: starts the fall-back, and hands it the tasks not started yet, in their order. */
  fallBack(peakParticipants: number): Fallback;
  stop(): Promise<void>;
}

/**
 * A task that has its shared token but that the process's own ceiling has not started when Redis
 * is lost is not started with that token: it goes to the fall-back, ahead of those still waiting
 * for a token. A shared start after the loss was noticed could share a second with the fall-back's
 * first starts, the hold-off being counted from the notice.
 */
export function createLocalStage(rate: number, clock: Clock): LocalStage {
  /** The process's own ceiling: every request that has its shared token passes it too. */
  const own = createRateLimiter({ rate, clock });
  /** Tasks with their shared token that the own ceiling has not started yet. */
  const holdingToken = createWaitingQueue();
  let fallback: Fallback | undefined;
  return {
    schedule<T>(task: () => Promise<T>, slot: Slot): Promise<T> {
      if (fallback) return fallback.schedule(task, slot);
      const holding = holdingToken.enter(() => (fallback ? fallback.schedule(task, slot) : task()), slot.signal);
      // An abort rejects the own ceiling's wait too, which is what the caller holds.
      holding.result.catch(() => {});
      return own.schedule(() => {
        holding.start();
        return holding.result;
      }, slot);
    },
    get fallback() {
      return fallback;
    },
    fallBack(peakParticipants) {
      fallback ??= startFallback(rate, peakParticipants, clock);
      while (holdingToken.startNext()) {}
      return fallback;
    },
    async stop() {
      holdingToken.rejectAll(limiterStopped());
      await fallback?.stop();
      await own.stop();
    },
  };
}
