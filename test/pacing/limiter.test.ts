import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_RATE } from "../../src/app/options.js";
import { createRateLimiter } from "../../src/pacing/limiter.js";
import { maxInSlidingWindow } from "../helpers/cli.js";
import { propertyOptions } from "../helpers/property.js";
import { VirtualClock } from "../helpers/virtual-clock.js";

/**
 * 1 s plus the arrival margin: no window this long may hold more than the rate, so that starts up
 * to a margin closer together at the server still leave every second within it. 30 ms while
 * requests start one at a time (up to 20 a second), 100 ms above, where a block's requests start
 * together. Literals, not the limiter's constants: a margin of 0 there must fail here.
 */
const HOLD_MS = 1030;
const BURST_HOLD_MS = 1100;
const holdAt = (rate: number) => (rate <= 20 ? HOLD_MS : BURST_HOLD_MS);

/** Runs `tasks` tasks queued at once through a limiter of `rate` on virtual time; their start times. */
async function burst(rate: number, tasks: number) {
  const clock = new VirtualClock(0);
  const limiter = createRateLimiter({ rate, clock });
  const starts: number[] = [];
  const order: number[] = [];
  const all = Promise.all(
    Array.from({ length: tasks }, (_, i) =>
      limiter.schedule(async () => {
        starts.push(clock.now());
        order.push(i);
      }),
    ),
  );
  await clock.run(all);
  await limiter.stop();
  return { starts, order, clock };
}

/** Real timers now pending (the test runner's own included). */
function realTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
}

