import Bottleneck from "bottleneck";
import type { Clock } from "../core/clock.js";
import { createWaitingQueue, type Entry } from "./waiting-queue.js";

/** Where a request stands in the limiter: its action's budget, its place when requests wait, its end. */
export interface Slot {
  /** The API action: the API counts its limit per action, and so does the limiter. */
  readonly action: string;
  /**
   * bottleneck's priority, 0 to 9: while requests of one action wait, a lower number starts first
   * (the poll of a job whose end is nearest); equal numbers keep their order. Default 5.
   */
  readonly priority?: number;
  /** A signal that aborts while the task still waits rejects it at once, with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Every request of the process passes through one of these, polls and retries alike. */
export interface RequestLimiter {
  /** Runs `task` once its action's budget allows. */
  schedule<T>(task: () => Promise<T>, slot: Slot): Promise<T>;
  /** Rejects every waiting task and ends every timer, so nothing keeps the process alive. */
  stop(): Promise<void>;
}

export interface RateLimiterOptions {
  /** Most requests of any one action in any sliding second. */
  readonly rate: number;
  /** Time and sleep: the system clock in a run, a fake one in tests. */
  readonly clock: Clock;
  /**
   * Added to the second over which `rate` starts are spread, to absorb jitter between leaving here
   * and arriving at the server: without it two requests 1,000 ms apart here may arrive 999 ms apart.
   */
  readonly marginMs?: number;
}

/** The default arrival margin; see `marginMs`. */
export const LOCAL_ARRIVAL_MARGIN_MS = 30;
export const DEFAULT_PRIORITY = 5;
const WINDOW_MS = 1000;

export function limiterStopped(): Error {
  return new Error("the limiter has been stopped");
}

/**
 * The least time between two starts of one action, in whole milliseconds as bottleneck's clock
 * (`Date.now()`) counts: `rate` of them span at least the second and the margin.
 */
export function spacingMs(rate: number, marginMs = LOCAL_ARRIVAL_MARGIN_MS): number {
  return Math.ceil((WINDOW_MS + marginMs) / Math.max(1, Math.floor(rate)));
}

/**
 * bottleneck, one limiter per action, starts the requests of each action one at a time
 * (`maxConcurrent` 1) in priority order, `minTime` apart: `rate` starts then span the second and
 * the margin, so no sliding second at the server holds more than `rate` of one action.
 *
 * What bottleneck cannot do is beside it. It times each start from when it planned the one before,
 * not from when that one really started: a process starved of CPU runs its late plans together.
 * So each start also keeps `minTime` from the last real start of its action, on the injected
 * clock (a sleep only after such a stall). And a task whose signal aborts leaves at once, though
 * bottleneck, which cannot drop one queued job, still spends that task's turn when it comes.
 */
export function createRateLimiter(options: RateLimiterOptions): RequestLimiter {
  const { clock } = options;
  const spacing = spacingMs(options.rate, options.marginMs);
  // bottleneck's Group would do, but its clean-up timer outlives every way to stop it.
  const byAction = new Map<string, Bottleneck>();
  const limiterOf = (action: string): Bottleneck => {
    let limiter = byAction.get(action);
    if (!limiter) {
      limiter = new Bottleneck({ maxConcurrent: 1, minTime: spacing });
      byAction.set(action, limiter);
    }
    return limiter;
  };
  const waiting = createWaitingQueue();
  const lastStart = new Map<string, number>();
  const ending = new AbortController();
  let stopped = false;

  const startSpaced = async (action: string, entry: Entry<unknown>) => {
    // A loop, as a real clock moves between two readings and its timers may wake a little early.
    for (;;) {
      const early = (lastStart.get(action) ?? Number.NEGATIVE_INFINITY) + spacing - clock.now();
      if (early <= 0) break;
      await clock.sleep(early, ending.signal);
    }
    if (entry.start()) lastStart.set(action, clock.now());
  };

  return {
    schedule<T>(task: () => Promise<T>, slot: Slot): Promise<T> {
      if (stopped) return Promise.reject(limiterStopped());
      const entry = waiting.enter(task, slot.signal);
      limiterOf(slot.action)
        .schedule({ priority: slot.priority ?? DEFAULT_PRIORITY }, () => startSpaced(slot.action, entry))
        // Only stop() ends a sleep or drops a job, and it rejects the waiting tasks itself.
        .catch(() => {});
      return entry.result;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      ending.abort(limiterStopped());
      waiting.rejectAll(limiterStopped());
      // Not awaited: bottleneck's stop waits for every job still being queued (about a real
      // millisecond each), and every task has been rejected already; its last timers end alone.
      for (const limiter of byAction.values()) void limiter.stop({ dropWaitingJobs: true }).catch(() => {});
    },
  };
}
