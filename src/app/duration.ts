import { ConfigError } from "../tencent/errors.js";

/** Longer than any pre-migration check; what a typo of a few digits would give is refused. */
const MAX_MS = 7 * 24 * 3600 * 1000;
const NUMBER = String.raw`(?:\d+(?:\.\d+)?|\.\d+)`;
const SECONDS = new RegExp(`^${NUMBER}$`);
/** Units largest first, each at most once: `1h30m`, `2m30s`, `500ms`. */
const WITH_UNITS = new RegExp(`^(?:(${NUMBER})h)?(?:(${NUMBER})m)?(?:(${NUMBER})s)?(?:(${NUMBER})ms)?$`);
const UNIT_MS = [3_600_000, 60_000, 1000, 1] as const;

/**
 * A duration as typed: seconds (`90`, `2.5`) or with units (`500ms`, `30s`, `5m`, `1h`, `1h30m`).
 * `label` names the option as its user knows it (`--interval`, `input interval`). Returns ms.
 */
export function parseDuration(label: string, value: string, { allowZero }: { allowZero: boolean }): number {
  const ms = durationMs(value);
  if (ms === undefined || (!allowZero && ms === 0)) {
    throw new ConfigError(
      `${label} must be a duration ${allowZero ? "≥ 0" : "> 0"} in seconds (90, 2.5) or with units (500ms, 30s, 5m, 1h30m), not ${JSON.stringify(value)}`,
    );
  }
  if (ms > MAX_MS) throw new ConfigError(`${label} ${JSON.stringify(value)} is more than a week`);
  return ms;
}

function durationMs(value: string): number | undefined {
  if (SECONDS.test(value)) return Number(value) * 1000;
  const parts = WITH_UNITS.exec(value);
  if (value === "" || parts === null) return undefined;
  let ms = 0;
  for (const [index, unit] of UNIT_MS.entries()) {
    const amount = parts[index + 1];
    if (amount !== undefined) ms += Number(amount) * unit;
  }
  return ms;
}
