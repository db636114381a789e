import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stepDurations, UNEVEN_RATIO } from "../../src/simulator/pace.js";
import { propertyOptions } from "../helpers/property.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";
import { JOB } from "./helpers.js";
import { lifecycle } from "./lifecycle-helpers.js";

// Uneven, seeded step durations: for rehearsals and benchmarks that meet steps of unequal length,
// the same ones again with the same seed.

const start = simulatorsClosedAfterEach();

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

/** How many check steps are done at every 50 ms of a 13 × 100 ms check. */
async function checkCurve(seed: number | undefined): Promise<number[]> {
  const { call, clock } = await lifecycle(start, {
    scenario: "pass",
    stepMs: 100,
    ...(seed === undefined ? {} : { seed }),
  });
  const curve: number[] = [];
  for (let t = 0; t <= 1300; t += 50) {
    const answer = await call("DescribeMigrationCheckJob");
    curve.push(answer.StepInfo.filter((step: { StepStatus: string }) => step.StepStatus !== "notStarted").length);
    clock.advance(50);
  }
  return curve;
}

// The ratio of the durations is the unit tests' business; these prove the seed reaches the answers.
describe("the simulator with a seed", () => {
  it("runs a check's steps unevenly, reproducibly, in the same total time", async () => {
    const even = await checkCurve(undefined);
    expect(even).toEqual(Array.from({ length: 27 }, (_, i) => Math.min(13, Math.floor(i / 2))));
    const seeded = await checkCurve(42);
    expect(seeded).not.toEqual(even);
    expect(await checkCurve(42)).toEqual(seeded);
    expect(seeded.at(-1)).toBe(13);
    expect(seeded.at(-2)).toBeLessThan(13);
  });

  it("runs a migration's steps unevenly, still readyComplete after migrateMs", async () => {
    const stepNows = async (seed: number | undefined) => {
      const run = await lifecycle(start, { scenario: "migrate", stepMs: 0, ...(seed === undefined ? {} : { seed }) });
      await run.call("StartMigrateJob");
      const seen: number[] = [];
      for (let t = 0; t < 1000; t += 50) {
        seen.push((await run.call("DescribeMigrationDetail")).StepInfo.StepNow);
        run.clock.advance(50);
      }
      expect((await run.call("DescribeMigrationDetail")).Status).toBe("readyComplete");
      return seen;
    };
    const lengths = (seen: number[]) => [1, 2, 3].map((step) => seen.filter((now) => now === step).length);
    expect(lengths(await stepNows(undefined))).toEqual([7, 7, 6]);
    const seeded = await stepNows(42);
    expect(lengths(seeded)).not.toEqual([7, 7, 6]);
    expect(await stepNows(42)).toEqual(seeded);
  });
});
