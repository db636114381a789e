/*
 * Help that points somewhere useful: at the help of the command in use, at `dts-gate help
 * COMMAND`, and at the option a mistyped one was probably meant to be.
 */

/** The commands, as `dts-gate help COMMAND` and the hints name them. */
export const COMMAND_NAMES = ["wait", "simulate", "demo", "completion"] as const;

/** The words before `--` (after it, every word is a job id). */
function optionWords(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf("--");
  return end === -1 ? argv : argv.slice(0, end);
}

/** The command named on the command line, if any. */
export function commandOf(argv: readonly string[]): string | undefined {
  const names: readonly string[] = COMMAND_NAMES;
  return optionWords(argv).find((word) => names.includes(word));
}

/** `--help` or `-h` among the options (after `--`, a word is a job id). */
export function asksForHelp(argv: readonly string[]): boolean {
  return optionWords(argv).some((word) => word === "--help" || word === "-h");
}

/** Where to read next after a usage error. */
export function helpHint(command: string | undefined): string {
  return command === undefined
    ? "Run dts-gate --help for the commands, dts-gate help COMMAND for a command's options."
    : `Run dts-gate ${command} --help for the options.`;
}

/**
 * `dts-gate help [COMMAND]` as `dts-gate [COMMAND] --help`. Returns undefined when the command
 * line does not start with `help`.
 */
export function helpCommandAsOption(argv: readonly string[]): string[] | undefined {
  const [first, ...rest] = argv;
  if (first !== "help") return undefined;
  return [...rest, "--help"];
}

/** The `--name` words of the command line (without `no-` nor `=value`). */
export function optionNamesTyped(argv: readonly string[]): string[] {
  return optionWords(argv)
    .filter((word) => word.startsWith("--") && word.length > 2)
    .map((word) => word.slice(2).split("=", 1)[0] ?? "");
}

/**
 * The known name nearest to `typed` (as `timeout` for `timout`), or undefined when none is near:
 * at most two edits, or a third of the word's letters when that is more. yargs suggests commands
 * (`recommendCommands`) but not options; this is the same idea for options.
 */
export function nearestName(typed: string, known: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(typed.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(typed, name);
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/**
 * The fewest insertions, deletions, substitutions and swaps of two neighbours from `a` to `b`
 * (Levenshtein with transpositions, "optimal string alignment": `wiat` is one edit from `wait`).
 */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  // d[i][j]: the distance between the first i characters of a and the first j of b.
  const d = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (const [i, row] of d.entries()) {
    for (let j = 1; i > 0 && j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      const swapped = i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1];
      if (swapped) distance = Math.min(distance, at(i - 2, j - 2) + 1);
      row[j] = distance;
    }
  }
  return at(x.length, y.length);
}
