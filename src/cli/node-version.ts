/*
 * The oldest Node the bundle runs on. Checked by the entry before it imports anything else: on an
 * older Node the bundle would fail while loading and print its own minified source.
 * Nothing here may import a module, for the same reason.
 */
export const MINIMUM_NODE = { major: 20, minor: 19 } as const;

/** What to tell the user when `version` (as `process.versions.node`) is too old; else undefined. */
export function unsupportedNode(version: string): string | undefined {
  const [major = Number.NaN, minor = Number.NaN] = version.split(".").map(Number);
  const supported = major > MINIMUM_NODE.major || (major === MINIMUM_NODE.major && minor >= MINIMUM_NODE.minor);
  if (supported) return undefined;
  const needed = `${MINIMUM_NODE.major}.${MINIMUM_NODE.minor}`;
  return `dts-gate needs Node.js ${needed} or later; this is Node.js ${version}. Install a newer Node.js (https://nodejs.org) and run it again.\n`;
}
