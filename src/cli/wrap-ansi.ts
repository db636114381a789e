/**
 * Line wrapping for the help layout of yargs (cliui), standing in for `wrap-ansi` in the bundle
 * as string-width.ts stands in for `string-width`: wrap-ansi 9's algorithm, options included,
 * for text without colour, which is all the CLI's help is. wrap-ansi walks every character of
 * its result a second time to carry colours across lines, and loads ansi-styles to do so:
 * milliseconds of every start for nothing here. test/cli/wrap-ansi.test.ts checks it against
 * the real one.
 */
import stringWidth from "./string-width.js";

export interface WrapOptions {
  readonly hard?: boolean;
  readonly trim?: boolean;
  readonly wordWrap?: boolean;
}

/** Breaks a word longer than a line over as many rows as it needs. */
function wrapWord(rows: string[], word: string, columns: number): void {
  const characters = [...word];
  let visible = stringWidth(rows.at(-1) ?? "");
  for (const [index, character] of characters.entries()) {
    const width = stringWidth(character);
    if (visible + width <= columns) {
      rows[rows.length - 1] += character;
    } else {
      rows.push(character);
      visible = 0;
    }
    visible += width;
    if (visible === columns && index < characters.length - 1) {
      rows.push("");
      visible = 0;
    }
  }
  // A last row with nothing visible in it joins the one before.
  const last = rows.at(-1) ?? "";
  if (!visible && last.length > 0 && rows.length > 1) {
    rows.pop();
    rows[rows.length - 1] += last;
  }
}

/** Drops trailing spaces (and what has no width after them), as wrap-ansi does. */
function trimSpacesRight(row: string): string {
  const words = row.split(" ");
  let last = words.length;
  while (last > 0 && stringWidth(words[last - 1] ?? "") === 0) last--;
  return last === words.length ? row : words.slice(0, last).join(" ") + words.slice(last).join("");
}

function wrapLine(line: string, columns: number, options: WrapOptions): string {
  const trim = options.trim !== false;
  if (trim && line.trim() === "") return "";
  const words = line.split(" ");
  const lengths = words.map((word) => stringWidth(word));
  let rows = [""];
  for (const [index, word] of words.entries()) {
    if (trim) rows[rows.length - 1] = (rows.at(-1) ?? "").trimStart();
    let rowLength = stringWidth(rows.at(-1) ?? "");
    const length = lengths[index] ?? 0;
    if (index !== 0) {
      if (rowLength >= columns && (options.wordWrap === false || !trim)) {
        rows.push("");
        rowLength = 0;
      }
      if (rowLength > 0 || !trim) {
        rows[rows.length - 1] += " ";
        rowLength++;
      }
    }
    if (options.hard && length > columns) {
      const breaksStartingThisLine = 1 + Math.floor((length - (columns - rowLength) - 1) / columns);
      const breaksStartingNextLine = Math.floor((length - 1) / columns);
      if (breaksStartingNextLine < breaksStartingThisLine) rows.push("");
      wrapWord(rows, word, columns);
      continue;
    }
    if (rowLength + length > columns && rowLength > 0 && length > 0) {
      if (options.wordWrap === false && rowLength < columns) {
        wrapWord(rows, word, columns);
        continue;
      }
      rows.push("");
    }
    if (rowLength + length > columns && options.wordWrap === false) {
      wrapWord(rows, word, columns);
      continue;
    }
    rows[rows.length - 1] += word;
  }
  if (trim) rows = rows.map(trimSpacesRight);
  return rows.join("\n");
}

export default function wrapAnsi(text: string, columns: number, options: WrapOptions = {}): string {
  return String(text)
    .normalize()
    .replaceAll("\r\n", "\n")
    .split("\n")
    .map((line) => wrapLine(line, columns, options))
    .join("\n");
}
