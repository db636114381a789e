import { randomUUID } from "node:crypto";
import type { Dispatcher } from "undici";
// Only undici's Pool and Client: its index also loads fetch, WebSocket, caches and mocks, which
// the client never uses (about 30 ms of every start of `wait`). undici has no exports map; the
// paths are those of the pinned version, and every test of the client goes through them.
import Client from "undici/lib/dispatcher/client.js";
import Pool from "undici/lib/dispatcher/pool.js";
import type { Credentials } from "./credentials.js";
import { ApiError, kindOfCode, LOCAL_CODES } from "./errors.js";
import { signTc3 } from "./signing.js";
import { type ActionResponses, DTS_SERVICE, DTS_VERSION, type DtsAction } from "./types.js";

export const DEFAULT_ENDPOINT = "https://dts.tencentcloudapi.com";
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** Connections to one endpoint at most. */
const MAX_CONNECTIONS = 32;
const CONTENT_TYPE = "application/json";
/** No DTS answer comes near this; a larger body is a broken peer, not something to buffer. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Network failures that say nothing about whether the server acted: worth sending again. */
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_RES_EXCEEDED_MAX_SIZE",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
  "UND_ERR_CLOSED",
  "HPE_INVALID_CONSTANT",
  "HPE_INVALID_CHUNK_SIZE",
]);
/** The server took longer than the request timeout to answer, or to finish its answer. */
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);
/** Failures before a byte reached the server: a non-idempotent request was surely not applied. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

export type CallResult<A extends DtsAction> =
  | { readonly ok: true; readonly value: ActionResponses[A]; readonly httpStatus: number }
  | { readonly ok: false; readonly error: ApiError };

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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The server's clock from a `Date` header: read only for an error, which may be a clock skew. */
function parseDate(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function errorCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && isObject(current); depth++) {
    if (typeof current.code === "string") return current.code;
    current = current.cause;
  }
  return undefined;
}

/** What an error from an answer carries: the HTTP status, and the server's clock when it sent one. */
function errorFields(httpStatus: number, dateHeader: string | string[] | undefined) {
  const serverTimeMs = parseDate(dateHeader);
  return { httpStatus, ...(serverTimeMs === undefined ? {} : { serverTimeMs }) };
}

/** Turns a parsed body into the action's response or a classified error. */
export function interpretBody<A extends DtsAction>(
  text: string,
  httpStatus: number,
  dateHeader: string | string[] | undefined,
): CallResult<A> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const response = isObject(parsed) && isObject(parsed.Response) ? parsed.Response : undefined;
  if (response && isObject(response.Error) && typeof response.Error.Code === "string") {
    const code = response.Error.Code;
    const kind = kindOfCode(code);
    return {
      ok: false,
      error: new ApiError({
        ...errorFields(httpStatus, dateHeader),
        kind,
        code,
        message: typeof response.Error.Message === "string" ? response.Error.Message : "",
        ...(typeof response.RequestId === "string" ? { requestId: response.RequestId } : {}),
        maybeApplied: kind === "transient",
      }),
    };
  }
  if (httpStatus < 200 || httpStatus > 299) {
    const kind = httpStatus === 429 ? "throttled" : httpStatus >= 500 || httpStatus === 408 ? "transient" : "fatal";
    return {
      ok: false,
      error: new ApiError({
        ...errorFields(httpStatus, dateHeader),
        kind,
        code: LOCAL_CODES.http,
        message: `HTTP ${httpStatus} without an API answer`,
        maybeApplied: kind === "transient",
      }),
    };
  }
  if (!response || typeof response.RequestId !== "string") {
    return {
      ok: false,
      error: new ApiError({
        ...errorFields(httpStatus, dateHeader),
        kind: "transient",
        code: LOCAL_CODES.badBody,
        message: text === "" ? "empty response body" : "response body is not a Tencent Cloud API answer",
        maybeApplied: true,
      }),
    };
  }
  return { ok: true, value: response as unknown as ActionResponses[A], httpStatus };
}

