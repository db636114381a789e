import { describe, expect, it } from "vitest";
import { createRateLimiter } from "../../src/gate/limiter.js";
import { maxInSlidingWindow } from "../helpers/cli.js";

/** Busy-waits: an event loop stalled by other work, which must not let a burst through. */
function stall(ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // spinning on purpose
  }
}

describe("the process-wide rate limiter", () => {
  it("holds at most `rate` starts in any sliding second, even across an event-loop stall, in order", async () => {
    const limiter = createRateLimiter({ rate: 40 });
    const starts: number[] = [];
    const order: number[] = [];
    const stallTimer = setTimeout(() => stall(600), 700);
    await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        limiter.schedule(async () => {
          starts.push(Date.now());
          order.push(i);
        }),
      ),
    );
    clearTimeout(stallTimer);
    await limiter.stop();
    expect(maxInSlidingWindow(starts)).toBeLessThanOrEqual(40);
    expect(order).toEqual(Array.from({ length: 150 }, (_, i) => i));
  });

  /** Runs `tasks` tasks at once through a limiter of `rate`; their start times, and the pace. */
  async function burst(rate: number, tasks: number) {
    const limiter = createRateLimiter({ rate });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: tasks }, () =>
        limiter.schedule(async () => {
          starts.push(Date.now());
        }),
      ),
    );
    await limiter.stop();
    const perSecond = (starts.length - 1) / (((starts.at(-1) ?? 0) - (starts[0] ?? 0)) / 1000);
    return { starts, perSecond };
  }

  it.each([
    [50, 151],
    // Above 20 per second, slots come from bottleneck in blocks (here of 20).
    [400, 1_201],
  ])(
    "uses its budget of %i per second (%i tasks): over nine tenths of it, never more in a sliding second",
    async (rate, tasks) => {
      const { starts, perSecond } = await burst(rate, tasks);
      expect(starts).toHaveLength(tasks);
      expect(perSecond).toBeGreaterThan(0.9 * rate);
      expect(maxInSlidingWindow(starts)).toBeLessThanOrEqual(rate);
    },
  );

  it("stop() drops waiting tasks and leaves no timer behind", async () => {
    const limiter = createRateLimiter({ rate: 1 });
    const first = limiter.schedule(async () => "ran");
    const second = limiter.schedule(async () => "ran too");
    expect(await first).toBe("ran");
    await limiter.stop();
    await expect(second).rejects.toThrow();
    const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
    expect(handles.filter((handle) => handle?.constructor?.name === "Timeout")).toHaveLength(0);
  });
});
