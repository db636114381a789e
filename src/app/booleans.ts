import { ConfigError } from "../tencent/errors.js";

export type BooleanWords = ReadonlyMap<string, boolean>;

/** The words a boolean option or input takes, in any case: the CLI's and the Action's. */
export const BOOLEAN_WORDS: BooleanWords = new Map([
  ["true", true],
  ["false", false],
  ["yes", true],
  ["no", false],
  ["on", true],
  ["off", false],
  ["1", true],
  ["0", false],
]);

/** The Action has always accepted y and n too; the CLI does not add them. */
export const ACTION_BOOLEAN_WORDS: BooleanWords = new Map([...BOOLEAN_WORDS, ["y", true], ["n", false]]);

/** A boolean word (any case) to its meaning; anything else is a ConfigError quoting the value. */
export function parseBooleanWord(label: string, value: string, words: BooleanWords = BOOLEAN_WORDS): boolean {
  const meaning = words.get(value.toLowerCase());
  if (meaning === undefined) {
    throw new ConfigError(
      `${label} must be one of ${[...words.keys()].join(", ")} (any case), not ${JSON.stringify(value)}`,
    );
  }
  return meaning;
}
