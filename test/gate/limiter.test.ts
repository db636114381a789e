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

  it("uses its budget: with more demand than budget, throughput stays above 90% of the rate", async () => {
    const limiter = createRateLimiter({ rate: 50 });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 151 }, () =>
        limiter.schedule(async () => {
          starts.push(Date.now());
        }),
      ),
    );
    await limiter.stop();
    const perSecond = (starts.length - 1) / (((starts.at(-1) ?? 0) - (starts[0] ?? 0)) / 1000);
    expect(perSecond).toBeGreaterThan(0.9 * 50);
    expect(maxInSlidingWindow(starts)).toBeLessThanOrEqual(50);
  });

  it("above 20 per second, takes slots in blocks and still holds the sliding window", async () => {
    const limiter = createRateLimiter({ rate: 400 });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 1_201 }, () =>
        limiter.schedule(async () => {
          starts.push(Date.now());
        }),
      ),
    );
    await limiter.stop();
    expect(maxInSlidingWindow(starts)).toBeLessThanOrEqual(400);
    const perSecond = (starts.length - 1) / (((starts.at(-1) ?? 0) - (starts[0] ?? 0)) / 1000);
    expect(perSecond).toBeGreaterThan(0.9 * 400);
  });

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
