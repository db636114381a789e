import { randomUUID } from "node:crypto";
import type { Dispatcher } from "undici";
import { type CallResult, interpretAnswer, interpretFailure } from "./answer.js";
import { type CredentialSource, type Credentials, fixedSource, isCredentialSource } from "./credentials.js";
import { ApiError } from "./errors.js";
import { chooseProxy, type ProxyEnv } from "./proxy.js";
import { signTc3 } from "./signing.js";
import { createDispatcher, exchange, MAX_CONNECTIONS } from "./transport.js";
import { DTS_SERVICE, DTS_VERSION, type DtsAction } from "./types.js";

export type { CallResult } from "./answer.js";

/** The project's one default endpoint. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const CONTENT_TYPE = "application/json";

/** What `--verbose` shows of one exchange; never a secret. */
export type TraceEvent<A extends string = DtsAction> =
  | {
      readonly type: "request";
      readonly action: A;
      readonly params: Readonly<Record<string, string | number>>;
      readonly headers: Readonly<Record<string, string>>;
    }
  | {
      readonly type: "response";
      readonly action: A;
      readonly params: Readonly<Record<string, string | number>>;
      readonly durationMs: number;
      readonly httpStatus?: number;
      readonly requestId?: string;
      readonly errorCode?: string;
      readonly errorKind?: string;
    };

export interface ClientOptions {
  readonly endpoint: string;
  /** Fixed credentials, or a source asked before each request (temporary ones that renew). */
  readonly credentials: Credentials | CredentialSource;
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

/**
 * A client of any Tencent Cloud API 3.0 service (DTS, STS): same transport, timeouts and answers.
 * `unsigned` sends `Authorization: SKIP` and no token, as the official SDK's `skipSign` does (STS
 * AssumeRoleWithWebIdentity).
 */
export interface ApiClientOptions<A extends string> extends Omit<ClientOptions, "credentials" | "trace"> {
  readonly service: string;
  readonly version: string;
  readonly credentials: Credentials | CredentialSource | "unsigned";
  readonly trace?: (event: TraceEvent<A>) => void;
}

export interface ApiClient<A extends string> {
  call(action: A, params: Readonly<Record<string, unknown>>, options?: CallOptions): Promise<CallResult<DtsAction>>;
  adoptServerClock(serverTimeMs: number): void;
  readonly clockOffsetMs: number;
  close(): Promise<void>;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
}

export interface DtsClient {
  call<A extends DtsAction>(
    action: A,
    params: Readonly<Record<string, string | number>>,
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

interface HeaderInput {
  readonly service: string;
  readonly version: string;
  readonly region: string | undefined;
  readonly language: string | undefined;
  readonly parts: RequestParts;
  readonly action: string;
  readonly payload: string;
  /** Unix seconds. */
  readonly timestamp: number;
}

/** The headers of one request, signed with `credentials` (or `Authorization: SKIP` when unsigned). */
function requestHeaders(input: HeaderInput, credentials: Credentials | undefined): Record<string, string> {
  const { parts } = input;
  const authorization =
    credentials === undefined
      ? "SKIP"
      : signTc3({
          secretId: credentials.secretId,
          secretKey: credentials.secretKey,
          service: input.service,
          host: parts.hostname,
          contentType: CONTENT_TYPE,
          timestampSeconds: input.timestamp,
          payload: input.payload,
          path: parts.path,
          query: parts.query,
        }).authorization;
  const headers: Record<string, string> = {
    "content-type": CONTENT_TYPE,
    host: parts.host,
    "x-tc-action": input.action,
    "x-tc-version": input.version,
    "x-tc-timestamp": String(input.timestamp),
    "x-tc-traceid": randomUUID(),
    authorization,
  };
  if (input.region) headers["x-tc-region"] = input.region;
  if (input.language) headers["x-tc-language"] = input.language;
  if (credentials?.token !== undefined) headers["x-tc-token"] = credentials.token;
  return headers;
}

/** The source's current credentials, or the fatal error that ends the request when none are valid. */
async function credentialsFor(
  source: CredentialSource | undefined,
): Promise<{ ok: true; credentials: Credentials | undefined } | { ok: false; error: ApiError }> {
  if (source === undefined) return { ok: true, credentials: undefined };
  try {
    return { ok: true, credentials: await source.current() };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, error };
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: new ApiError({ kind: "fatal", code: "CredentialsUnavailable", message, maybeApplied: false }),
    };
  }
}

function responseTrace<A extends string>(
  action: A,
  params: Readonly<Record<string, string | number>>,
  durationMs: number,
  result: CallResult<DtsAction>,
): TraceEvent<A> {
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

/** A client for one endpoint of any service. A proxy variable that is not a proxy URL throws a ConfigError. */
export function createApiClient<A extends string>(options: ApiClientOptions<A>): ApiClient<A> {
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
  const source =
    options.credentials === "unsigned"
      ? undefined
      : isCredentialSource(options.credentials)
        ? options.credentials
        : fixedSource(options.credentials);
  let clockOffsetMs = 0;
  const { trace } = options;

  async function call(
    action: A,
    params: Readonly<Record<string, unknown>>,
    callOptions: CallOptions = {},
  ): Promise<CallResult<DtsAction>> {
    const found = await credentialsFor(source);
    if (!found.ok) return { ok: false, error: found.error };
    const payload = JSON.stringify(params);
    const headers = requestHeaders(
      {
        service: options.service,
        version: options.version,
        region: options.region,
        language: options.language,
        parts,
        action,
        payload,
        timestamp: Math.floor((now() + clockOffsetMs) / 1000),
      },
      found.credentials,
    );
    // Only the DTS client traces, and its parameters are ids and page numbers.
    const shownParams = params as Readonly<Record<string, string | number>>;
    trace?.({ type: "request", action, params: shownParams, headers: redactHeaders(headers) });
    const started = now();
    const outcome = await exchange(dispatcher, { ...target, headers, body: payload }, timeoutMs, callOptions.signal);
    const result: CallResult<DtsAction> = outcome.ok
      ? interpretAnswer<DtsAction>(outcome.answer, now())
      : { ok: false, error: interpretFailure(outcome.error, outcome.cause) };
    trace?.(responseTrace(action, shownParams, now() - started, result));
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

/** The DTS client (API 2021-12-06). */
export function createDtsClient(options: ClientOptions): DtsClient {
  const client = createApiClient<DtsAction>({ ...options, service: DTS_SERVICE, version: DTS_VERSION });
  return {
    // Every DTS action answers an ApiAnswer (types.ts): the narrower result type is the same shape.
    call: <A extends DtsAction>(action: A, params: Readonly<Record<string, string>>, callOptions?: CallOptions) =>
      client.call(action, params, callOptions) as Promise<CallResult<A>>,
    adoptServerClock: (serverTimeMs) => client.adoptServerClock(serverTimeMs),
    get clockOffsetMs() {
      return client.clockOffsetMs;
    },
    close: () => client.close(),
  };
}
