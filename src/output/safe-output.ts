import { withoutFormatCharacters } from "../core/text.js";
import { TOKEN_VARIABLES } from "../tencent/credentials.js";
import { neutraliseLine } from "./safe-text.js";

/** What the runner and terminals split lines on; kept (captured) so the text is unchanged. */
const LINE_BREAKS = /(\r\n|[\r\n\u0085\u2028\u2029])/;

/** Secrets shorter than this are not looked for: they would match ordinary words. */
const MIN_SECRET = 4;
/** What every cut to a length ends with. */
export const CUT_MARK = "…";

/**
 * Replaces every occurrence of each secret (of 4 characters or more) with `***`, and a secret's
 * head of 4 characters or more just before a cut mark: a text cut to a length before it reached
 * here keeps only the head of a secret, which must not get out either.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let safe = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET) continue;
    // Most text holds no secret: it is then kept as it is, not split and joined into a copy.
    if (safe.includes(secret)) safe = safe.split(secret).join("***");
    if (safe.includes(CUT_MARK)) safe = redactCutHeads(safe, secret);
  }
  return safe;
}

function redactCutHeads(text: string, secret: string): string {
  const parts = text.split(CUT_MARK);
  for (let index = 0; index < parts.length - 1; index++) {
    const part = parts[index] ?? "";
    for (let length = Math.min(secret.length - 1, part.length); length >= MIN_SECRET; length--) {
      if (part.endsWith(secret.slice(0, length))) {
        parts[index] = `${part.slice(0, part.length - length)}***`;
        break;
      }
    }
  }
  return parts.join(CUT_MARK);
}

/**
 * Text that no line of can act as a GitHub workflow command, with every secret replaced. Format
 * characters go first, so a secret with a zero-width space inside is found. Secrets are replaced
 * after the cleaning, as in every output; and before it too, since neutralising a line changes a
 * secret that holds `##[` or starts with `::`, and a changed one is not found. `***` cannot start
 * a command, so the lines stay clean.
 */
export function safeText(text: string, secrets: readonly string[]): string {
  const redacted = redact(withoutFormatCharacters(text), secrets);
  // Without `::` or `##[` anywhere no line can be a command: a whole report (a JSON document of
  // hundreds of jobs) is then not cut into lines and put back together for nothing.
  if (!redacted.includes("::") && !redacted.includes("##[")) return redact(redacted, secrets);
  const cleaned = redacted
    .split(LINE_BREAKS)
    .map((part, index) => (index % 2 === 0 ? neutraliseLine(part) : part))
    .join("");
  return redact(cleaned, secrets);
}

/** Secrets known at the start, or a getter for those that change (temporary credentials renewed). */
export type Secrets = readonly string[] | (() => readonly string[]);

/**
 * A writer that passes everything through `safeText` first and never throws: a full disk or a
 * reader that has gone loses that output, never the run's verdict nor the other outputs.
 */
export function safeWriter(write: (text: string) => void, secrets: Secrets): (text: string) => void {
  const written = quietly(write);
  return (text) => written(safeText(text, typeof secrets === "function" ? secrets() : secrets));
}

/**
 * A write that never throws: a full disk (ENOSPC) or a reader that has gone (EPIPE) loses what
 * it was to write, never the run's verdict nor the outputs written after it.
 */
export function quietly<A extends unknown[]>(write: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      write(...args);
    } catch {
      // Nowhere left to say it: the output that failed was the place to say it.
    }
  };
}

/** A copy of `value` with `redact` applied to every string in it. */
export function redactDeep<T>(value: T, redact: (text: string) => string): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact)) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, redact)])) as T;
  }
  return value;
}

/** The secrets the environment holds (the key and any session token), for output written before credentials are found. */
export function environmentSecrets(env: Readonly<Record<string, string | undefined>>): string[] {
  return ["TENCENTCLOUD_SECRET_KEY", ...TOKEN_VARIABLES].flatMap((name) => env[name] ?? []);
}
