import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDuration } from "../../src/app/duration.js";
import { ConfigError } from "../../src/tencent/errors.js";

describe("parseDuration", () => {
  it("reads seconds and units", () => {
    const cases: [string, number][] = [
      ["90", 90_000],
      ["2.5", 2500],
      [".5", 500],
      ["0", 0],
      ["500ms", 500],
      ["30s", 30_000],
      ["5m", 300_000],
      ["1h", 3_600_000],
      ["1h30m", 5_400_000],
      ["2m30s", 150_000],
      ["1h2m3s4ms", 3_723_004],
      ["0.5m", 30_000],
    ];
    for (const [text, ms] of cases) expect(parseDuration("--t", text, { allowZero: true }), text).toBe(ms);
  });

  it("refuses what is not a duration, quoting it as typed", () => {
    for (const bad of [
      "",
      " 5",
      "5 ",
      "5s ",
      "-1",
      "1e3",
      "0x10",
      "5x",
      "m",
      "30m1h",
      "1s1s",
      "5mm",
      "Infinity",
      "1,5",
    ]) {
      expect(() => parseDuration("--t", bad, { allowZero: true }), bad).toThrow(`not ${JSON.stringify(bad)}`);
    }
    expect(() => parseDuration("--interval", "0ms", { allowZero: false })).toThrow(
      /^--interval must be a duration > 0/,
    );
    expect(() => parseDuration("--t", "169h", { allowZero: true })).toThrow('--t "169h" is more than a week');
    expect(parseDuration("--t", "168h", { allowZero: true })).toBe(7 * 24 * 3_600_000);
  });

  it("gives back, for any h/m/s/ms spelling, the sum of its parts (property)", () => {
    // Invariant: a spelling built from parts (largest unit first) means their sum; no throw.
    const part = fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined });
    fc.assert(
      fc.property(part, part, part, part, (h, m, s, ms) => {
        const text = [
          h === undefined ? "" : `${h}h`,
          m === undefined ? "" : `${m}m`,
          s === undefined ? "" : `${s}s`,
          ms === undefined ? "" : `${ms}ms`,
        ].join("");
        fc.pre(text !== "");
        expect(parseDuration("--t", text, { allowZero: true })).toBe(
          (h ?? 0) * 3_600_000 + (m ?? 0) * 60_000 + (s ?? 0) * 1000 + (ms ?? 0),
        );
      }),
    );
  });

  it("either reads any string or throws a ConfigError quoting it (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."0123456789.hms -e") }), (text) => {
        try {
          const ms = parseDuration("--t", text, { allowZero: true });
          expect(Number.isFinite(ms) && ms >= 0).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as Error).message).toContain(JSON.stringify(text));
        }
      }),
    );
  });
});
