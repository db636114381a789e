import { ConfigError } from "./errors.js";

/** The DTS API: the one default endpoint of both adapters. */
export const DEFAULT_ENDPOINT = "https://dts.tencentcloudapi.com";
export const DEFAULT_STS_ENDPOINT = "https://sts.tencentcloudapi.com";
export const DEFAULT_METADATA_ENDPOINT = "http://metadata.tencentyun.com";

/** Loopback only: plain HTTP anywhere else would send signed requests in the clear. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost") return true;
  // WHATWG URL parsing has already normalised IP addresses (127.1 → 127.0.0.1, [0::1] → [::1]).
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  return host === "::1";
}

/** The value quoted, unless an `@` says it may carry a user and password. */
function quoteUrl(value: string): string {
  return value.includes("@") ? "(not shown: it may hold credentials)" : JSON.stringify(value);
}

export interface EndpointRule {
  /** A URL the message gives as an example of a good value. */
  readonly example: string;
  /** A host that may be reached over http:// besides loopback (the metadata service). */
  readonly plainHost?: string;
}

/**
 * The one check of every endpoint, named by `label` as its user knows it (`--endpoint`, an input,
 * a variable): https://, or http:// for a loopback host or `plainHost`; never with a password,
 * which is never echoed.
 */
export function serviceEndpoint(value: string, label: string, rule: EndpointRule): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${label} ${quoteUrl(value)} is not a URL (example: ${rule.example})`);
  }
  if (url.username || url.password) {
    throw new ConfigError(`${label} must not carry credentials (user:password@); the URL is not shown`);
  }
  if (url.protocol === "http:") {
    if (!isLoopbackHost(url.hostname) && url.hostname !== rule.plainHost) {
      throw new ConfigError(
        `${label} ${url.origin}: http:// is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost); use https://`,
      );
    }
  } else if (url.protocol !== "https:") {
    throw new ConfigError(`${label} must be an https:// URL, not ${url.protocol}`);
  }
  return url;
}
