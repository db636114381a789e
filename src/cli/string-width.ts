/**
 * Display width for the help layout of yargs (cliui, wrap-ansi), standing in for `string-width`
 * in the bundle: its grapheme segmentation and Unicode-property regexes cost milliseconds at
 * every start, for help text that is ASCII. ANSI colour codes count nothing, combining marks and
 * control characters nothing, wide East Asian characters and emoji two columns.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*[A-Za-z]|\u001b\]8;;.*?\u0007/g;

function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf && codePoint !== 0x303f) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  );
}

function isZeroWidth(codePoint: number): boolean {
  return (
    codePoint < 0x20 ||
    (codePoint >= 0x7f && codePoint < 0xa0) ||
    (codePoint >= 0x300 && codePoint <= 0x36f) ||
    (codePoint >= 0x200b && codePoint <= 0x200f) ||
    (codePoint >= 0xfe00 && codePoint <= 0xfe0f)
  );
}

export default function stringWidth(text: string): number {
  let width = 0;
  for (const char of text.replace(ANSI, "")) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (!isZeroWidth(codePoint)) width += isWide(codePoint) ? 2 : 1;
  }
  return width;
}
