/**
 * What the caller may do about a failed request:
 * - `throttled`: the server shed load (RequestLimitExceeded); retry after a longer pause.
 * - `transient`: the request may succeed if sent again (5xx, resets, timeouts, garbled bodies).
 * - `clockSkew`: the signature's timestamp is outside the server's window; sign with its clock.
 * - `fatal`: retrying cannot help (auth, parameters, missing resources, refused operations).
 */
export type ApiErrorKind = "throttled" | "transient" | "clockSkew" | "fatal";

export interface ApiErrorFields {
  readonly kind: ApiErrorKind;
  readonly code: string;
  readonly message: string;
  readonly requestId?: string;
  readonly httpStatus?: number;
  /** Server time (ms since epoch) from the `Date` header, when the response had one. */
  readonly serverTimeMs?: number;
  /** From a `Retry-After` header (HTTP 429 or 503): no retry may come sooner than this. */
  readonly retryAfterMs?: number;
  /**
   * Whether the request may have reached the server and been applied (a timeout or reset after
   * sending). Matters for actions that are not idempotent, such as StartMigrateJob.
   */
  readonly maybeApplied: boolean;
}

export class ApiError extends Error implements ApiErrorFields {
  readonly kind: ApiErrorKind;
  readonly code: string;
  readonly requestId?: string;
  readonly httpStatus?: number;
  readonly serverTimeMs?: number;
  readonly retryAfterMs?: number;
  readonly maybeApplied: boolean;

  constructor(fields: ApiErrorFields) {
    super(fields.message);
    this.name = "ApiError";
    this.kind = fields.kind;
    this.code = fields.code;
    this.maybeApplied = fields.maybeApplied;
    if (fields.requestId !== undefined) this.requestId = fields.requestId;
    if (fields.httpStatus !== undefined) this.httpStatus = fields.httpStatus;
    if (fields.serverTimeMs !== undefined) this.serverTimeMs = fields.serverTimeMs;
    if (fields.retryAfterMs !== undefined) this.retryAfterMs = fields.retryAfterMs;
  }

  get retryable(): boolean {
    return this.kind === "throttled" || this.kind === "transient";
  }
}

const THROTTLED_PREFIXES = ["RequestLimitExceeded"];
const TRANSIENT_PREFIXES = ["InternalError", "ResourceUnavailable"];

/** Classifies a Tencent Cloud error code by its prefix, so sub-codes need no list of their own. */
export function kindOfCode(code: string): ApiErrorKind {
  if (code === "AuthFailure.SignatureExpire") return "clockSkew";
  const head = code.split(".")[0] ?? code;
  if (THROTTLED_PREFIXES.includes(head)) return "throttled";
  if (TRANSIENT_PREFIXES.includes(head)) return "transient";
  return "fatal";
}

/** Codes the client itself gives to failures that never produced an API error envelope. */
export const LOCAL_CODES = {
  http: "HttpError",
  network: "NetworkError",
  timeout: "RequestTimeout",
  badBody: "InvalidResponse",
  aborted: "Aborted",
} as const;

/** A configuration problem the user must fix; no request has been sent. Exit code 2. */
export class ConfigError extends Error {
  readonly kind = "config" as const;
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}
