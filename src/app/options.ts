import { MAX_INTERVAL_FACTOR } from "../core/cadence.js";
import { kindOfId } from "../core/job-kind.js";
import { DEFAULT_SETTLE_MS } from "../core/phases/migrate.js";
import { DEFAULT_ENDPOINT, serviceEndpoint } from "../tencent/endpoints.js";
import { ConfigError } from "../tencent/errors.js";
import { parseDuration } from "./duration.js";

/*
 * Option values of both adapters, each named by a label as its user knows it: `--endpoint` on the
 * command line, `input endpoint` in the Action. Every error quotes the value as typed, except a
 * value that may hold credentials, which is never echoed.
 */

export function parseEndpoint(label: string, value: string): URL {
  return serviceEndpoint(value, label, { example: DEFAULT_ENDPOINT });
}

/** Splits ids given as separate words or separated by commas/whitespace; keeps first occurrence. */
export function parseJobIds(values: readonly string[], label?: string): string[] {
  const prefix = label === undefined ? "" : `${label}: `;
  const ids = values.flatMap((value) => value.split(/[\s,]+/)).filter((id) => id !== "");
  if (ids.length === 0) throw new ConfigError(`${prefix}give at least one job id (as dts-1ewjspuw)`);
  const bad = ids.filter((id) => kindOfId(id) === undefined);
  if (bad.length > 0) {
    throw new ConfigError(
      `${prefix}invalid job id${bad.length > 1 ? "s" : ""} ${bad.map((id) => JSON.stringify(id)).join(", ")}: expected dts- or sync- and 8 lowercase letters or digits (as dts-1ewjspuw, sync-1ewjspuw), or a consistency check's id (as dts-1ewjspuw-cmp-37skmii9)`,
    );
  }
  return [...new Set(ids)];
}

/** The highest limit DTS documents for an action (most have 20 per second). */
export const MAX_RATE = 100;

export function parseRate(label: string, value: string): number {
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < 1 || number > MAX_RATE) {
    throw new ConfigError(
      `${label} must be a whole number of requests per second from 1 to ${MAX_RATE}, not ${JSON.stringify(value)}`,
    );
  }
  return number;
}

/** A Redis URL may carry a password: no error about one echoes it. */
export function parseRedisUrl(label: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${label} is not a URL (example: redis://127.0.0.1:6379); the value is not shown`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new ConfigError(`${label} must start with redis:// or rediss://, not ${url.protocol}//`);
  }
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    throw new ConfigError(`${label}: the user or password has a bad %-escape; the value is not shown`);
  }
  return url;
}

/**
 * The longest time between two polls of a job (a duration): six intervals unless given, never less
 * than the interval; equal to it is plain fixed polling.
 */
export function parseMaxInterval(
  maxInterval: { readonly label: string; readonly value: string | undefined },
  interval: { readonly label: string; readonly ms: number },
): number {
  if (maxInterval.value === undefined) return MAX_INTERVAL_FACTOR * interval.ms;
  const ms = parseDuration(maxInterval.label, maxInterval.value, { allowZero: false });
  if (ms < interval.ms) {
    throw new ConfigError(
      `${maxInterval.label} ${JSON.stringify(maxInterval.value)} is shorter than ${interval.label} (${interval.ms / 1000} s): the longest gap between two polls cannot be below the shortest`,
    );
  }
  return ms;
}

export type Until = "check" | "ready" | "done";

/** The phases asked for, as both adapters read them: what `--until`, `--complete` and the rest mean together. */
export interface MigrationOptions {
  readonly until: Until;
  readonly maxLagMs: number;
  readonly maxGapMB: number;
  readonly settleMs: number;
  readonly complete: boolean;
  readonly compare: boolean;
}

/** Each value as typed (undefined: not given) and the label its user knows it by. */
export interface MigrationInputs {
  readonly until: { readonly label: string; readonly value: string | undefined };
  readonly maxLag: { readonly label: string; readonly value: string | undefined };
  readonly maxGap: { readonly label: string; readonly value: string | undefined };
  readonly settle: { readonly label: string; readonly value: string | undefined };
  readonly complete: { readonly label: string; readonly value: boolean };
  readonly compare: { readonly label: string; readonly value: boolean };
}

function parseUntil(label: string, value: string): Until {
  if (value === "check" || value === "ready" || value === "done") return value;
  throw new ConfigError(`${label} must be check, ready or done, not ${JSON.stringify(value)}`);
}

/** A gap in MB: a number, 0 or more (fractions allowed). */
export function parseGapMB(label: string, value: string): number {
  const number = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(number)) {
    throw new ConfigError(`${label} must be a number of MB, 0 or more (as 0 or 2.5), not ${JSON.stringify(value)}`);
  }
  return number;
}

/** `complete` implies `until done`, whatever `until` says: completing is waiting for success. */
export function parseMigrationOptions(inputs: MigrationInputs): MigrationOptions {
  const { until, maxLag, maxGap, settle, complete, compare } = inputs;
  const asked = until.value === undefined ? undefined : parseUntil(until.label, until.value);
  return {
    until: complete.value ? "done" : (asked ?? "check"),
    maxLagMs: maxLag.value === undefined ? 0 : parseDuration(maxLag.label, maxLag.value, { allowZero: true }),
    maxGapMB: maxGap.value === undefined ? 0 : parseGapMB(maxGap.label, maxGap.value),
    settleMs:
      settle.value === undefined ? DEFAULT_SETTLE_MS : parseDuration(settle.label, settle.value, { allowZero: true }),
    complete: complete.value,
    compare: compare.value,
  };
}

/** The options that act on a job, as typed (`until` undefined: not given), with their labels. */
export interface JobOptionInputs extends Pick<MigrationInputs, "until" | "complete" | "compare"> {
  readonly createCheck: { readonly label: string; readonly value: boolean };
  readonly start: { readonly label: string; readonly value: boolean };
}

/**
 * An option that does not apply to a kind of job given is an error before any request: a data sync
 * job has no cut-over and never ends; a consistency check given by its id is judged as it is.
 */
export function checkOptionsApply(jobIds: readonly string[], inputs: JobOptionInputs): void {
  const { until, complete, compare, createCheck, start } = inputs;
  const sync = jobIds.find((id) => kindOfId(id) === "sync");
  if (sync !== undefined) {
    const given = [
      ...(complete.value ? [complete.label] : []),
      ...(until.value === "done" ? [`${until.label} done`] : []),
    ];
    if (given.length > 0) {
      throw new ConfigError(
        `${given.join(" and ")} cannot apply to the data sync job ${sync}: a sync job has no cut-over and runs until stopped (wait for it with --until ready)`,
      );
    }
  }
  const task = jobIds.find((id) => kindOfId(id) === "compare");
  if (task !== undefined) {
    const given = [
      ...(createCheck.value ? [createCheck.label] : []),
      ...(start.value ? [start.label] : []),
      ...(until.value !== undefined ? [until.label] : []),
      ...(compare.value ? [compare.label] : []),
      ...(complete.value ? [complete.label] : []),
    ];
    if (given.length > 0) {
      throw new ConfigError(
        `${given.join(", ")} cannot apply to the consistency check ${task}: a consistency check given by its id is waited for and judged as it is`,
      );
    }
  }
}
