/**
 * The two assertions yargs makes on its own arguments, standing in for `node:assert` in the
 * bundle (see scripts/build.mjs): loading Node's assert costs milliseconds at every start. Same
 * contract: throw when the condition fails, with the message if one is given.
 */
export class AssertionError extends Error {
  override name = "AssertionError";
}

export function strictEqual(actual: unknown, expected: unknown, message?: string): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(message ?? `expected ${String(expected)}, got ${String(actual)}`);
  }
}

export function notStrictEqual(actual: unknown, expected: unknown, message?: string): void {
  if (Object.is(actual, expected)) throw new AssertionError(message ?? `expected anything but ${String(expected)}`);
}
