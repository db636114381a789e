import fc from "fast-check";
import { JSDOM } from "jsdom";
import { beforeAll, describe, expect, it } from "vitest";
import type { MigrationView } from "../../src/core/phases/migration-answer.js";
import { CHART_POINTS_MAX, LagHistory, lagChart } from "../../src/output/lag-chart.js";
import { propertyOptions } from "../helpers/property.js";

const JOB = "dts-1ewjspuw";

type Mermaid = typeof import("mermaid")["default"];
let mermaid: Mermaid;

beforeAll(async () => {
  // Mermaid measures labels through the DOM: without one it fails on any label.
  const { window } = new JSDOM("");
  Object.assign(globalThis, { window, document: window.document });
  mermaid = (await import("mermaid")).default;
});

/** The chart's Mermaid text, without the Markdown fence. */
function body(chart: string): string {
  return chart.replace(/^```mermaid\n/, "").replace(/\n```$/, "");
}

function feed(history: LagHistory, lags: readonly (number | null)[], stepMs: number) {
  lags.forEach((lag, index) => {
    history.onEvent({
      type: "migrationPoll",
      jobId: JOB,
      state: "waiting",
      migration: { lagSeconds: lag } as MigrationView,
      polls: index + 1,
      elapsedMs: index * stepMs,
    });
  });
}

/** The numbers of the chart's line. */
function lineOf(chart: string): number[] {
  const values = /line \[([^\]]*)\]/.exec(chart)?.[1] ?? "";
  return values.split(", ").map(Number);
}

describe("the lag chart", () => {
  it("a three-hour wait polled every 5 s is at most 60 points, its peak kept, and Mermaid parses it", async () => {
    const history = new LagHistory();
    const lags = Array.from({ length: 2160 }, (_, index) => (index === 700 ? 9_999 : Math.max(0, 2000 - index)));
    feed(history, lags, 5_000);
    // What is kept while waiting is bounded too.
    expect(history.of(JOB).length).toBeLessThanOrEqual(120);
    const chart = lagChart(JOB, history.of(JOB)) ?? "";
    expect(chart.startsWith("```mermaid\nxychart-beta\n")).toBe(true);
    expect(lineOf(chart).length).toBeLessThanOrEqual(CHART_POINTS_MAX);
    expect(Math.max(...lineOf(chart))).toBe(9_999);
    expect(chart).toContain('"2:59"');
    await expect(mermaid.parse(body(chart))).resolves.toBeTruthy();
  });

  it("a lag never known gives no chart", () => {
    const history = new LagHistory();
    feed(history, [-1, null, -1], 1_000);
    expect(lagChart(JOB, history.of(JOB))).toBeUndefined();
  });

  it("Mermaid rejects a broken chart (the check can fail)", async () => {
    const chart = lagChart(JOB, [{ atMs: 0, lagSeconds: 3 }]) ?? "";
    await expect(mermaid.parse(body(chart).replace("line [", "line ["))).resolves.toBeTruthy();
    await expect(mermaid.parse(body(chart).replace("line [3]", "line [3e+21]"))).rejects.toThrow();
  });

  it("any lag history (-1, null, huge, fractional, negative) gives a chart Mermaid parses, or none", async () => {
    const lag = fc.oneof(
      fc.constant(-1),
      fc.constant(null),
      fc.double({ noNaN: false }),
      fc.integer({ min: -5, max: 5 }),
      fc.constantFrom(Number.MAX_VALUE, Number.POSITIVE_INFINITY, 1e21, 0.4),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(lag, { maxLength: 400 }),
        fc.integer({ min: 1, max: 600_000 }),
        async (lags, stepMs) => {
          const history = new LagHistory();
          feed(history, lags, stepMs);
          const chart = lagChart(JOB, history.of(JOB));
          if (chart === undefined) {
            expect(lags.some((value) => value !== null && Number.isFinite(value) && value >= 0)).toBe(false);
            return;
          }
          expect(lineOf(chart).length).toBeLessThanOrEqual(CHART_POINTS_MAX);
          await mermaid.parse(body(chart));
        },
      ),
      propertyOptions(60),
    );
  });
});
