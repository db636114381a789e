/** Small text helpers every layer uses: the core's reasons, the report, the adapters. */

/** "1 poll", "2 polls". */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/**
 * API text on one line: no line break (the Unicode line and paragraph separators included, which
 * some readers of a log or of Markdown break lines on) and no control character, so no escape
 * sequence, carriage return or workflow command can come through. Every piece of API text that
 * reaches an output passes through here first.
 */
export function clean(text: string | null | undefined): string {
  return (
    (text ?? "")
      .replace(/\r\n?|[\n\u0085\u2028\u2029]/g, " ")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, "")
  );
}
