/*
 * Text from the API must never act as a GitHub workflow command, wherever it is printed: by the
 * Action, and by the CLI when a workflow runs it. The runner reads every line of stdout as a
 * possible command: a line that starts with `::` once leading whitespace is trimmed, and (legacy
 * syntax) a line holding `##[` anywhere.
 */

/** Line breaks as any reader of the log may split on them. */
const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/;
/** What .NET's TrimStart removes (Char.IsWhiteSpace) besides what JavaScript's \s covers. */
const LEADING_SPACE = /^[\s\u0085]*/;

/** One log line that cannot act as a workflow command: `::x` becomes `: :x`, `##[` becomes `# #[`. */
export function neutraliseLine(line: string): string {
  let safe = line;
  while (safe.includes("##[")) safe = safe.replaceAll("##[", "# #[");
  const indent = LEADING_SPACE.exec(safe)?.[0] ?? "";
  if (safe.startsWith("::", indent.length)) safe = `${indent}: :${safe.slice(indent.length + 2)}`;
  return safe;
}

/** Splits text into lines (a trailing newline ends the last one) and neutralises each. */
export function neutralise(text: string): string[] {
  const lines = text.split(LINE_BREAK);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines.map(neutraliseLine);
}

/**
 * JSON whose strings cannot break a log line (U+0085, U+2028, U+2029 are line breaks to some
 * readers) nor hold "##[" (a legacy workflow command anywhere in a line): all escaped, same value.
 */
export function logSafeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent)
    .replace(/[\u0085\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replaceAll("##[", "#\\u0023[");
}
