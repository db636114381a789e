import { parseBooleanWord } from "../app/booleans.js";
import { ConfigError } from "../tencent/errors.js";

/*
 * What yargs-parser reads too leniently, settled before it sees the command line: it reads
 * `--flag=VALUE` of a boolean as `VALUE === "true"` (so `--start=1` would mean false). Options
 * missing their value (`requiresArg`) and what follows `--` (`populate--`) yargs handles itself;
 * a lone `-`, which it drops, is refused here.
 */

/** Every boolean option of every command: `--NAME=WORD` becomes `--NAME` or `--no-NAME`. */
export const BOOLEAN_OPTIONS = new Set([
  "fail-on-warning",
  "fail-fast",
  "create-check",
  "start",
  "complete",
  "verbose",
  "keyless",
]);

const WITH_VALUE = /^--(no-)?([^=]+)=([\s\S]*)$/;

/** The command line with each boolean's `=WORD` spelt as a flag; a word that is not one throws. */
export function spellBooleans(argv: readonly string[]): string[] {
  const end = argv.indexOf("--");
  const options = end === -1 ? argv : argv.slice(0, end);
  const rest = end === -1 ? [] : argv.slice(end);
  const spelt = options.map((arg) => {
    // yargs-parser drops a lone "-" without a word: it is no job id nor option here.
    if (arg === "-") throw new ConfigError('unexpected "-": give job ids as words (dts-gate reads no stdin)');
    const match = WITH_VALUE.exec(arg);
    const [, negated, name = "", value = ""] = match ?? [];
    if (!match || !BOOLEAN_OPTIONS.has(name)) return arg;
    if (negated) throw new ConfigError(`--no-${name} takes no value, not ${JSON.stringify(value)}`);
    return parseBooleanWord(`--${name}`, value) ? `--${name}` : `--no-${name}`;
  });
  return [...spelt, ...rest];
}

/** Whether the command line asks for `--output json` (its last `--output`, before any `--`). */
export function asksForJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  const options = end === -1 ? argv : argv.slice(0, end);
  let output: string | undefined;
  for (const [index, arg] of options.entries()) {
    if (arg === "--output") output = options[index + 1];
    else if (arg.startsWith("--output=")) output = arg.slice("--output=".length);
  }
  return output === "json";
}

/** Passwords of URLs on the command line: never printed back, even in an error about them. */
export function secretsOfArgv(argv: readonly string[]): string[] {
  return argv.flatMap((arg) => {
    const start = arg.indexOf("=") + 1;
    if (!URL.canParse(arg.slice(start))) return [];
    const { password } = new URL(arg.slice(start));
    return password === "" ? [] : [password, safeDecode(password)];
  });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
