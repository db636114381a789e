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
  const refills = new Set<NodeJS.Timeout>();
  let stopped = false;

  const handBackLater = () => {
    const timer = setTimeout(() => {
      refills.delete(timer);
      if (!stopped) void bottleneck.incrementReservoir(1);
    }, windowMs);
    refills.add(timer);
  };

  return {
    schedule<T>(task: () => Promise<T>): Promise<T> {
      return bottleneck.schedule(() => {
        handBackLater();
        return task();
      });
    },
    async stop() {
      stopped = true;
      for (const timer of refills) clearTimeout(timer);
      refills.clear();
      await bottleneck.stop({ dropWaitingJobs: true });
    },
  };
}

/** For unit tests of the layers above: no limit at all. */
export const unlimited: RequestLimiter = {
  schedule: (task) => task(),
  stop: async () => {},
};