describe("the process-wide rate limiter, on virtual time", () => {
  it.each([
    [20, 50],
    [1_000, 2_500],
    [MAX_RATE, 2.5 * MAX_RATE],
  ])(
    "at --rate %i (%i tasks at once): exactly the rate in the fullest window of 1 s + margin, in order",
    async (rate, tasks) => {
      const { starts, order } = await burst(rate, tasks);
      const fullest = maxInSlidingWindow(starts, holdAt(rate));
      console.info(`--rate ${rate}: ${tasks} starts, at most ${fullest} in any ${holdAt(rate)} ms`);
      expect(starts).toHaveLength(tasks);
      // Never more than the rate, yet the whole budget is used: the margin is kept, and no more.
      expect(fullest).toBe(rate);
      expect(maxInSlidingWindow(starts, holdAt(rate) + 60)).toBeGreaterThan(rate);
      expect(order.every((value, i) => value === i)).toBe(true);
    },
  );

  it("spaces the API's 20 per second evenly, 50 ms apart, then one hold after each start", async () => {
    const { starts } = await burst(20, 25);
    expect(starts.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i * 50));
    expect(starts.slice(20)).toEqual(Array.from({ length: 5 }, (_, i) => HOLD_MS + i * 50));
  });

  it("keeps going on a real clock's ways: waking a little early, moving while it is read", async () => {
    const clock = new VirtualClock(0);
    // Wakes half a millisecond early from any sleep of a millisecond or more, and each reading
    // of the time comes 0.3 ms after the one before.
    const early = {
      now: () => {
        clock.nowMs += 0.3;
        return clock.nowMs;
      },
      sleep: (ms: number, signal?: AbortSignal) => clock.sleep(ms >= 1 ? ms - 0.5 : ms, signal),
    };
    const limiter = createRateLimiter({ rate: 10, clock: early });
    const starts: number[] = [];
    const tasks = Array.from({ length: 25 }, () =>
      limiter.schedule(async () => {
        starts.push(clock.nowMs);
      }),
    );
    await clock.run(Promise.all(tasks));
    await limiter.stop();
    expect(starts).toHaveLength(25);
    expect(maxInSlidingWindow(starts, HOLD_MS)).toBe(10);
  });

  it("rejects 1,000 waiting tasks at once when their signal aborts, with its reason, and moves no time", async () => {
    const clock = new VirtualClock(0);
    const limiter = createRateLimiter({ rate: 20, clock });
    const deadline = new AbortController();
    const reason = new Error("deadline");
    let started = 0;
    const tasks = Array.from({ length: 1_000 }, () =>
      limiter.schedule(async () => {
        started++;
      }, deadline.signal),
    );
    await clock.run(Promise.all(tasks.slice(0, 30)));
    const abortedAt = clock.now();
    deadline.abort(reason);
    const settled = await clock.run(Promise.allSettled(tasks.slice(30)));
    expect(clock.now()).toBe(abortedAt);
    expect(started).toBe(30);
    expect(settled.every((result) => result.status === "rejected" && result.reason === reason)).toBe(true);
    await limiter.stop();
    expect(clock.pendingSleeps).toBe(0);
  });

  it("rejects at once a task whose signal has already aborted, and runs the others", async () => {
    const clock = new VirtualClock(0);
    const limiter = createRateLimiter({ rate: 1, clock });
    const gone = AbortSignal.abort(new Error("gone"));
    await expect(limiter.schedule(async () => "ran", gone)).rejects.toThrow("gone");
    expect(await clock.run(limiter.schedule(async () => "ran"))).toBe("ran");
    await limiter.stop();
  });

  it("turns a task that throws into a rejection", async () => {
    const clock = new VirtualClock(0);
    const limiter = createRateLimiter({ rate: 5, clock });
    const failing = limiter.schedule(() => {
      throw new Error("boom");
    });
    await expect(clock.run(failing)).rejects.toThrow("boom");
    await limiter.stop();
  });

  it("stop() rejects every waiting task and leaves no sleep and no real timer behind", async () => {
    const before = realTimers();
    const clock = new VirtualClock(0);
    const limiter = createRateLimiter({ rate: 2, clock });
    const tasks = Array.from({ length: 10 }, (_, i) => limiter.schedule(async () => i));
    expect(await clock.run(Promise.all(tasks.slice(0, 2)))).toEqual([0, 1]);
    // The third waits for a slot to come back: a sleep on the clock.
    expect(clock.pendingSleeps).toBe(1);
    await limiter.stop();
    const settled = await Promise.allSettled(tasks.slice(2));
    expect(settled.map((result) => result.status)).toEqual(Array(8).fill("rejected"));
    await expect(limiter.schedule(async () => 0)).rejects.toThrow(/stopped/);
    expect(clock.pendingSleeps).toBe(0);
    expect(realTimers()).toBe(before);
  });

  it("never lets more than `rate` start in any window of 1 s + margin, whatever the rate and the arrivals", async () => {
    // Tasks arrive in waves: a pause (virtual ms), then up to `rate` tasks at once. (Each block of
    // slots costs bottleneck a few real 1 ms timer yields: the sizes keep the run to seconds.)
    const rateAndWaves = fc.integer({ min: 1, max: 300 }).chain((rate) =>
      fc.tuple(
        fc.constant(rate),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1_500 }), fc.integer({ min: 1, max: rate + 1 })), {
          minLength: 1,
          maxLength: 4,
        }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(rateAndWaves, async ([rate, arrivals]) => {
        const clock = new VirtualClock(0);
        const limiter = createRateLimiter({ rate, clock });
        const starts: number[] = [];
        const order: number[] = [];
        const all: Promise<void>[] = [];
        const arrive = async () => {
          for (const [pauseMs, count] of arrivals) {
            await clock.sleep(pauseMs);
            for (let i = 0; i < count; i++) {
              const index = all.length;
              all.push(
                limiter.schedule(async () => {
                  starts.push(clock.now());
                  order.push(index);
                }),
              );
            }
          }
        };
        await clock.run(arrive().then(() => Promise.all(all)));
        await limiter.stop();
        expect(starts).toHaveLength(all.length);
        expect(maxInSlidingWindow(starts, holdAt(rate))).toBeLessThanOrEqual(rate);
        expect(order.every((value, i) => value === i)).toBe(true);
      }),
      // A failure prints its seed and path: put them here ({ seed, path }) to replay it.
      propertyOptions(8),
    );
  });
});
