/** Small text helpers every layer uses: the core's reasons, the report, the adapters. */

/** "1 poll", "2 polls". */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** Line breaks as any reader may split on them: the Unicode line and paragraph separators too. */
const LINE_BREAKS = /\r\n?|[\n\u0085\u2028\u2029]/g;

/**
 * Control and format characters (Unicode Cc and Cf): escape sequences, bidi overrides and isolates
 * (which can make a line read as something else), zero-width spaces and joiners, soft hyphens,
 * the BOM. Invisible in every output, and one inside a secret would hide it from redaction.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
const FORMAT = /\p{Cf}/gu;
/** Printable ASCII holds no line break, control or format character. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * The one gate for text from outside (answers, errors, files, environment): on one line, with no
 * control or format character, so no escape sequence, carriage return, workflow command or
 * reordering can come through, and a secret reads as itself. Every piece of outside text that
 * reaches an output passes through here first.
 */
export function clean(text: string | null | undefined): string {
  const value = text ?? "";
  // Most text (every answer's steps, codes and ids) is plain ASCII: one cheap scan, no copy.
  if (PRINTABLE_ASCII.test(value)) return value;
  return value.replace(LINE_BREAKS, " ").replace(INVISIBLE, "");
}

/**
 * Format characters only (Unicode Cf), for text already made of our own lines and escape
 * sequences: what is written is stripped of them once more before secrets are looked for, so a
 * secret with a zero-width space or soft hyphen inside is still found.
 */
export function withoutFormatCharacters(text: string): string {
  return text.replace(FORMAT, "");
}
