import { Client, type Dispatcher, EnvHttpProxyAgent, Pool } from "undici";
import type { Answer, FailureCause } from "./answer.js";
import type { ProxyChoice } from "./proxy.js";

/** Connections to one endpoint at most. */
export const MAX_CONNECTIONS = 32;
/** No DTS answer comes near this; a larger body is a broken peer, not something to buffer. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface DispatcherOptions {
  readonly origin: string;
  /** Connections to the endpoint, 1 to MAX_CONNECTIONS. */
  readonly connections: number;
  readonly connectTimeoutMs: number;
  readonly proxy: ProxyChoice | undefined;
  /** Certificates (PEM) to trust instead of Node's list, for the endpoint and the proxy. */
  readonly ca: string | undefined;
}

/**
 * undici's Client for one connection, its Pool for more; through a proxy, its EnvHttpProxyAgent
 * given every value (so it never reads `process.env` itself) and the one proxy chosen for the
 * endpoint's scheme, which then matches NO_PROXY against the endpoint.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { origin, connections, proxy, ca } = options;
  const common = { connectTimeout: options.connectTimeoutMs, keepAliveTimeout: 30_000 };
  if (proxy) {
    return new EnvHttpProxyAgent({
      ...common,
      connections,
      httpProxy: proxy.proxyUrl,
      httpsProxy: proxy.proxyUrl,
      noProxy: proxy.noProxy,
      // `connect` for the endpoint reached directly (NO_PROXY), `requestTls` for it through a
      // tunnel, `proxyTls` for an https:// proxy.
      ...(ca === undefined ? {} : { connect: { ca }, requestTls: { ca }, proxyTls: { ca } }),
    });
  }
  const direct = { ...common, ...(ca === undefined ? {} : { connect: { ca } }) };
  return connections === 1 ? new Client(origin, direct) : new Pool(origin, { ...direct, connections });
}

export interface ExchangeRequest {
  readonly origin: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type ExchangeOutcome =
  | { readonly ok: true; readonly answer: Answer }
  | { readonly ok: false; readonly cause: FailureCause; readonly error: unknown };

function firstOf(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? header[0] : header;
}

/** Thrown into the exchange when its body outgrows MAX_BODY_BYTES. */
class ResponseTooLargeError extends Error {
  readonly code = "UND_ERR_RES_EXCEEDED_MAX_SIZE";
  constructor() {
    super(`response body over ${MAX_BODY_BYTES} bytes`);
    this.name = "ResponseTooLargeError";
  }
}

/**
 * One POST through `dispatcher.request`, bounded as a whole by `timeoutMs`: one signal per
 * request aborts it wherever it is, connecting, waiting for headers or reading the body (undici's
 * `bodyTimeout` only bounds the gap between two chunks). The caller's signal aborts it too; the
 * first of the two to fire says how it ended.
 */
export async function exchange(
  dispatcher: Dispatcher,
  request: ExchangeRequest,
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
): Promise<ExchangeOutcome> {
  const bound = new AbortController();
  let endedBy: FailureCause | undefined;
  const end = (cause: FailureCause, reason: unknown) => {
    endedBy ??= cause;
    bound.abort(reason);
  };
  const onCallerAbort = () => end("cancelled", callerSignal?.reason);
  const timer = setTimeout(() => end("timedOut", new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  try {
    const response = await dispatcher.request({ ...request, method: "POST", signal: bound.signal });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw new ResponseTooLargeError();
      chunks.push(chunk);
    }
    return {
      ok: true,
      answer: {
        statusCode: response.statusCode,
        date: firstOf(response.headers.date),
        retryAfter: firstOf(response.headers["retry-after"]),
        body: Buffer.concat(chunks, size).toString("utf8"),
      },
    };
  } catch (error) {
    return { ok: false, cause: endedBy ?? "error", error };
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener("abort", onCallerAbort);
  }
}
