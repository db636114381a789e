import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clean } from "../../src/core/text.js";
import { propertyOptions } from "../helpers/property.js";

/** Cleaning by its definition alone: line breaks to spaces, then every Cc and Cf character out. */
const byDefinition = (text: string) =>
  text.replace(/\r\n?|[\n\u0085\u2028\u2029]/g, " ").replace(/[\p{Cc}\p{Cf}]/gu, "");

/** Text around the edges of the plain ASCII range: DEL, C1 controls, format characters, line breaks. */
const edgy = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      ..."\u0000\t\n\r\u001b\u001f \u007e\u007f\u0080\u0085\u009f\u00a0\u00ad\u200b\u200e\u2028\u2029\u202e\ufeff",
    ),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    fc.string({ minLength: 1, maxLength: 1 }),
  ),
  maxLength: 20,
});

describe("clean", () => {
  it("gives what its definition gives, for plain ASCII and for every character around it", () => {
    fc.assert(
      fc.property(edgy, (text) => {
        expect(clean(text)).toBe(byDefinition(text));
      }),
      propertyOptions(2000),
    );
  });

  it("returns plain ASCII text as it is, and null or absent as empty", () => {
    expect(clean("Database connection check ~")).toBe("Database connection check ~");
    expect(clean("a\u007fb")).toBe("ab");
    expect(clean(null)).toBe("");
    expect(clean(undefined)).toBe("");
  });
});
