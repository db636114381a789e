import { ConfigError } from "../tencent/errors.js";
import { JOB_ID_PATTERN } from "../tencent/types.js";

export const DEFAULTS = {
  endpoint: "https://dts.tencentcloudapi.com",
  intervalSeconds: 5,
  timeoutSeconds: 1800,
  rate: 20,
  requestTimeoutSeconds: 10,
} as const;

/** Loopback only: plain HTTP anywhere else would send signed requests in the clear. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost") return true;
  // WHATWG URL parsing has already normalised IP addresses (127.1 → 127.0.0.1, [0::1] → [::1]).
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  return host === "::1";
}

export function parseEndpoint(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      `--endpoint ${JSON.stringify(value)} is not a URL (example: https://dts.tencentcloudapi.com)`,
    );
  }
  if (url.protocol === "http:") {
    if (!isLoopbackHost(url.hostname)) {
      throw new ConfigError(
        `--endpoint ${url.origin}: http:// is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost); use https://`,
      );
    }
  } else if (url.protocol !== "https:") {
    throw new ConfigError(`--endpoint must be an https:// URL, not ${url.protocol}`);
  }
  if (url.username || url.password) throw new ConfigError("--endpoint must not carry credentials");
  return url;
}

/** Splits ids given as separate words or separated by commas/whitespace; keeps first occurrence. */
export function parseJobIds(values: readonly string[]): string[] {
  const ids = values.flatMap((value) => value.split(/[\s,]+/)).filter((id) => id !== "");
  if (ids.length === 0) throw new ConfigError("give at least one job id (as dts-1ewjspuw)");
  const bad = ids.filter((id) => !JOB_ID_PATTERN.test(id));
  if (bad.length > 0) {
    throw new ConfigError(
      `invalid job id${bad.length > 1 ? "s" : ""} ${bad.map((id) => JSON.stringify(id)).join(", ")}: expected dts- and 8 lowercase letters or digits (as dts-1ewjspuw)`,
    );
  }
  return [...new Set(ids)];
}

export function parseSeconds(name: string, value: unknown, { allowZero }: { allowZero: boolean }): number {
  const number =
    typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
  if (!Number.isFinite(number) || number < 0 || (!allowZero && number === 0)) {
    throw new ConfigError(
      `--${name} must be a number of seconds ${allowZero ? "≥ 0" : "> 0"}, not ${JSON.stringify(value)}`,
    );
  }
  if (number > 7 * 24 * 3600) throw new ConfigError(`--${name} ${number} is more than a week`);
  return number;
}

/** Far above any quota the API grants (20 by default), below what a typo of a few digits gives. */
export const MAX_RATE = 100_000;

export function parseRate(value: unknown): number {
  const number = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(number) || number < 1 || number > MAX_RATE) {
    throw new ConfigError(
      `--rate must be a whole number of requests per second from 1 to ${MAX_RATE}, not ${JSON.stringify(value)}`,
    );
  }
  return number;
}

export function parseRedisUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError("--redis-url is not a URL (example: redis://127.0.0.1:6379)");
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new ConfigError(`--redis-url must start with redis:// or rediss://, not ${url.protocol}//`);
  }
  return url;
}
