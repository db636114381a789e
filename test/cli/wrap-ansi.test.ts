import { describe, expect, it } from "vitest";
import realWrapAnsi from "wrap-ansi";
import wrapAnsi from "../../src/cli/wrap-ansi.js";
import { runCaptured } from "../helpers/cli.js";
import { seededRandom } from "../helpers/random.js";

const OPTION_SETS = [{ hard: true }, {}, { trim: false }, { wordWrap: false }, { hard: true, trim: false }] as const;

describe("the wrap-ansi stand-in for yargs' help layout", () => {
  it("wraps every line of the CLI's help as wrap-ansi does, at every width from 10 to 120", async () => {
    const texts: string[] = [];
    for (const args of [["--help"], ["wait", "--help"], ["simulate", "--help"], ["demo", "--help"]]) {
      const { stdout } = await runCaptured(args);
      texts.push(...stdout.split("\n"));
    }
    expect(texts.join("")).toContain("Exit codes: 0 passed");
    let compared = 0;
    for (const text of texts) {
      for (let columns = 10; columns <= 120; columns++) {
        expect(wrapAnsi(text, columns, { hard: true }), `${columns}: ${text}`).toBe(
          realWrapAnsi(text, columns, { hard: true }),
        );
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1_000);
  });

  it("agrees with wrap-ansi on 3,000 generated texts, with every option", () => {
    const next = seededRandom(0x5eed_1234);
    const alphabet = [..."abcdefghij ABC   0123-_./,:[]()…é中文\t", "\r\n", "\n", "supercalifragilistic"];
    for (let i = 0; i < 3_000; i++) {
      const length = Math.floor(next() * 120);
      const text = Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
      const columns = 1 + Math.floor(next() * 60);
      const options = OPTION_SETS[i % OPTION_SETS.length];
      expect(wrapAnsi(text, columns, options), `case ${i}: ${JSON.stringify(text)} at ${columns}`).toBe(
        realWrapAnsi(text, columns, options),
      );
    }
  });
});
