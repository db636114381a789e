import { TOKEN_VARIABLES } from "../tencent/credentials.js";
import { neutraliseLine } from "./safe-text.js";

/** What the runner and terminals split lines on; kept (captured) so the text is unchanged. */
const LINE_BREAKS = /(\r\n|[\r\n\u0085\u2028\u2029])/;

/** Replaces every occurrence of each secret (of 4 characters or more) with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let safe = text;
  for (const secret of secrets) if (secret.length >= 4) safe = safe.split(secret).join("***");
  return safe;
}

/**
 * Text that no line of can act as a GitHub workflow command, with every secret replaced. Secrets
 * are replaced after the cleaning, as in every output; and before it too, since neutralising a
 * line changes a secret that holds `##[` or starts with `::`, and a changed one is not found.
 * `***` cannot start a command, so the lines stay clean.
 */
export function safeText(text: string, secrets: readonly string[]): string {
  const cleaned = redact(text, secrets)
    .split(LINE_BREAKS)
    .map((part, index) => (index % 2 === 0 ? neutraliseLine(part) : part))
    .join("");
  return redact(cleaned, secrets);
}

/** Secrets known at the start, or a getter for those that change (temporary credentials renewed). */
export type Secrets = readonly string[] | (() => readonly string[]);

/** A writer that passes everything through `safeText` first. */
export function safeWriter(write: (text: string) => void, secrets: Secrets): (text: string) => void {
  return (text) => write(safeText(text, typeof secrets === "function" ? secrets() : secrets));
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
