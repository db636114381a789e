import type { Clock } from "../../src/core/clock.js";

interface Sleeper {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/**
 * Virtual time for the pure core: sleeping costs nothing, and time moves only when every task
 * is waiting on a sleep. `run` drives a promise to completion and fails on a deadlock.
 */
export class VirtualClock implements Clock {
  nowMs: number;
  #sleepers: Sleeper[] = [];
  #seq = 0;

  constructor(startMs = 1_700_000_000_000) {
    this.nowMs = startMs;
  }

  now = (): number => this.nowMs;

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const sleeper: Sleeper = {
        at: this.nowMs + Math.max(0, ms),
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#sleepers = this.#sleepers.filter((entry) => entry !== sleeper);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#sleepers.push(sleeper);
    });

  get pendingSleeps(): number {
    return this.#sleepers.length;
  }

  async run<T>(task: Promise<T>): Promise<T> {
    let done = false;
    const settled = task.finally(() => {
      done = true;
    });
    // Returned below, after the loop: a rejection meanwhile is not an unhandled one.
    settled.catch(() => {});
    for (let steps = 0; ; steps++) {
      for (let i = 0; i < 5 && !done; i++) await new Promise((resolve) => setImmediate(resolve));
      if (done) break;
      if (steps > 100_000) throw new Error("virtual clock: too many steps");
      if (this.#sleepers.length === 0) await this.#drainRealTimers(() => done);
      if (done) break;
      this.#sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#sleepers.shift();
      if (!next) throw new Error("virtual clock: deadlock, nothing is sleeping and the task is not done");
      this.nowMs = Math.max(this.nowMs, next.at);
      next.resolve();
    }
    return settled;
  }

  /**
   * Before a deadlock is declared: real timers may still be due, as bottleneck's, which yields
   * with `setTimeout(0)` between its steps. Waits real timer rounds while any is pending, until
   * something sleeps on this clock or the task is done (bounded: a long real timer is not waited for).
   */
  async #drainRealTimers(done: () => boolean): Promise<void> {
    for (let round = 0; round < 100 && !done() && this.#sleepers.length === 0; round++) {
      if (!process.getActiveResourcesInfo().includes("Timeout")) return;
      await new Promise((resolve) => setTimeout(resolve, 0));
      for (let i = 0; i < 5 && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
