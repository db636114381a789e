import { ConfigError } from "./errors.js";

/** The proxy one endpoint is reached through, and the hosts that bypass it. */
export interface ProxyChoice {
  /** `http://` or `https://` URL of the proxy (user and password allowed). */
  readonly proxyUrl: string;
  /** The NO_PROXY list, as given (undici's EnvHttpProxyAgent matches it). */
  readonly noProxy: string;
}

export type ProxyEnv = Readonly<Record<string, string | undefined>>;

/** The lowercase form first, then the uppercase one, as curl reads them; empty is unset. */
function variable(env: ProxyEnv, lower: string): { name: string; value: string } | undefined {
  for (const name of [lower, lower.toUpperCase()]) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/**
 * The proxy for an endpoint of `protocol` from proxy variables, as curl picks it: `https_proxy`
 * for https, `http_proxy` for http (never one for the other), `all_proxy` otherwise; a proxy
 * without a scheme is `http://`. `undefined` when no variable names a proxy for it.
 * A proxy that is not an http(s) URL is a ConfigError, which never quotes the value: it may hold
 * a password.
 */
export function chooseProxy(env: ProxyEnv, protocol: string): ProxyChoice | undefined {
  const found = variable(env, protocol === "https:" ? "https_proxy" : "http_proxy") ?? variable(env, "all_proxy");
  if (!found) return undefined;
  const text = found.value.includes("://") ? found.value : `http://${found.value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${found.name} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`${found.name} must be an http:// or https:// proxy, not ${url.protocol}//`);
  }
  return { proxyUrl: url.href, noProxy: variable(env, "no_proxy")?.value ?? "" };
}
