import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_RATE } from "../../src/app/options.js";
import { systemClock } from "../../src/core/clock.js";
import { createRateLimiter, type RequestLimiter, type Slot } from "../../src/pacing/limiter.js";
import { maxInSlidingWindow } from "../helpers/cli.js";
import { propertyOptions } from "../helpers/property.js";

/**
 * bottleneck takes no clock: it reads Date and sets timers. These tests fake both (and
 * `performance`, which the system clock reads), so bottleneck's own timing and the limiter's run
 * on virtual time together; the fake time moves from one due timer to the next.
 *
 * 1 s plus the arrival margin: no window this long may hold more than the rate of one action, so
 * that starts up to a margin closer together at the server still leave every second within it.
 * A literal, not the limiter's constant: a margin of 0 there must fail here.
 */
const HOLD_MS = 1030;
const CHECK: Slot = { action: "DescribeMigrationCheckJob" };
const START: Slot = { action: "StartMigrateJob" };

beforeEach(() => {
  vi.useFakeTimers({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "setImmediate", "Date", "performance"],
  });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Moves the fake time from timer to timer until `promise` settles; its outcome. */
async function drive<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  let outcome: PromiseSettledResult<T> | undefined;
  promise.then(
    (value) => {
      outcome = { status: "fulfilled", value };
    },
    (reason: unknown) => {
      outcome = { status: "rejected", reason };
    },
  );
  for (let steps = 0; outcome === undefined; steps++) {
    if (steps > 200_000) throw new Error("the limiter never settled");
    await vi.advanceTimersToNextTimerAsync();
  }
  return outcome;
}

/** Queues one task per slot at once; the fake time each started, in the order they started. */
async function startsOf(limiter: RequestLimiter, slots: readonly Slot[]) {
  const started: Array<{ at: number; index: number; action: string }> = [];
  const all = Promise.all(
    slots.map((slot, index) =>
      limiter.schedule(async () => {
        started.push({ at: performance.now(), index, action: slot.action });
      }, slot),
    ),
  );
  expect((await drive(all)).status).toBe("fulfilled");
  await limiter.stop();
  return started;
}

