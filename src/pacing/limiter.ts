import Bottleneck from "bottleneck";
import type { Clock } from "../core/clock.js";
import { createWaitingQueue } from "./waiting-queue.js";

/** Every request of the process passes through one of these, polls and retries alike. */
export interface RequestLimiter {
  /**
   * Runs `task` once a slot is free. A `signal` that aborts while the task still waits for a slot
   * rejects at once with the signal's reason: a deadline or a stop signal never waits for the queue.
   */
  schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Rejects every waiting task and ends every timer, so nothing keeps the process alive. */
  stop(): Promise<void>;
}

export interface RateLimiterOptions {
  /** Most requests in any sliding window of `windowMs`. */
  readonly rate: number;
  /** Time and sleep: the system clock in a run, a virtual one in tests. */
  readonly clock: Clock;
  readonly windowMs?: number;
  /**
   * Added to the window before a slot is handed back, to absorb jitter between leaving here and
   * arriving at the server: without it two requests 1,000 ms apart here may arrive 999 ms apart.
   */
  readonly marginMs?: number;
}

/** The default arrival margin while requests start one at a time (rates up to 20 a second). */
export const ARRIVAL_MARGIN_MS = 30;
/**
 * The default margin above 20 a second, where a block's requests start together: they leave one
 * after another and, on a loaded machine, reach the server over tens of milliseconds (a bench at
 * --rate 1,000 saw 1,018 arrivals in a sliding second with 30 ms).
 */
export const BURST_ARRIVAL_MARGIN_MS = 100;

/** bottleneck is asked for slots at most about this often, whatever the rate. */
const BLOCKS_PER_SECOND = 20;

export function limiterStopped(): Error {
  return new Error("the limiter has been stopped");
}

/** Slots used by the starts of the last hold, grouped by the moment they go back, in order. */
function createHeldSlots() {
  const groups: Array<{ at: number; count: number }> = [];
  let count = 0;
  return {
    get count() {
      return count;
    },
    /** One slot held until `at`. */
    add(at: number) {
      const last = groups.at(-1);
      if (last?.at === at) last.count++;
      else groups.push({ at, count: 1 });
      count++;
    },
    /** Lets go of the slots due by `now`; how many they were. */
    takeDue(now: number): number {
      let due = 0;
      let slots = 0;
      for (const group of groups) {
        if (group.at > now) break;
        due++;
        slots += group.count;
      }
      groups.splice(0, due);
      count -= slots;
      return slots;
    },
    /** When `lacking` more slots will be due: the moment the last of them is. */
    dueAt(lacking: number): number {
      let left = lacking;
      for (const group of groups) {
        left -= group.count;
        if (left <= 0) return group.at;
      }
      // Unreachable while the slots are conserved: the reservoir, in hand and held make `rate`.
      throw new Error(`the limiter lost track of ${left} slots`);
    },
  };
}

/**
 * A sliding-window limiter: bottleneck keeps the reservoir of `rate` slots and hands them out;
 * what bottleneck lacks is beside it, on the injected clock. Its own `reservoirRefreshInterval`
 * refills on a fixed boundary (up to 2×rate across it) and runs on the real clock, so each started
 * task keeps its slot and this piece hands it back (`incrementReservoir`) one hold
 * (window + margin) after the start: the slots are conserved (free in the reservoir, in hand, or
 * held by a start of the last hold), so no hold can contain more than `rate` starts.
 *
 * Slots are taken in blocks of ceil(rate / 20), one bottleneck job of that weight, the blocks at
 * least 50 ms apart on the clock: bottleneck's per-job work (several real `setTimeout(0)` yields)
 * then runs about 20 times a second however high the rate. At the API's 20 per second a block is
 * one slot, so requests are spaced evenly, 50 ms apart; above that a block's slots start together,
 * which the window allows. A sleep runs only while a block is wanted, and stop() ends it.
 */
export function createRateLimiter(options: RateLimiterOptions): RequestLimiter {
  const { clock } = options;
  const windowMs = options.windowMs ?? 1000;
  const rate = Math.max(1, Math.floor(options.rate));
  const blockSize = Math.ceil(rate / BLOCKS_PER_SECOND);
  const holdMs = windowMs + (options.marginMs ?? (blockSize === 1 ? ARRIVAL_MARGIN_MS : BURST_ARRIVAL_MARGIN_MS));
  const blockSpacingMs = Math.floor((windowMs * blockSize) / rate);
  const reservoir = new Bottleneck({ reservoir: rate, maxConcurrent: null });
  const waiting = createWaitingQueue();
  const ending = new AbortController();
  /** Slots taken from the reservoir and not used yet. */
  let inHand = 0;
  const held = createHeldSlots();
  let asking = false;
  let nextBlockAt = Number.NEGATIVE_INFINITY;
  let stopped = false;

  const handBackDue = async () => {
    const slots = held.takeDue(clock.now());
    if (slots > 0) await reservoir.incrementReservoir(slots);
  };

  const takeBlock = async () => {
    const spacing = nextBlockAt - clock.now();
    if (spacing > 0) await clock.sleep(spacing, ending.signal);
    // Asks bottleneck only once the slots are back in its reservoir. A loop, as a real clock
    // moves between two readings and its timers may wake a fraction of a millisecond early.
    for (;;) {
      await handBackDue();
      const lacking = blockSize - (rate - inHand - held.count);
      if (lacking <= 0) break;
      await clock.sleep(held.dueAt(lacking) - clock.now(), ending.signal);
    }
    await reservoir.schedule({ weight: blockSize }, () => Promise.resolve());
    if (stopped) return;
    // On the schedule of the block before, unless idle since: bottleneck's own yields (real
    // milliseconds) would otherwise add to every spacing and cost a tenth of the rate.
    const now = clock.now();
    nextBlockAt = (now - nextBlockAt < blockSpacingMs ? nextBlockAt : now) + blockSpacingMs;
    inHand += blockSize;
  };

  const startWaiting = () => {
    if (stopped) return;
    while (inHand > 0 && waiting.size > 0) {
      inHand--;
      held.add(clock.now() + holdMs);
      waiting.startNext();
    }
    if (waiting.size === 0 || asking) return;
    asking = true;
    takeBlock().then(
      () => {
        asking = false;
        startWaiting();
      },
      // Only stop() ends a sleep or drops the block, and it rejects the waiting tasks itself.
      () => {
        asking = false;
      },
    );
  };

  return {
    schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (stopped) return Promise.reject(limiterStopped());
      const result = waiting.add(task, signal);
      startWaiting();
      return result;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      ending.abort(limiterStopped());
      waiting.rejectAll(limiterStopped());
      await reservoir.stop({ dropWaitingJobs: true });
    },
  };
}
