import { buildConnector, Client, type Dispatcher, EnvHttpProxyAgent, Pool } from "undici";
import type { Answer, FailureCause } from "./answer.js";
import { type ConnectorGuard, connectorGuard } from "./connector.js";
import type { ProxyChoice } from "./proxy.js";

/** Connections to one endpoint at most. */
export const MAX_CONNECTIONS = 32;
/** No DTS answer comes near this; a larger body is a broken peer, not something to buffer. */
export const MAX_ANSWER_BODY_BYTES = 4 * 1024 * 1024;

export interface DispatcherOptions {
  readonly origin: string;
  /** Connections to the endpoint, 1 to MAX_CONNECTIONS. */
  readonly connections: number;
  readonly connectTimeoutMs: number;
  readonly proxy: ProxyChoice | undefined;
  /** Certificates (PEM) to trust instead of Node's list, for the endpoint and the proxy. */
  readonly ca: string | undefined;
}

/** undici's Client for one connection, its Pool for more; every connection attempt guarded. */
function endpointDispatcher(
  origin: string | URL,
  options: Record<string, unknown>,
  guard: ConnectorGuard,
  timeoutMs: number,
) {
  const given = options.connect;
  const connect = guard(
    typeof given === "function"
      ? (given as buildConnector.connector)
      : buildConnector({ ...(given as buildConnector.BuildOptions | undefined), timeout: timeoutMs }),
  );
  const settings = { ...options, connect };
  return options.connections === 1 ? new Client(origin, settings) : new Pool(origin, settings);
}

/**
 * The endpoint's dispatcher; through a proxy, undici's EnvHttpProxyAgent given every value (so it
 * never reads `process.env` itself) and the one proxy chosen for the endpoint's scheme, which then
 * matches NO_PROXY against the endpoint. Its `factory` makes each origin's pool, so the tunnel's
 * connector is guarded like a direct one, by the one guard of the dispatcher.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { origin, connections, proxy, ca, connectTimeoutMs } = options;
  const guard = connectorGuard({ timeoutMs: connectTimeoutMs });
  const common = { connections, keepAliveTimeout: 30_000, connectTimeout: connectTimeoutMs };
  if (proxy) {
    return new EnvHttpProxyAgent({
      ...common,
      httpProxy: proxy.proxyUrl,
      httpsProxy: proxy.proxyUrl,
      noProxy: proxy.noProxy,
      factory: (to, settings) => endpointDispatcher(to, settings as Record<string, unknown>, guard, connectTimeoutMs),
      // `connect` for the endpoint reached directly (NO_PROXY), `requestTls` for it through a
      // tunnel, `proxyTls` for an https:// proxy.
      ...(ca === undefined ? {} : { connect: { ca }, requestTls: { ca }, proxyTls: { ca } }),
    });
  }
  const direct = { ...common, ...(ca === undefined ? {} : { connect: { ca } }) };
  return endpointDispatcher(origin, direct, guard, connectTimeoutMs);
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

/** Thrown into the exchange when its body outgrows MAX_ANSWER_BODY_BYTES. */
class ResponseTooLargeError extends Error {
  readonly code = "UND_ERR_RES_EXCEEDED_MAX_SIZE";
  constructor() {
    super(`response body over ${MAX_ANSWER_BODY_BYTES} bytes`);
    this.name = "ResponseTooLargeError";
  }
}

/** Rejects with the signal's reason once it aborts. */
function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

/** The whole answer: status, the headers we read, the body up to MAX_ANSWER_BODY_BYTES. */
async function receive(dispatcher: Dispatcher, request: ExchangeRequest, signal: AbortSignal): Promise<Answer> {
  const response = await dispatcher.request({ ...request, method: "POST", signal });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_ANSWER_BODY_BYTES) throw new ResponseTooLargeError();
    chunks.push(chunk);
  }
  return {
    statusCode: response.statusCode,
    date: firstOf(response.headers.date),
    retryAfter: firstOf(response.headers["retry-after"]),
    body: Buffer.concat(chunks, size).toString("utf8"),
  };
}

/**
 * One POST through `dispatcher.request`, bounded as a whole by `timeoutMs`: the bound or the
 * caller's signal, the first to fire says how it ended, ends the exchange at any stage. undici
 * acts on a request's signal only once it has a connection, so the exchange also stops waiting
 * for it itself: a request still queued (connecting, tunnelling) cannot outlive the bound.
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
  if (bound.signal.aborted) {
    clearTimeout(timer);
    return { ok: false, cause: "cancelled", error: bound.signal.reason };
  }
  const work = receive(dispatcher, request, bound.signal);
  // Once the race is decided by the signal, the request's own end is of no interest.
  work.catch(() => {});
  try {
    return { ok: true, answer: await Promise.race([work, whenAborted(bound.signal)]) };
  } catch (error) {
    return { ok: false, cause: endedBy ?? "error", error };
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener("abort", onCallerAbort);
  }
}
