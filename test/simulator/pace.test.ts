import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stepDurations, UNEVEN_RATIO } from "../../src/simulator/pace.js";
import { propertyOptions } from "../helpers/property.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";
import { JOB } from "./helpers.js";
import { lifecycle } from "./lifecycle-helpers.js";

// Uneven, seeded step durations: for rehearsals and benchmarks that meet steps of unequal length,
// the same ones again with the same seed.

// Sampling every 10 ms of simulator time makes 100 requests a second: above the default rate.
const start = simulatorsClosedAfterEach({ rate: 1000 });

describe("stepDurations", () => {
  it("without a seed, shares the total equally, in whole ms", () => {
    expect(stepDurations(1300, 13, undefined, JOB)).toEqual(Array(13).fill(100));
    expect(stepDurations(1000, 3, undefined, JOB)).toEqual([334, 333, 333]);
  });

  it("with a seed: the same total, the longest five times the shortest, the same again for the same seed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1000, max: 10_000_000 }),
        fc.string(),
        (seed, count, perStep, key) => {
          // Whole ms: the ratio is exact up to a ms of rounding on steps of at least 200 ms.
          const total = perStep * count;
          const durations = stepDurations(total, count, seed, key);
          expect(durations).toHaveLength(count);
          expect(durations.every(Number.isInteger)).toBe(true);
          expect(durations.reduce((a, b) => a + b, 0)).toBe(total);
          expect(Math.max(...durations) / Math.min(...durations)).toBeCloseTo(UNEVEN_RATIO, 1);
          expect(stepDurations(total, count, seed, key)).toEqual(durations);
        },
      ),
      propertyOptions(200),
    );
  });

  it("draws other durations for another seed or another job", () => {
    const base = stepDurations(1300, 13, 7, JOB);
    expect(stepDurations(1300, 13, 8, JOB)).not.toEqual(base);
    expect(stepDurations(1300, 13, 7, "dts-abcdefgh")).not.toEqual(base);
  });
});

/** How many check steps are done at each 10 ms of a 13 × 100 ms check. */
async function checkCurve(seed: number | undefined): Promise<number[]> {
  const { call, clock } = await lifecycle(start, {
    scenario: "pass",
    stepMs: 100,
    ...(seed === undefined ? {} : { seed }),
  });
  const curve: number[] = [];
  for (let t = 0; t <= 1300; t += 10) {
    const answer = await call("DescribeMigrationCheckJob");
    curve.push(answer.StepInfo.filter((step: { StepStatus: string }) => step.StepStatus !== "notStarted").length);
    clock.advance(10);
  }
  return curve;
}

/** Length in ms of each step, read off a curve sampled every 10 ms. */
function stepLengths(curve: readonly number[]): number[] {
  return Array.from({ length: 13 }, (_, step) => 10 * curve.filter((done) => done === step).length);
}

describe("the simulator with a seed", () => {
  it("runs a check's steps unevenly, reproducibly, in the same total time", async () => {
    const even = await checkCurve(undefined);
    expect(stepLengths(even)).toEqual(Array(13).fill(100));
    const seeded = await checkCurve(42);
    expect(await checkCurve(42)).toEqual(seeded);
    const lengths = stepLengths(seeded);
    expect(Math.max(...lengths) / Math.min(...lengths)).toBeGreaterThan(3);
    expect(seeded.at(-1)).toBe(13);
    expect(seeded.at(-2)).toBeLessThan(13);
  });

  it("runs a migration's steps unevenly, still readyComplete after migrateMs", async () => {
    const reached = async (seed: number | undefined) => {
      const run = await lifecycle(start, { scenario: "migrate", stepMs: 0, ...(seed === undefined ? {} : { seed }) });
      await run.call("StartMigrateJob");
      const stepNows: number[] = [];
      for (let t = 0; t < 1000; t += 10) {
        stepNows.push((await run.call("DescribeMigrationDetail")).StepInfo.StepNow);
        run.clock.advance(10);
      }
      return { stepNows, last: (await run.call("DescribeMigrationDetail")).Status };
    };
    const even = await reached(undefined);
    const seeded = await reached(42);
    expect(seeded.last).toBe("readyComplete");
    expect(even.last).toBe("readyComplete");
    const lengths = (stepNows: number[]) => [1, 2, 3].map((step) => stepNows.filter((now) => now === step).length);
    expect(lengths(even.stepNows)).toEqual([34, 33, 33]);
    expect(lengths(seeded.stepNows)).not.toEqual(lengths(even.stepNows));
    expect((await reached(42)).stepNows).toEqual(seeded.stepNows);
  });
});