/** Classifies a failure that produced no response at all. */
export function interpretFailure(error: unknown, cancelled: boolean): ApiError {
  if (cancelled) {
    return new ApiError({ kind: "fatal", code: LOCAL_CODES.aborted, message: "request cancelled", maybeApplied: true });
  }
  const code = errorCodeOf(error);
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new ApiError({
      kind: "transient",
      code: LOCAL_CODES.timeout,
      message: "no complete response within the request timeout",
      maybeApplied: true,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && NETWORK_CODES.has(code)) {
    return new ApiError({
      kind: "transient",
      code: LOCAL_CODES.network,
      message: `${code}: ${message}`,
      maybeApplied: !NOT_SENT_CODES.has(code),
    });
  }
  // Anything unrecognised (a missing mock, a bad argument) is a bug to surface, not a blip to retry.
  return new ApiError({
    kind: "fatal",
    code: LOCAL_CODES.network,
    message: `${code ?? "error"}: ${message}`,
    maybeApplied: true,
  });
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

interface Answer {
  readonly statusCode: number;
  readonly date: string | string[] | undefined;
  readonly body: string;
}

/**
 * The exchanges in flight under each signal, with one listener per signal: a run passes the same
 * signal to every request, and adding and removing a listener per request cost more CPU than
 * the rest of what the client does around undici.
 */
const inFlight = new WeakMap<AbortSignal, Set<(reason: Error) => void>>();

function onAbortOf(signal: AbortSignal): Set<(reason: Error) => void> {
  let aborts = inFlight.get(signal);
  if (!aborts) {
    const registered = new Set<(reason: Error) => void>();
    signal.addEventListener(
      "abort",
      () => {
        for (const abort of registered) abort(signal.reason);
      },
      { once: true },
    );
    inFlight.set(signal, registered);
    aborts = registered;
  }
  return aborts;
}

/**
 * One request through undici's dispatcher, the body gathered as it comes: what
 * `dispatcher.request` does, without a body stream and its promises for a one-chunk answer.
 * A signal that aborts cancels the exchange, as with `request`.
 */
function exchange(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, signal?: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let statusCode = 0;
    let date: Answer["date"];
    let abort: ((reason: Error) => void) | undefined;
    const aborts = signal ? onAbortOf(signal) : undefined;
    const forgetSignal = () => {
      if (abort) aborts?.delete(abort);
    };
    dispatcher.dispatch(options, {
      onRequestStart(controller) {
        if (!signal || !aborts) return;
        if (signal.aborted) {
          controller.abort(signal.reason);
          return;
        }
        abort = (reason) => controller.abort(reason);
        aborts.add(abort);
      },
      onResponseStart(_controller, status, headers) {
        statusCode = status;
        date = headers.date;
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        forgetSignal();
        const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        resolve({ statusCode, date, body: body?.toString("utf8") ?? "" });
      },
      onResponseError(_controller, error) {
        forgetSignal();
        reject(error);
      },
    });
  });
}

export function createDtsClient(options: ClientOptions): DtsClient {
  const url = new URL(options.endpoint);
  const now = options.now ?? Date.now;
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const ownsDispatcher = options.dispatcher === undefined;
  const connections = Math.min(MAX_CONNECTIONS, Math.max(1, options.maxInFlight ?? MAX_CONNECTIONS));
  const connectionOptions = {
    connectTimeout: options.connectTimeoutMs ?? Math.min(timeoutMs, 5_000),
    keepAliveTimeout: 30_000,
    maxResponseSize: MAX_BODY_BYTES,
  };
  const dispatcher =
    options.dispatcher ??
    (connections === 1
      ? new Client(url.origin, connectionOptions)
      : new Pool(url.origin, { ...connectionOptions, connections }));
  // The URL's parts, read once: each getter of a URL builds its string anew.
  const { origin, host, hostname, search } = url;
  const path = url.pathname || "/";
  const pathAndQuery = `${path}${search}`;
  const query = search.slice(1);
  let clockOffsetMs = 0;
  const { credentials, trace } = options;

  async function call<A extends DtsAction>(
    action: A,
    params: Readonly<Record<string, string>>,
    callOptions: CallOptions = {},
  ): Promise<CallResult<A>> {
    const payload = JSON.stringify(params);
    const timestamp = Math.floor((now() + clockOffsetMs) / 1000);
    const { authorization } = signTc3({
      secretId: credentials.secretId,
      secretKey: credentials.secretKey,
      service: DTS_SERVICE,
      host: hostname,
      contentType: CONTENT_TYPE,
      timestampSeconds: timestamp,
      payload,
      path,
      query,
    });
    const headers: Record<string, string> = {
      "content-type": CONTENT_TYPE,
      host,
      "x-tc-action": action,
      "x-tc-version": DTS_VERSION,
      "x-tc-timestamp": String(timestamp),
      "x-tc-traceid": randomUUID(),
      authorization,
    };
    if (options.region) headers["x-tc-region"] = options.region;
    if (options.language) headers["x-tc-language"] = options.language;
    const token = credentials.token;
    if (token !== undefined) headers["x-tc-token"] = token;
    trace?.({ type: "request", action, params, headers: redactHeaders(headers) });

    const started = now();
    let result: CallResult<A>;
    try {
      const answer = await exchange(
        dispatcher,
        {
          origin,
          path: pathAndQuery,
          method: "POST",
          headers,
          body: payload,
          // undici's own timers bound the exchange (no answer, or a body that stops, within the
          // timeout): no controller or timer of ours per request.
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        },
        callOptions.signal,
      );
      result = interpretBody<A>(answer.body, answer.statusCode, answer.date);
    } catch (error) {
      result = { ok: false, error: interpretFailure(error, callOptions.signal?.aborted === true) };
    }
    trace?.({
      type: "response",
      action,
      params,
      durationMs: now() - started,
      ...(result.ok
        ? { httpStatus: result.httpStatus, requestId: result.value.RequestId }
        : {
            ...(result.error.httpStatus === undefined ? {} : { httpStatus: result.error.httpStatus }),
            ...(result.error.requestId === undefined ? {} : { requestId: result.error.requestId }),
            errorCode: result.error.code,
            errorKind: result.error.kind,
          }),
    });
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
