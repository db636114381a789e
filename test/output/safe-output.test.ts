import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clean } from "../../src/core/text.js";
import { redact, safeText, safeWriter } from "../../src/output/safe-output.js";
import { neutraliseLine } from "../../src/output/safe-text.js";
import { propertyOptions } from "../helpers/property.js";

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

describe("safeText's shortcuts", () => {
  /** redact and safeText by their definitions alone: every secret split out, every line neutralised. */
  const redactByDefinition = (text: string, secrets: readonly string[]) =>
    secrets.reduce((safe, secret) => {
      if (secret.length < 4) return safe;
      const replaced = safe.split(secret).join("***");
      return replaced.includes("…") ? redact(replaced, [secret]) : replaced;
    }, text);
  const safeTextByDefinition = (text: string, secrets: readonly string[]) =>
    redactByDefinition(
      redactByDefinition(text.replace(/\p{Cf}/gu, ""), secrets)
        .split(/(\r\n|[\r\n\u0085\u2028\u2029])/)
        .map((part, index) => (index % 2 === 0 ? neutraliseLine(part) : part))
        .join(""),
      secrets,
    );

  it("gives what the definition gives, with and without commands, secrets and cuts (property)", () => {
    const unit = fc.constantFrom(..."::##[ ab\r\n\u0085\u2028\u2029\t\u200b…");
    fc.assert(
      fc.property(
        fc.string({ unit }),
        fc.array(fc.string({ unit: fc.constantFrom(..."ab#[:…"), minLength: 3, maxLength: 6 }), { maxLength: 2 }),
        (text, secrets) => {
          const withSecrets = `${text}${secrets.join(text)}${text}`;
          expect(safeText(withSecrets, secrets)).toBe(safeTextByDefinition(withSecrets, secrets));
        },
      ),
      propertyOptions(2000),
    );
  });
});

describe("outside text and secrets", () => {
  const TOKEN = "tok3nAbCdEfGhIjKlMnOpQrStUvWxYz0123456789";

  it("clean removes control and format characters: bidi controls, zero-width space, soft hyphen, BOM", () => {
    const spoof = "\u202eSSAP\u202c \u2066x\u2069 a\u200bb\u00adc\ufeffd\u200d\u2060e\u0007\u001b[2J";
    expect(clean(spoof)).toBe("SSAP x abcde[2J");
    expect(clean("line\r\none\u2028two")).toBe("line one two");
  });

  it("finds a secret hidden by format characters, everywhere it occurs", () => {
    const hidden = `${TOKEN.slice(0, 10)}\u200b${TOKEN.slice(10, 20)}\u00ad${TOKEN.slice(20)}`;
    const text = `token ${hidden} again ${TOKEN} and ${hidden}\n`;
    expect(safeText(text, [TOKEN])).toBe("token *** again *** and ***\n");
    expect(redact(clean(text), [TOKEN])).toBe("token *** again *** and *** ");
  });

  it("redacts the head of a secret that a cut left before a … (200 characters, a token at 190)", () => {
    const text = `${"x".repeat(190)}${TOKEN}${"y".repeat(50)}`;
    const cut = `${text.slice(0, 199)}…`;
    expect(redact(cut, [TOKEN])).toBe(`${"x".repeat(190)}***…`);
    // Three characters are too few to tell from ordinary text, and are kept.
    expect(redact(`abc tok…`, [TOKEN])).toBe("abc tok…");
    expect(redact(`a tok3…`, [TOKEN])).toBe("a ***…");
  });

  it("a secret's head before a cut is never shown, wherever the cut falls (property)", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.nat(80), (before, after, at) => {
        const text = `${before}${TOKEN}${after}`;
        const cut = text.length > at ? `${text.slice(0, at)}…` : text;
        const safe = redact(cut, [TOKEN]);
        for (let length = 4; length <= TOKEN.length; length++) {
          expect(safe.replace(before.slice(0, at), "")).not.toContain(TOKEN.slice(0, length));
        }
      }),
      propertyOptions(300),
    );
  });

  it("a writer whose stream throws loses that text, never the run", () => {
    const write = safeWriter(() => {
      throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
    }, [TOKEN]);
    expect(() => write("verdict\n")).not.toThrow();
  });
});
