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

/**
 * An endpoint named by a variable: https://, or http:// for a loopback host or `plainHost` (the
 * metadata service, which only speaks http on the instance's own link). Never with a password.
 */
export function serviceEndpoint(value: string, variable: string, plainHost?: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${variable} is not a URL: set it like ${DEFAULT_STS_ENDPOINT}`);
  }
  if (url.username || url.password) throw new ConfigError(`${variable} must not carry credentials`);
  if (url.protocol === "http:") {
    if (!isLoopbackHost(url.hostname) && url.hostname !== plainHost) {
      throw new ConfigError(
        `${variable} ${url.origin}: http:// is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost); use https://`,
      );
    }
  } else if (url.protocol !== "https:") {
    throw new ConfigError(`${variable} must be an https:// URL, not ${url.protocol}`);
  }
  return url;
}
