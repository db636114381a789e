import type { Clock } from "../../../src/core/clock.js";

interface Sleeper {
  readonly at: number;
  readonly wake: () => void;
  timer?: NodeJS.Timeout;
}

/**
 * A clock that stands still until released, for tests that talk to a real Redis: while it is
 * held, every sleep on it waits whatever the real time does, so that a test can keep a limiter's
 * tasks where they are while it changes the world around them (kills Redis, say). `release`
 * moves it forward, waking the sleepers due on the way in their order, and from then on it runs
 * with the real time.
 */
export class HeldClock implements Clock {
  /** The clock's time when it was released; its time while held. */
  #at: number;
  /** performance.now() when it was released; undefined while held. */
  #releasedAt: number | undefined;
  readonly #sleepers = new Set<Sleeper>();

  constructor(startMs = 1_000_000) {
    this.#at = startMs;
  }

  now = (): number => (this.#releasedAt === undefined ? this.#at : this.#at + performance.now() - this.#releasedAt);

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const leave = () => {
        this.#sleepers.delete(sleeper);
        clearTimeout(sleeper.timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const sleeper: Sleeper = {
        at: this.now() + Math.max(0, ms),
        wake: () => {
          leave();
          resolve();
        },
      };
      const onAbort = () => {
        leave();
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#sleepers.add(sleeper);
      if (this.#releasedAt !== undefined) this.#arm(sleeper);
    });

  /** Sleeps not yet over. */
  get pendingSleeps(): number {
    return this.#sleepers.size;
  }

  /**
   * Moves the held clock `jumpMs` forward and lets it run with the real time from there. Each
   * sleeper due on the way wakes at its own time, with a few turns of the event loop before the
   * next, so that what it starts reads that time.
   */
  async release(jumpMs: number): Promise<void> {
    if (this.#releasedAt !== undefined) throw new Error("the clock runs already");
    const target = this.#at + jumpMs;
    for (;;) {
      const due = [...this.#sleepers].filter((sleeper) => sleeper.at <= target).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.#at = due.at;
      due.wake();
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    }
    this.#at = target;
    this.#releasedAt = performance.now();
    for (const sleeper of this.#sleepers) this.#arm(sleeper);
  }

  #arm(sleeper: Sleeper) {
    sleeper.timer = setTimeout(sleeper.wake, Math.max(0, sleeper.at - this.now()));
  }
}
