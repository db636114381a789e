import { describe, expect, it } from "vitest";
import { AssertionError, notStrictEqual, strictEqual } from "../../src/cli/assert-lite.js";

describe("the node:assert stand-in for yargs", () => {
  it("passes what node:assert passes", () => {
    expect(() => strictEqual("a", "a")).not.toThrow();
    expect(() => notStrictEqual(1, "1")).not.toThrow();
  });

  it("throws an AssertionError, with the given message, where node:assert throws", () => {
    expect(() => strictEqual(1, 2, "one is not two")).toThrow(new AssertionError("one is not two"));
    expect(() => notStrictEqual(undefined, undefined)).toThrow(AssertionError);
    expect(() => strictEqual(Number.NaN, Number.NaN)).not.toThrow();
  });
});
