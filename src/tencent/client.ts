import { randomUUID } from "node:crypto";
import type { Dispatcher } from "undici";
import { type CallResult, interpretAnswer, interpretFailure } from "./answer.js";
import type { Credentials } from "./credentials.js";
import { chooseProxy, type ProxyEnv } from "./proxy.js";
import { signTc3 } from "./signing.js";
import { createDispatcher, exchange, MAX_CONNECTIONS } from "./transport.js";
import { DTS_SERVICE, DTS_VERSION, type DtsAction } from "./types.js";

export type { CallResult } from "./answer.js";

/** The project's one default endpoint. */
export const DEFAULT_ENDPOINT = "https://dts.tencentcloudapi.com";
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const CONTENT_TYPE = "application/json";

/** What `--verbose` shows of one exchange; never a secret. */
export type TraceEvent =
  | {
      readonly type: "request";
      readonly action: DtsAction;
      readonly params: Readonly<Record<string, string>>;
      readonly headers: Readonly<Record<string, string>>;
    }
  | {
      readonly type: "response";
      readonly action: DtsAction;
      readonly params: Readonly<Record<string, string>>;
      readonly durationMs: number;
      readonly httpStatus?: number;
      readonly requestId?: string;
      readonly errorCode?: string;
      readonly errorKind?: string;
    };

export interface ClientOptions {
  readonly endpoint: string;
  readonly credentials: Credentials;
  readonly region?: string;
  readonly language?: "en-US" | "zh-CN";
  /** Whole exchange, from sending to the last body byte. */
  readonly requestTimeoutMs?: number;
  /**
   * Most requests that can be in flight at once (default: many), each on a connection of its
   * own, up to 32. With 1 (a wait for one job, whose requests never overlap) the client is
   * undici's Client alone: the Pool around it cost about a tenth of a request's CPU.
   */
  readonly maxInFlight?: number;
  readonly connectTimeoutMs?: number;
  /** Wall clock in ms; injected by tests. */
  readonly now?: () => number;
  /**
   * Proxy variables (`https_proxy`, `http_proxy`, `all_proxy`, `no_proxy`, either case), read as
   * curl reads them; the adapters pass `process.env`. Without them the endpoint is reached directly.
   */
  readonly proxyEnv?: ProxyEnv;
  /** Certificates (PEM) trusted instead of Node's list, for the endpoint and an https proxy. */
  readonly ca?: string;
  /** For narrow unit tests (undici MockAgent); by default one keep-alive pool for the endpoint. */
  readonly dispatcher?: Dispatcher;
  readonly trace?: (event: TraceEvent) => void;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
}

export interface DtsClient {
  call<A extends DtsAction>(
    action: A,
    params: Readonly<Record<string, string>>,
    options?: CallOptions,
  ): Promise<CallResult<A>>;
  /** Signs later requests with the server's clock, learnt from a `Date` header. */
  adoptServerClock(serverTimeMs: number): void;
  readonly clockOffsetMs: number;
  close(): Promise<void>;
}

export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    shown[name] =
      lower === "authorization"
        ? value.replace(/Signature=[0-9a-f]+/, "Signature=[redacted]")
        : lower === "x-tc-token"
          ? "[redacted]"
          : value;
  }
  return shown;
}

interface RequestParts {
  readonly host: string;
  readonly hostname: string;
  readonly path: string;
  readonly query: string;
}

/** The headers of one request, signed at `timestamp` (Unix seconds). */
function requestHeaders(
  options: ClientOptions,
  parts: RequestParts,
  action: DtsAction,
  payload: string,
  timestamp: number,
): Record<string, string> {
  const { credentials } = options;
  const { authorization } = signTc3({
    secretId: credentials.secretId,
    secretKey: credentials.secretKey,
    service: DTS_SERVICE,
    host: parts.hostname,
    contentType: CONTENT_TYPE,
    timestampSeconds: timestamp,
    payload,
    path: parts.path,
    query: parts.query,
  });
  const headers: Record<string, string> = {
    "content-type": CONTENT_TYPE,
    host: parts.host,
    "x-tc-action": action,
    "x-tc-version": DTS_VERSION,
    "x-tc-timestamp": String(timestamp),
    "x-tc-traceid": randomUUID(),
    authorization,
  };
  if (options.region) headers["x-tc-region"] = options.region;
  if (options.language) headers["x-tc-language"] = options.language;
  if (credentials.token !== undefined) headers["x-tc-token"] = credentials.token;
  return headers;
}

function responseTrace<A extends DtsAction>(
  action: A,
  params: Readonly<Record<string, string>>,
  durationMs: number,
  result: CallResult<A>,
): TraceEvent {
  return {
    type: "response",
    action,
    params,
    durationMs,
    ...(result.ok
      ? { httpStatus: result.httpStatus, requestId: result.value.RequestId }
      : {
          ...(result.error.httpStatus === undefined ? {} : { httpStatus: result.error.httpStatus }),
          ...(result.error.requestId === undefined ? {} : { requestId: result.error.requestId }),
          errorCode: result.error.code,
          errorKind: result.error.kind,
        }),
  };
}

/** A client for one endpoint. A proxy variable that is not a proxy URL throws a ConfigError. */
export function createDtsClient(options: ClientOptions): DtsClient {
  const url = new URL(options.endpoint);
  const now = options.now ?? Date.now;
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const ownsDispatcher = options.dispatcher === undefined;
  const dispatcher =
    options.dispatcher ??
    createDispatcher({
      origin: url.origin,
      connections: Math.min(MAX_CONNECTIONS, Math.max(1, options.maxInFlight ?? MAX_CONNECTIONS)),
      connectTimeoutMs: options.connectTimeoutMs ?? Math.min(timeoutMs, 5_000),
      proxy: options.proxyEnv ? chooseProxy(options.proxyEnv, url.protocol) : undefined,
      ca: options.ca,
    });
  const path = url.pathname || "/";
  const parts: RequestParts = { host: url.host, hostname: url.hostname, path, query: url.search.slice(1) };
  const target = { origin: url.origin, path: `${path}${url.search}` };
  let clockOffsetMs = 0;
  const { trace } = options;

  async function call<A extends DtsAction>(
    action: A,
    params: Readonly<Record<string, string>>,
    callOptions: CallOptions = {},
  ): Promise<CallResult<A>> {
    const payload = JSON.stringify(params);
    const headers = requestHeaders(options, parts, action, payload, Math.floor((now() + clockOffsetMs) / 1000));
    trace?.({ type: "request", action, params, headers: redactHeaders(headers) });
    const started = now();
    const outcome = await exchange(dispatcher, { ...target, headers, body: payload }, timeoutMs, callOptions.signal);
    const result: CallResult<A> = outcome.ok
      ? interpretAnswer<A>(outcome.answer, now())
      : { ok: false, error: interpretFailure(outcome.error, outcome.cause) };
    trace?.(responseTrace(action, params, now() - started, result));
    return result;
  }

  return {
    call,
    adoptServerClock(serverTimeMs: number) {
      clockOffsetMs = serverTimeMs - now();
    },
    get clockOffsetMs() {
      return clockOffsetMs;
    },
    async close() {
      // destroy, not close: a stalled exchange must not hold the process after the verdict.
      if (ownsDispatcher) await dispatcher.destroy();
    },
  };
}
