import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeText } from "../../src/output/safe-output.js";

/** Lines as the runner splits them: on \r too, and the Unicode line breaks. */
function commandLines(text: string): string[] {
  return text.split(/\r\n|[\r\n\u0085\u2028\u2029]/).filter((line) => /^\s*::/.test(line) || line.includes("##["));
}

describe("safeText", () => {
  it("treats \\r, \\u0085, \\u2028 and \\u2029 as line breaks, keeping them", () => {
    const text = "ok\r::error::a\n::warning::b\u0085::c::d\u2028::e::f\u2029::g::h\r\n::i::j";
    const safe = safeText(text, []);
    expect(commandLines(safe)).toEqual([]);
    expect(safe).toBe("ok\r: :error::a\n: :warning::b\u0085: :c::d\u2028: :e::f\u2029: :g::h\r\n: :i::j");
  });

  it("finds a secret that cleaning would change, and one that ends up at a line's start", () => {
    expect(safeText("key x##[y\n", ["x##[y"])).toBe("key ***\n");
    expect(safeText("::s3cret::x", ["::s3cret::"])).toBe("***x");
    expect(safeText("\r  s3cret::x", ["s3cret"])).toBe("\r  ***::x");
  });

  it("leaves no workflow command and no secret, whatever the text (property)", () => {
    // Invariant: for any text and secret, no runner line of the output is a command and the secret
    // (4+ characters, no line break in it) never appears.
    const unit = fc.constantFrom(..."::##[ ab\r\n\u0085\u2028\u2029\t");
    fc.assert(
      fc.property(
        fc.string({ unit }),
        fc.string({ unit: fc.constantFrom(..."ab#[:"), minLength: 4 }),
        (text, secret) => {
          const safe = safeText(`${text}${secret}${text}`, [secret]);
          expect(commandLines(safe)).toEqual([]);
          expect(safe).not.toContain(secret);
        },
      ),
    );
  });
});
