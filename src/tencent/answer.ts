import { CONNECT_FAILED_CODE } from "./connector.js";
import { ApiError, type ApiErrorKind, kindOfCode, LOCAL_CODES } from "./errors.js";
import type { ActionResponses, DtsAction } from "./types.js";

export type CallResult<A extends DtsAction> =
  | { readonly ok: true; readonly value: ActionResponses[A]; readonly httpStatus: number }
  | { readonly ok: false; readonly error: ApiError };

/** What the transport brings back of one complete answer (the first value of each header). */
export interface Answer {
  readonly statusCode: number;
  readonly date: string | undefined;
  readonly retryAfter: string | undefined;
  readonly body: string;
}

/** How a failed exchange ended, as the transport saw it. */
export type FailureCause = "cancelled" | "timedOut" | "error";

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
  CONNECT_FAILED_CODE,
]);
/** undici's own timers, should a dispatcher given by the caller have shorter ones than our bound. */
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);
/** Failures before a byte reached the server: a non-idempotent request was surely not applied. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  CONNECT_FAILED_CODE,
]);
/** Statuses whose `Retry-After` the retry loop honours, and what they are whatever their body says. */
const STATUS_KINDS: ReadonlyMap<number, ApiErrorKind> = new Map([
  [429, "throttled"],
  [503, "transient"],
]);

const HTTP_DATE_START = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /i;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * A `Retry-After` value in ms from now: delta-seconds, or an HTTP date measured against the
 * server's own `Date` when it sent one (so a skewed local clock does not stretch it), else `nowMs`.
 * `undefined` when absent or not one of the two forms.
 */
export function parseRetryAfter(value: string | undefined, serverTimeMs: number | undefined, nowMs: number) {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Any of the three HTTP-date forms opens with the day's name (Date.parse alone takes "-1"), and
  // is GMT: the asctime form says so nowhere, and Date.parse would read it as local time.
  const at = HTTP_DATE_START.test(text) ? parseDate(/GMT$/i.test(text) ? text : `${text} GMT`) : undefined;
  return at === undefined ? undefined : Math.max(0, at - (serverTimeMs ?? nowMs));
}

function errorCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && isObject(current); depth++) {
    if (typeof current.code === "string") return current.code;
    current = current.cause;
  }
  return undefined;
}

/** What every error from an answer carries: its status, the server's clock, its Retry-After. */
function answerFields(answer: Answer, nowMs: number) {
  const serverTimeMs = parseDate(answer.date);
  const retryAfterMs = STATUS_KINDS.has(answer.statusCode)
    ? parseRetryAfter(answer.retryAfter, serverTimeMs, nowMs)
    : undefined;
  return {
    httpStatus: answer.statusCode,
    ...(serverTimeMs === undefined ? {} : { serverTimeMs }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** The error an answer's `Response` carries: its `Error` under any spelling, when not null. */
type CarriedError = { readonly code: string; readonly message: string } | "malformed" | undefined;

/**
 * Any non-null `Error` (under any case of the word) makes the answer an error, whatever its shape;
 * only `{Code: string, Message: string}` under `Error` itself is read for its code. The official
 * SDK tests `Response.Error` for truthiness, which lets `0`, `""` and `false` pass as success.
 */
function carriedError(response: Record<string, unknown>): CarriedError {
  const given = response.Error;
  if (isObject(given) && typeof given.Code === "string" && typeof given.Message === "string") {
    return { code: given.Code, message: given.Message };
  }
  const present = Object.keys(response).some((key) => key.toLowerCase() === "error" && response[key] != null);
  return present ? "malformed" : undefined;
}

/**
 * Whether a request refused with `code` may still have been applied, from the code alone (an
 * HTTP status says nothing about it): a throttled, fatal or clock-skew code is a refusal before
 * any effect; a transient code (InternalError, ResourceUnavailable), an answer without a code or
 * with an unreadable one may have been acted on.
 */
function maybeAppliedBy(code: string | undefined): boolean {
  return code === undefined || kindOfCode(code) === "transient";
}

/** Turns a complete answer into the action's response or a classified error. */
export function interpretAnswer<A extends DtsAction>(answer: Answer, nowMs: number): CallResult<A> {
  const { statusCode: status, body } = answer;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const response = isObject(parsed) && isObject(parsed.Response) ? parsed.Response : undefined;
  const statusKind = STATUS_KINDS.get(status);
  const carried = response ? carriedError(response) : undefined;
  const requestId = response && typeof response.RequestId === "string" ? { requestId: response.RequestId } : {};
  if (carried === "malformed") {
    return failed({
      ...answerFields(answer, nowMs),
      kind: statusKind ?? "transient",
      code: LOCAL_CODES.badBody,
      message: "the answer's Error is not {Code, Message} text",
      ...requestId,
      maybeApplied: maybeAppliedBy(undefined),
    });
  }
  if (carried !== undefined) {
    const codeKind = kindOfCode(carried.code);
    // A refusal named by its code stays one whatever the status; a status only speeds a retry.
    const kind = codeKind === "fatal" ? codeKind : (statusKind ?? codeKind);
    return failed({
      ...answerFields(answer, nowMs),
      kind,
      code: carried.code,
      message: carried.message,
      ...requestId,
      maybeApplied: maybeAppliedBy(carried.code),
    });
  }
  if (status < 200 || status > 299) {
    const kind = statusKind ?? (status >= 500 || status === 408 ? "transient" : "fatal");
    return failed({
      ...answerFields(answer, nowMs),
      kind,
      code: LOCAL_CODES.http,
      message: `HTTP ${status} without an API answer`,
      maybeApplied: maybeAppliedBy(undefined),
    });
  }
  if (!response || typeof response.RequestId !== "string") {
    return failed({
      ...answerFields(answer, nowMs),
      kind: "transient",
      code: LOCAL_CODES.badBody,
      message: body === "" ? "empty response body" : "response body is not a Tencent Cloud API answer",
      maybeApplied: maybeAppliedBy(undefined),
    });
  }
  return { ok: true, value: response as unknown as ActionResponses[A], httpStatus: status };
}

function failed(fields: ConstructorParameters<typeof ApiError>[0]): { ok: false; error: ApiError } {
  return { ok: false, error: new ApiError(fields) };
}

/** Classifies an exchange that produced no complete answer. */
/** The host name a resolver failure names (getaddrinfo errors carry it), through causes. */
function hostOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const { hostname, cause } = current as { hostname?: unknown; cause?: unknown };
    if (typeof hostname === "string") return hostname;
    current = cause;
  }
  return undefined;
}

export function interpretFailure(error: unknown, cause: FailureCause): ApiError {
  if (cause === "cancelled") {
    return new ApiError({ kind: "fatal", code: LOCAL_CODES.aborted, message: "request cancelled", maybeApplied: true });
  }
  const code = errorCodeOf(error);
  if (cause === "timedOut" || (code !== undefined && TIMEOUT_CODES.has(code))) {
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
  if (code === "ENOTFOUND") {
    // The name does not exist (EAI_AGAIN, a resolver that did not answer, is retried above).
    const host = hostOf(error);
    return new ApiError({
      kind: "fatal",
      code: LOCAL_CODES.network,
      message: `cannot resolve the host name ${host ?? "of the endpoint"} (DNS: ENOTFOUND): check --endpoint (or the endpoint input) and the runner's DNS`,
      maybeApplied: false,
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
