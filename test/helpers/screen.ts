import stringWidth from "string-width";

const ESC = "\u001b";
/** A control sequence: ESC [ count letter. */
const CSI = new RegExp(`^${ESC}\\[(\\d*)([A-Za-z])`);

/**
 * A terminal screen as a TTY shows what is written to it, enough for the live view: printable
 * text with auto-wrap at the width, `\r`, `\n` (as the TTY's onlcr turns it into CR LF), cursor up
 * (`ESC[nA`), clear to the end of the screen (`ESC[0J`); colours are ignored. `resize` changes
 * the width and, made narrower, wraps again the rows that no longer fit, as most terminals do.
 */
export class Screen {
  readonly #rows: string[][] = [[]];
  #row = 0;
  #column = 0;

  constructor(public columns: number) {}

  write(text: string): void {
    const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
    let rest = text;
    while (rest.length > 0) {
      const sequence = CSI.exec(rest);
      if (sequence) {
        this.#control(Number(sequence[1] || "0"), sequence[2] ?? "");
        rest = rest.slice(sequence[0].length);
        continue;
      }
      const next = rest.indexOf(ESC, 1);
      const plain = next === -1 ? rest : rest.slice(0, next);
      for (const { segment } of graphemes.segment(plain)) this.#put(segment);
      rest = rest.slice(plain.length);
    }
  }

  resize(columns: number): void {
    const rows: string[][] = [];
    let cursorRow = 0;
    for (const [index, cells] of this.#rows.entries()) {
      if (index === this.#row) cursorRow = rows.length;
      for (let start = 0; start === 0 || start < cells.length; start += columns)
        rows.push(cells.slice(start, start + columns));
    }
    this.#rows.splice(0, this.#rows.length, ...rows);
    this.#row = cursorRow;
    this.columns = columns;
  }

  /** The screen's lines, trailing blanks and empty last lines dropped. */
  lines(): string[] {
    const lines = this.#rows.map((cells) => cells.join("").trimEnd());
    while (lines.length > 0 && lines.at(-1) === "") lines.pop();
    return lines;
  }

  #control(count: number, command: string): void {
    if (command === "A") this.#row = Math.max(0, this.#row - Math.max(1, count));
    else if (command === "J") {
      this.#line().length = this.#column;
      this.#rows.length = this.#row + 1;
    }
  }

  #line(): string[] {
    while (this.#rows.length <= this.#row) this.#rows.push([]);
    return this.#rows[this.#row] as string[];
  }

  #put(grapheme: string): void {
    if (grapheme === "\r") this.#column = 0;
    else if (grapheme === "\n" || grapheme === "\r\n") {
      this.#row++;
      this.#column = 0;
      this.#line();
    } else {
      const width = stringWidth(grapheme);
      if (this.#column + width > this.columns) {
        this.#row++;
        this.#column = 0;
      }
      const line = this.#line();
      while (line.length < this.#column) line.push(" ");
      line[this.#column] = grapheme;
      // A wide character takes its second column too.
      for (let extra = 1; extra < width; extra++) line[this.#column + extra] = "";
      this.#column += width;
    }
  }
}