describe("the process-wide rate limiter, on bottleneck's own timing (faked)", () => {
  it.each([1, 20, MAX_RATE])(
    "at --rate %i, 2.5 × the rate queued at once: exactly the rate in the fullest window of 1 s + margin, in order",
    async (rate) => {
      const starts = await startsOf(
        createRateLimiter({ rate, clock: systemClock }),
        Array(Math.ceil(rate * 2.5)).fill(CHECK),
      );
      const times = starts.map((start) => start.at);
      expect(maxInSlidingWindow(times, HOLD_MS)).toBeLessThanOrEqual(rate);
      // The whole budget is used: the margin is kept, and no more than whole milliseconds need.
      expect(maxInSlidingWindow(times, rate * Math.ceil(HOLD_MS / rate) + 1)).toBeGreaterThan(rate);
      expect(starts.map((start) => start.index)).toEqual(starts.map((_, i) => i));
    },
  );

  it("spaces the API's 20 per second evenly, 52 ms apart", async () => {
    const starts = await startsOf(createRateLimiter({ rate: 20, clock: systemClock }), Array(25).fill(CHECK));
    const first = starts[0]?.at ?? 0;
    expect(starts.map((start) => start.at - first)).toEqual(starts.map((_, i) => i * 52));
  });

  it("counts per action, as the API does: each action gets the whole rate", async () => {
    const slots = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? CHECK : START));
    const starts = await startsOf(createRateLimiter({ rate: 20, clock: systemClock }), slots);
    const timesOf = (action: string) => starts.filter((start) => start.action === action).map((start) => start.at);
    expect(maxInSlidingWindow(timesOf(CHECK.action), HOLD_MS)).toBe(20);
    expect(maxInSlidingWindow(timesOf(START.action), HOLD_MS)).toBe(20);
    expect(maxInSlidingWindow(starts.map((start) => start.at))).toBe(40);
  });

  it("starts a waiting request of a lower priority number first, equal numbers in order", async () => {
    const slots: Slot[] = [
      ...Array.from({ length: 5 }, () => ({ ...CHECK, priority: 7 })),
      { ...CHECK, priority: 2 },
      { ...CHECK },
      { ...CHECK, priority: 2 },
    ];
    const starts = await startsOf(createRateLimiter({ rate: 20, clock: systemClock }), slots);
    // The first one queued starts at once and the next is planned at once, as they came; then,
    // while the others wait, the 2s go first, then the default 5, then the 7s, each in order.
    expect(starts.map((start) => start.index)).toEqual([0, 1, 5, 7, 6, 2, 3, 4]);
  });

  it("rejects 1,000 waiting tasks at once when their signal aborts, with its reason, and moves no time", async () => {
    const limiter = createRateLimiter({ rate: 20, clock: systemClock });
    const deadline = new AbortController();
    const reason = new Error("deadline");
    let started = 0;
    const tasks = Array.from({ length: 1_000 }, () =>
      limiter.schedule(
        async () => {
          started++;
        },
        { ...CHECK, signal: deadline.signal },
      ),
    );
    await drive(Promise.all(tasks.slice(0, 30)));
    const abortedAt = performance.now();
    deadline.abort(reason);
    const settled = await Promise.allSettled(tasks.slice(30));
    expect(performance.now()).toBe(abortedAt);
    expect(started).toBe(30);
    expect(settled.every((result) => result.status === "rejected" && result.reason === reason)).toBe(true);
    await limiter.stop();
    await vi.runAllTimersAsync();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects at once a task whose signal has already aborted, and runs the others", async () => {
    const limiter = createRateLimiter({ rate: 1, clock: systemClock });
    const gone = AbortSignal.abort(new Error("gone"));
    await expect(limiter.schedule(async () => "ran", { ...CHECK, signal: gone })).rejects.toThrow("gone");
    expect(await drive(limiter.schedule(async () => "ran", CHECK))).toEqual({ status: "fulfilled", value: "ran" });
    await limiter.stop();
  });

  it("turns a task that throws into a rejection", async () => {
    const limiter = createRateLimiter({ rate: 5, clock: systemClock });
    const failing = limiter.schedule(() => {
      throw new Error("boom");
    }, CHECK);
    const outcome = await drive(failing);
    expect(outcome.status === "rejected" && String(outcome.reason)).toContain("boom");
    await limiter.stop();
  });

  it("stop() rejects every waiting task and leaves no timer behind", async () => {
    const limiter = createRateLimiter({ rate: 2, clock: systemClock });
    const tasks = Array.from({ length: 10 }, (_, i) => limiter.schedule(async () => i, i % 2 ? CHECK : START));
    expect(await drive(Promise.all(tasks.slice(0, 2)))).toEqual({ status: "fulfilled", value: [0, 1] });
    const settling = Promise.allSettled(tasks.slice(2));
    await limiter.stop();
    const settled = await settling;
    expect(settled.map((result) => result.status)).toEqual(Array(8).fill("rejected"));
    await expect(limiter.schedule(async () => 0, CHECK)).rejects.toThrow(/stopped/);
    // What bottleneck still had to queue ends by itself: no timer is left to keep the process alive.
    await vi.runAllTimersAsync();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("never lets more than `rate` of one action start in any window of 1 s + margin, whatever the rate and the arrivals", async () => {
    // Tasks of two actions arrive in waves: a pause (fake ms), then up to `rate` tasks at once.
    const rateAndWaves = fc.integer({ min: 1, max: MAX_RATE }).chain((rate) =>
      fc.tuple(
        fc.constant(rate),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1_500 }), fc.integer({ min: 1, max: rate + 1 }), fc.boolean()), {
          minLength: 1,
          maxLength: 4,
        }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(rateAndWaves, async ([rate, waves]) => {
        const limiter = createRateLimiter({ rate, clock: systemClock });
        const starts = new Map<string, number[]>();
        const all: Promise<void>[] = [];
        const arrive = async () => {
          for (const [pauseMs, count, start] of waves) {
            await systemClock.sleep(pauseMs);
            for (let i = 0; i < count; i++) {
              const slot = start && i % 2 ? START : CHECK;
              all.push(
                limiter.schedule(async () => {
                  starts.set(slot.action, [...(starts.get(slot.action) ?? []), performance.now()]);
                }, slot),
              );
            }
          }
        };
        expect((await drive(arrive().then(() => Promise.all(all)))).status).toBe("fulfilled");
        await limiter.stop();
        for (const times of starts.values()) expect(maxInSlidingWindow(times, HOLD_MS)).toBeLessThanOrEqual(rate);
        expect([...starts.values()].flat()).toHaveLength(all.length);
      }),
      // A failure prints its seed and path: put them here ({ seed, path }) to replay it.
      propertyOptions(8),
    );
  });
});

/** Holds the event loop for `ms`, as another process on the core would. */
function busy(ms: number) {
  for (const until = performance.now() + ms; performance.now() < until; );
}

describe("the rate limiter in a process starved of CPU", () => {
  it("keeps the spacing from each real start: late plans of bottleneck do not start together", async () => {
    // Real timers here: a starved process is one whose timers fire late, which fake time cannot
    // show. The event loop is held by a busy loop, as by another process on the core; the
    // assertions count starts, they time nothing.
    vi.useRealTimers();
    const limiter = createRateLimiter({ rate: MAX_RATE, clock: systemClock });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        limiter.schedule(async () => {
          starts.push(performance.now());
          // Once the next start is planned: its timer and the one after it then come due together.
          if (i % 4 === 1) setTimeout(() => busy(60), 3);
        }, CHECK),
      ),
    );
    await limiter.stop();
    const gaps = starts.slice(1).map((at, i) => at - (starts[i] as number));
    // 11 ms apart at 100 a second (1,030 ms / 100, in whole ms), less the moment between a start
    // and the task's first line; late plans started together would be well under a millisecond apart.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(9);
  });
});
