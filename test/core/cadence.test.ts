import { describe, expect, it } from "vitest";
import { Cadence, type ProgressSignal } from "../../src/core/cadence.js";

const INTERVAL = 1_000;

function cadence(maxIntervalMs = 10 * INTERVAL, deadlineAt = Number.POSITIVE_INFINITY): Cadence {
  return new Cadence({ intervalMs: INTERVAL, maxIntervalMs, deadlineAt });
}

/** Answers seen at the given times (each taken the moment its poll started), in order. */
function seen(target: Cadence, answers: readonly [at: number, progress: ProgressSignal][]): Cadence {
  let previous: string | undefined;
  for (const [at, progress] of answers) {
    const key = JSON.stringify(progress);
    target.see({ at, changed: key !== previous, progress });
    previous = key;
  }
  return target;
}

describe("the cadence", () => {
  it("polls sparsely while many uneven steps are left, and at the interval once the last one runs", () => {
    const far = seen(cadence(6 * INTERVAL), [
      [0, { stepsDone: 0, stepsAll: 13 }],
      [1_000, { stepsDone: 0, stepsAll: 13 }],
    ]);
    // Twelve more steps, each about as long as the first has already run: the longest gap.
    expect(far.nextPollAt(1_000)).toBe(7_000);
    const near = seen(cadence(6 * INTERVAL), [
      [0, { stepsDone: 0, stepsAll: 13 }],
      [6_000, { stepsDone: 4, stepsAll: 13 }],
      [12_000, { stepsDone: 9, stepsAll: 13 }],
      [16_000, { stepsDone: 12, stepsAll: 13 }],
    ]);
    expect(near.nextPollAt(16_000)).toBe(17_000);
  });

  it("shortens the gap as the steps left shrink", () => {
    const steps = (done: number) =>
      seen(cadence(), [
        [0, { stepsDone: 0, stepsAll: 13 }],
        [10_000, { stepsDone: 5, stepsAll: 13 }],
        [14_000, { stepsDone: done, stepsAll: 13 }],
      ]).nextPollAt(14_000) - 14_000;
    expect(steps(7)).toBeGreaterThan(steps(9));
    expect(steps(9)).toBeGreaterThan(steps(11));
  });

  it("follows the percent's pace in the step under way, and aims just past an end it measured", () => {
    const paced = seen(cadence(), [
      [0, { stepsDone: 2, stepsAll: 3, stepPercent: 10 }],
      [4_000, { stepsDone: 2, stepsAll: 3, stepPercent: 50 }],
    ]);
    // 50 % left at 10 % a second: 5 s, of which 4 s (a fifth off for a pace that may quicken).
    expect(paced.nextPollAt(4_000)).toBe(8_000);
    const nearEnd = seen(cadence(), [
      [0, { stepsDone: 2, stepsAll: 3, stepPercent: 10 }],
      [7_000, { stepsDone: 2, stepsAll: 3, stepPercent: 80 }],
    ]);
    // 2 s left (earliest 1.6 s): the poll goes just past the end, at 9 s + half the 0.4 s doubt.
    expect(nearEnd.nextPollAt(7_000)).toBe(9_200);
  });

  it("follows the lag's fall in the last step", () => {
    const falling = seen(cadence(), [
      [0, { stepsDone: 2, stepsAll: 3, lagSeconds: 100 }],
      [4_000, { stepsDone: 2, stepsAll: 3, lagSeconds: 60 }],
    ]);
    // 60 s of lag falling 10 a second: 6 s, earliest 4.8 s.
    expect(falling.nextPollAt(4_000)).toBe(8_800);
    const atZero = seen(cadence(), [
      [0, { stepsDone: 2, stepsAll: 3, lagSeconds: 5 }],
      [2_000, { stepsDone: 2, stepsAll: 3, lagSeconds: 0 }],
    ]);
    expect(atZero.nextPollAt(2_000)).toBe(3_000);
  });

  it("polls exactly when a phase says its verdict is due (a settle's end)", () => {
    const settling = seen(cadence(), [[2_000, { stepsDone: 3, stepsAll: 3, endsAt: 9_000 }]]);
    expect(settling.nextPollAt(2_000)).toBe(9_000);
  });

  it("with nothing to go by, backs off to half the time the answer has stayed the same", () => {
    const quiet = seen(cadence(), [
      [0, {}],
      [1_000, {}],
      [2_000, {}],
      [4_000, {}],
    ]);
    expect(quiet.nextPollAt(4_000)).toBe(6_000);
    quiet.see({ at: 6_000, changed: true, progress: {} });
    expect(quiet.nextPollAt(6_000)).toBe(7_000);
  });

  it("polls at the interval once every step is done and the verdict is still to come", () => {
    const done = seen(cadence(), [
      [0, { stepsDone: 0, stepsAll: 13 }],
      [30_000, { stepsDone: 3, stepsAll: 13 }],
      [40_000, { stepsDone: 13, stepsAll: 13 }],
    ]);
    expect(done.nextPollAt(40_000)).toBe(41_000);
  });

  it("never sleeps past the deadline: the last poll is the deadline's", () => {
    const late = seen(cadence(10 * INTERVAL, 5_500), [[0, {}]]);
    expect(late.nextPollAt(5_000)).toBe(5_500);
  });

  it("ranks a job about to end before one far from it, and one with nothing to go by last", () => {
    const nearEnd = seen(cadence(), [
      [0, { stepsDone: 2, stepsAll: 3, stepPercent: 10 }],
      [7_000, { stepsDone: 2, stepsAll: 3, stepPercent: 80 }],
    ]);
    const farFromIt = seen(cadence(), [
      [0, { stepsDone: 0, stepsAll: 3, stepPercent: 10 }],
      [7_000, { stepsDone: 0, stepsAll: 3, stepPercent: 30 }],
    ]);
    const unknown = seen(cadence(), [[0, {}]]);
    expect(nearEnd.priority(8_000)).toBe(1_000);
    expect(nearEnd.priority(8_000)).toBeLessThan(farFromIt.priority(8_000));
    expect(farFromIt.priority(8_000)).toBeLessThan(unknown.priority(8_000));
    expect(unknown.priority(8_000)).toBe(Number.POSITIVE_INFINITY);
    // As the limiter's queue takes it: the job nearest its end first, the unknown one at the default.
    expect(nearEnd.queuePriority(8_000)).toBeLessThan(farFromIt.queuePriority(8_000));
    expect(nearEnd.queuePriority(8_000)).toBe(0);
    expect(unknown.queuePriority(8_000)).toBe(5);
  });
});
