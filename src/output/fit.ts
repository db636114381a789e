import stringWidth from "string-width";
import { CUT_MARK } from "./safe-output.js";

/*
 * Terminal lines measured as the terminal draws them: in columns (a CJK character or an emoji
 * takes two, a combining mark none), not in UTF-16 units.
 */

/** Columns `text` takes on a terminal (escape sequences take none). */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** `text` in at most `columns` columns: whole graphemes, cut with `…` when it does not fit. */
export function fitWidth(text: string, columns: number): string {
  if (displayWidth(text) <= columns) return text;
  if (columns <= 0) return "";
  const room = columns - displayWidth(CUT_MARK);
  let kept = "";
  let width = 0;
  for (const { segment } of graphemes.segment(text)) {
    const next = displayWidth(segment);
    if (width + next > room) break;
    kept += segment;
    width += next;
  }
  return `${kept}${CUT_MARK}`;
}

/** A piece of a line and how to show it; `paint` adds escape sequences, which take no column. */
export interface Piece {
  readonly text: string;
  readonly paint?: (text: string) => string;
}

/**
 * A line of pieces in at most `columns` columns: the pieces in order, the one that does not fit
 * cut with `…`, those after it left out. Cut before painting, so no escape sequence is cut.
 */
export function fitPieces(pieces: readonly Piece[], columns: number): string {
  let line = "";
  let left = columns;
  for (const { text, paint } of pieces) {
    const width = displayWidth(text);
    const shown = width <= left ? text : fitWidth(text, left);
    if (shown !== "") line += paint ? paint(shown) : shown;
    left -= displayWidth(shown);
    if (shown !== text) break;
  }
  return line;
}
