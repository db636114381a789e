import Bottleneck from "bottleneck";

/** Every request of the process passes through one of these, polls and retries alike. */
export interface RequestLimiter {
  schedule<T>(task: () => Promise<T>): Promise<T>;
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

/**
 * A sliding-window limiter on bottleneck. bottleneck's `reservoirRefreshInterval` refills on a
 * fixed boundary (up to 2×rate across it) and `minTime` alone bursts after an event-loop stall,
 * so each request takes one reservoir slot and hands it back exactly one window after it
 * started: no window can ever hold more than `rate` starts. `minTime` only spreads them evenly.
 */
export function createRateLimiter(options: RateLimiterOptions): RequestLimiter {
  const windowMs = (options.windowMs ?? 1000) + (options.marginMs ?? 30);
  const rate = Math.max(1, Math.floor(options.rate));
  const bottleneck = new Bottleneck({
    reservoir: rate,
    minTime: Math.floor((options.windowMs ?? 1000) / rate),
    maxConcurrent: null,
  });
  yieldByMicrotask(bottleneck);

  // Slots to hand back, in order of their due time; one timer serves them all, so a busy
  // limiter wakes up once per batch rather than once per request.
  const dueTimes: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const handBackDue = () => {
    timer = undefined;
    const now = Date.now();
    let due = 0;
    while (due < dueTimes.length && (dueTimes[due] ?? 0) <= now) due++;
    dueTimes.splice(0, due);
    if (due > 0 && !stopped) void bottleneck.incrementReservoir(due);
    armTimer();
  };
  const armTimer = () => {
    const next = dueTimes[0];
    if (timer === undefined && next !== undefined && !stopped)
      timer = setTimeout(handBackDue, Math.max(0, next - Date.now()));
  };

  return {
    schedule<T>(task: () => Promise<T>): Promise<T> {
      return bottleneck.schedule(() => {
        dueTimes.push(Date.now() + windowMs);
        armTimer();
        return task();
      });
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      dueTimes.length = 0;
      await bottleneck.stop({ dropWaitingJobs: true });
    },
  };
}

/**
 * bottleneck's in-memory store yields with `setTimeout(0)` before each of its steps, to behave
 * like its Redis store: three or four timer wake-ups (each at least 1 ms) per request, which
 * cost half the CPU of a poll. A resolved promise keeps every step asynchronous, without a timer.
 */
function yieldByMicrotask(bottleneck: Bottleneck) {
  const store = (bottleneck as unknown as { _store?: { yieldLoop?: unknown } })._store;
  if (store && typeof store.yieldLoop === "function") store.yieldLoop = () => Promise.resolve();
}
