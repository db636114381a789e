import Bottleneck from "bottleneck";

/** Every request of the process passes through one of these, polls and retries alike. */
export interface RequestLimiter {
  /**
   * Runs `task` once a slot is free. A `signal` that aborts while the task still waits for a slot
   * rejects at once with the signal's reason: a deadline or a stop signal never waits for the queue.
   */
  schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Drops queued tasks and clears every timer, so nothing keeps the process alive. */
  stop(): Promise<void>;
}

export interface RateLimiterOptions {
  /** Most requests in any sliding window of `windowMs`. */
  readonly rate: number;
  readonly windowMs?: number;
  /**
   * Added to the window before a slot is handed back, to absorb jitter between leaving here and
   * arriving at the server: without it two requests 1,000 ms apart here may arrive 999 ms apart.
   */
  readonly marginMs?: number;
}

/** bottleneck is asked for slots at most about this often, whatever the rate. */
const LEASES_PER_SECOND = 20;

/**
 * A sliding-window limiter on bottleneck's reservoir. bottleneck's `reservoirRefreshInterval`
 * refills on a fixed boundary (up to 2×rate across it) and `minTime` alone bursts after an
 * event-loop stall, so each request takes one reservoir slot and hands it back exactly one window
 * after it started: no window can ever hold more than `rate` starts.
 *
 * Slots are taken from bottleneck in blocks of ceil(rate / 20), one job of that weight, and
 * bottleneck spaces the blocks (`minTime`), so that its per-job machinery (events, locks, a timer
 * per job: about half a millisecond of CPU) runs at most about 20 times a second however high the
 * rate. At the API's 20 per second a block is one slot: every request is spaced evenly, 50 ms
 * apart. Above that the slots of a block may start together, which the window allows. Slots come
 * back to the reservoir when the next block is asked for, and on a timer only while a block
 * waits for them.
 */
export function createRateLimiter(options: RateLimiterOptions): RequestLimiter {
  const windowMs = options.windowMs ?? 1000;
  const holdMs = windowMs + (options.marginMs ?? 30);
  const rate = Math.max(1, Math.floor(options.rate));
  const blockSize = Math.ceil(rate / LEASES_PER_SECOND);
  const bottleneck = new Bottleneck({
    reservoir: rate,
    minTime: Math.floor((windowMs * blockSize) / rate),
    maxConcurrent: null,
  });
  yieldByMicrotask(bottleneck);

  const waiting: Array<{ start(): void; reject(error: Error): void }> = [];
  /** Slots taken from the reservoir and not used yet. */
  let inHand = 0;
  let blockAsked = false;
  /** When each used slot goes back to the reservoir, in order. */
  const dueTimes: number[] = [];
  let handBackTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  // performance.now(): monotonic, so that a change of the wall clock never hands a slot back early.
  const handBackDue = () => {
    const now = performance.now();
    let due = 0;
    while (due < dueTimes.length && (dueTimes[due] ?? 0) <= now) due++;
    if (due === 0) return;
    dueTimes.splice(0, due);
    void bottleneck.incrementReservoir(due);
  };

  // Only while a block waits: the slots it still lacks come back together, when the last of them
  // is due, in one call (every slot used and not yet handed back is in `dueTimes`).
  const armHandBack = () => {
    if (handBackTimer !== undefined || !blockAsked || stopped) return;
    const lacking = blockSize - (rate - inHand - dueTimes.length);
    const at = lacking > 0 ? dueTimes[lacking - 1] : undefined;
    if (at === undefined) return;
    handBackTimer = setTimeout(
      () => {
        handBackTimer = undefined;
        handBackDue();
        armHandBack();
      },
      Math.max(0, at - performance.now()),
    );
  };

  const askForBlock = () => {
    if (blockAsked || stopped) return;
    blockAsked = true;
    handBackDue();
    bottleneck
      .schedule({ weight: blockSize }, () => Promise.resolve())
      .then(
        () => {
          blockAsked = false;
          clearTimeout(handBackTimer);
          handBackTimer = undefined;
          if (stopped) return;
          inHand += blockSize;
          startWaiting();
        },
        () => {
          // Dropped: only stop() does that, and it rejects the waiting tasks itself.
          blockAsked = false;
        },
      );
    armHandBack();
  };

  const startWaiting = () => {
    while (!stopped && waiting.length > 0) {
      if (inHand === 0) {
        askForBlock();
        return;
      }
      inHand--;
      dueTimes.push(performance.now() + holdMs);
      waiting.shift()?.start();
    }
  };

  return {
    schedule<T>(task: () => Promise<T>): Promise<T> {
      if (stopped) return Promise.reject(new Error("the limiter has been stopped"));
      return new Promise<T>((resolve, reject) => {
        waiting.push({
          start() {
            try {
              resolve(task());
            } catch (error) {
              reject(error);
            }
          },
          reject,
        });
        startWaiting();
      });
    },
    async stop() {
      stopped = true;
      clearTimeout(handBackTimer);
      dueTimes.length = 0;
      for (const entry of waiting.splice(0)) entry.reject(new Error("the limiter has been stopped"));
      await bottleneck.stop({ dropWaitingJobs: true });
    },
  };
}

/**
 * bottleneck's in-memory store yields with `setTimeout(0)` before each of its steps, to behave
 * like its Redis store: three or four timer wake-ups (each at least 1 ms) per job, which cost
 * more CPU than the job. A resolved promise keeps every step asynchronous, without a timer.
 */
function yieldByMicrotask(bottleneck: Bottleneck) {
  const store = (bottleneck as unknown as { _store?: { yieldLoop?: unknown } })._store;
  if (store && typeof store.yieldLoop === "function") store.yieldLoop = () => Promise.resolve();
}
