import { describe, expect, it } from "vitest";
import { type Evaluation, evaluate } from "../helpers/cadence-evaluation.js";

const INTERVAL = 5_000;
const JOBS = 1_000;

/**
 * The cadence's promise, on virtual time: against fixed polling at the same interval, on the same
 * seeded schedules of uneven steps, far fewer requests for a detection delay about the same.
 */
function holdsTargets(result: Evaluation, requestShare: number): void {
  const { adaptive, fixed } = result;
  expect(adaptive.requestsPerJob).toBeLessThanOrEqual(requestShare * fixed.requestsPerJob);
  expect(adaptive.medianDelayMs).toBeLessThanOrEqual(fixed.medianDelayMs + 150);
  expect(adaptive.p90DelayMs).toBeLessThanOrEqual(3 * INTERVAL);
}

describe("the cadence against fixed polling (default longest gap: six intervals)", () => {
  for (const seed of [1, 2]) {
    it(`checks of 13 uneven steps, 15 to 40 intervals long: at most half the requests (seed ${seed})`, () => {
      holdsTargets(evaluate("check", { seed, jobs: JOBS, intervalMs: INTERVAL, maxIntervalMs: 6 * INTERVAL }), 0.5);
    });

    it(`migrations to readyComplete, 30 to 60 intervals long: at most 0.35 of the requests (seed ${seed})`, () => {
      holdsTargets(
        evaluate("migration", { seed, jobs: JOBS, intervalMs: INTERVAL, maxIntervalMs: 6 * INTERVAL }),
        0.35,
      );
    });
  }

  it("is fixed polling, figure for figure, when the longest gap is the interval", () => {
    const result = evaluate("migration", { seed: 3, jobs: 200, intervalMs: INTERVAL, maxIntervalMs: INTERVAL });
    expect(result.adaptive).toEqual(result.fixed);
  });
});
