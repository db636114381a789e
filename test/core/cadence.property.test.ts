import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Cadence, type ProgressSignal } from "../../src/core/cadence.js";
import { propertyOptions } from "../helpers/property.js";

/** Any number a phase might pass on, sane or not. */
const anyNumber = fc.oneof(
  fc.integer({ min: -5, max: 200 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, 0, 100),
);

const signal: fc.Arbitrary<ProgressSignal> = fc.record(
  {
    stepsDone: anyNumber,
    stepsAll: anyNumber,
    stepPercent: anyNumber,
    lagSeconds: anyNumber,
    endsAt: anyNumber,
  },
  { requiredKeys: [] },
);

const run = fc.record({
  intervalMs: fc.integer({ min: 1, max: 60_000 }),
  /** --max-interval as a multiple of --interval, 1 included (fixed polling). */
  maxFactor: fc.oneof(fc.constant(1), fc.double({ min: 1, max: 50, noNaN: true })),
  timeoutMs: fc.integer({ min: 0, max: 3_600_000 }),
  polls: fc.array(fc.record({ tookMs: fc.integer({ min: 0, max: 90_000 }), changed: fc.boolean(), progress: signal }), {
    minLength: 1,
    maxLength: 30,
  }),
});

type Run = typeof run extends fc.Arbitrary<infer T> ? T : never;

/** Plays the polls: each starts when the cadence said, takes its time, and its answer is seen. */
function play(sample: Run) {
  const startedAt = 1_000_000;
  const limits = {
    intervalMs: sample.intervalMs,
    maxIntervalMs: sample.intervalMs * sample.maxFactor,
    deadlineAt: startedAt + sample.timeoutMs,
  };
  const cadence = new Cadence(limits);
  const gaps: { pollStartedAt: number; nextAt: number }[] = [];
  let pollStartedAt = startedAt;
  for (const poll of sample.polls) {
    cadence.see({ at: pollStartedAt + poll.tookMs, changed: poll.changed, progress: poll.progress });
    const nextAt = cadence.nextPollAt(pollStartedAt);
    gaps.push({ pollStartedAt, nextAt });
    if (nextAt >= limits.deadlineAt) break;
    pollStartedAt = Math.max(nextAt, pollStartedAt + poll.tookMs);
  }
  return { limits, gaps, cadence };
}

describe("the cadence, over any answers", () => {
  it("never polls sooner than the interval (save the deadline's poll), later than the longest gap, or past the deadline", () => {
    fc.assert(
      fc.property(run, (sample) => {
        const { limits, gaps } = play(sample);
        for (const { pollStartedAt, nextAt } of gaps) {
          expect(Number.isFinite(nextAt)).toBe(true);
          expect(nextAt).toBeLessThanOrEqual(limits.deadlineAt);
          expect(nextAt).toBeLessThanOrEqual(pollStartedAt + limits.maxIntervalMs);
          if (nextAt < limits.deadlineAt) expect(nextAt).toBeGreaterThanOrEqual(pollStartedAt + limits.intervalMs);
        }
      }),
      propertyOptions(300),
    );
  });

  it("polls at exactly the interval when the longest gap equals it: plain fixed polling", () => {
    fc.assert(
      fc.property(run, (sample) => {
        const { limits, gaps } = play({ ...sample, maxFactor: 1 });
        for (const { pollStartedAt, nextAt } of gaps) {
          expect(nextAt).toBe(Math.min(pollStartedAt + limits.intervalMs, limits.deadlineAt));
        }
      }),
      propertyOptions(300),
    );
  });

  it("gives every job a priority that is a number of ms, never negative", () => {
    fc.assert(
      fc.property(run, fc.integer({ min: 0, max: 10_000_000 }), (sample, later) => {
        const { cadence, gaps } = play(sample);
        const priority = cadence.priority((gaps.at(-1)?.pollStartedAt ?? 0) + later);
        expect(Number.isNaN(priority)).toBe(false);
        expect(priority).toBeGreaterThanOrEqual(0);
      }),
      propertyOptions(300),
    );
  });
});
