import { createApiClient } from "./client.js";
import { Credentials, type Env, present } from "./credentials.js";
import { DEFAULT_STS_ENDPOINT, serviceEndpoint } from "./endpoints.js";
import { ApiError, ConfigError, LOCAL_CODES } from "./errors.js";
import type { ProxyEnv } from "./proxy.js";
import { RENEWAL_MARGIN_MS } from "./renewal.js";
import type { ApiAnswer } from "./types.js";

export const STS_VERSION = "2018-08-13";
export const STS_SERVICE = "sts";
/** The official SDK's region for STS when the caller names none. */
export const STS_DEFAULT_REGION = "ap-guangzhou";
export type StsAction = "AssumeRole" | "AssumeRoleWithWebIdentity";

/** Sends of one STS call at most, and the pause before the n-th retry (STS is called rarely). */
const STS_ATTEMPTS = 3;
const STS_RETRY_BASE_MS = 1_000;
const STS_RETRY_CAP_MS = 5_000;
/** One STS call, its retries included, never takes longer than this, whatever STS does. */
export const STS_CALL_TIMEOUT_MS = 30_000;

/** `qcs::cam::uin/<uin>:roleName/<name>`, or the documented role-id form `…:role/<id>`. */
export const ROLE_ARN_PATTERN = /^qcs::cam::uin\/\d+:(roleName\/[\w+=,.@-]{1,128}|role\/\d+)$/;
const SESSION_NAME_CHARACTERS = /[^A-Za-z0-9_+=,.@-]/g;

export interface StsOptions {
  /** Default `TENCENTCLOUD_STS_ENDPOINT`, else https://sts.tencentcloudapi.com. */
  readonly endpoint: URL;
  readonly region?: string;
  readonly proxyEnv?: ProxyEnv;
  readonly ca?: string;
  readonly requestTimeoutMs?: number;
  /** Bound of one call, its retries included; default STS_CALL_TIMEOUT_MS. */
  readonly callTimeoutMs?: number;
  /** The run's scope (its deadline, SIGINT/SIGTERM): ends a call at any stage. */
  readonly signal?: AbortSignal;
  /** Wall clock, ms since the epoch. */
  readonly now?: () => number;
  /** Pause between retries, ended early by `signal`; injected by tests. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** For tests (undici MockAgent). */
  readonly dispatcher?: import("undici").Dispatcher;
  /** STS's own request budget (20 a second, apart from DTS's): every send passes through it. */
  readonly schedule?: StsSchedule;
}

/** Runs one STS request when the budget allows (a RequestLimiter's schedule, from the adapter). */
export type StsSchedule = <T>(task: () => Promise<T>) => Promise<T>;

export interface RoleRequest {
  readonly roleArn: string;
  readonly sessionName: string;
  /** Seconds the temporary credentials last; STS's default (7200) when absent. */
  readonly durationSeconds?: number;
}

export interface WebIdentityRequest extends RoleRequest {
  readonly providerId: string;
  readonly webIdentityToken: string;
}

/** The STS endpoint of the environment, checked (https://, or http:// on loopback). */
export function stsEndpoint(env: Env): URL {
  return serviceEndpoint(present(env.TENCENTCLOUD_STS_ENDPOINT) ?? DEFAULT_STS_ENDPOINT, "TENCENTCLOUD_STS_ENDPOINT", {
    example: DEFAULT_STS_ENDPOINT,
  });
}

/** A ConfigError unless `arn` has the form CAM gives a role's ARN. */
export function checkRoleArn(arn: string, where: string): string {
  if (!ROLE_ARN_PATTERN.test(arn)) {
    throw new ConfigError(
      `${where} ${JSON.stringify(arn.slice(0, 200))} is not a role ARN: expected qcs::cam::uin/<account id>:roleName/<role name> (the CAM console shows it on the role's page)`,
    );
  }
  return arn;
}

/** A RoleSessionName STS accepts: characters outside `[A-Za-z0-9_+=,.@-]` become `-`, at most 64. */
export function toSessionName(text: string): string {
  return text.replace(SESSION_NAME_CHARACTERS, "-").slice(0, 64);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The one validating step for an STS answer: `{Credentials:{TmpSecretId,TmpSecretKey,Token}, ExpiredTime}`. */
export function readStsCredentials(answer: ApiAnswer): Credentials {
  const given = answer.Credentials;
  const expiredTime = answer.ExpiredTime;
  if (
    isObject(given) &&
    typeof given.TmpSecretId === "string" &&
    given.TmpSecretId !== "" &&
    typeof given.TmpSecretKey === "string" &&
    given.TmpSecretKey !== "" &&
    typeof given.Token === "string" &&
    typeof expiredTime === "number" &&
    Number.isFinite(expiredTime)
  ) {
    return new Credentials(given.TmpSecretId, given.TmpSecretKey, given.Token, expiredTime * 1000);
  }
  throw new ApiError({
    kind: "transient",
    code: LOCAL_CODES.badBody,
    message: "the STS answer has no Credentials {TmpSecretId, TmpSecretKey, Token} and ExpiredTime",
    requestId: answer.RequestId,
    maybeApplied: true,
  });
}

/**
 * The credentials STS handed out, unless they are already expired or expire within the renewal
 * margin: used, they would be renewed before every request. Then a fatal error saying so.
 */
function checkFresh(action: StsAction, credentials: Credentials, nowMs: number): Credentials {
  const expiresAt = credentials.expiresAtMs ?? Number.POSITIVE_INFINITY;
  if (expiresAt - nowMs > RENEWAL_MARGIN_MS) return credentials;
  const left = Math.round((expiresAt - nowMs) / 1000);
  throw new ApiError({
    kind: "fatal",
    code: "CredentialsExpired",
    message: `STS ${action} handed out credentials that ${left <= 0 ? `expired ${-left} s ago` : `expire in ${left} s`} (at ${new Date(expiresAt).toISOString()}), within the ${RENEWAL_MARGIN_MS / 1000} s renewal margin: check this machine's clock (NTP) and the role's session duration`,
    maybeApplied: false,
  });
}

function credentialsOrError(answer: ApiAnswer): Credentials | ApiError {
  try {
    return readStsCredentials(answer);
  } catch (invalid) {
    return invalid as ApiError;
  }
}

/** What to fix, by the STS error met. */
function explain(action: StsAction, roleArn: string, error: ApiError): string {
  const said = `${error.code}${error.message ? `: ${error.message}` : ""}`;
  if (error.code.startsWith("InvalidParameter.WebIdentityTokenError")) {
    return `STS refused the web identity token (${said}): check that the OIDC provider (ProviderId) trusts the token's issuer and audience, that the token has not expired, and that the role ${roleArn} trusts that provider`;
  }
  if (error.kind === "clockSkew") {
    return `STS ${action} refused the request's time (${said}): set this machine's clock right (NTP)`;
  }
  if (error.retryable) {
    return `STS ${action} kept failing (${said}) after ${STS_ATTEMPTS} attempts: STS is throttled or unavailable, try again later`;
  }
  if (error.code.startsWith("AuthFailure") || error.code.startsWith("UnauthorizedOperation")) {
    return `STS ${action} for ${roleArn} was refused (${said}): check the credentials it was signed with, and that their CAM policy allows sts:AssumeRole on this role`;
  }
  return `STS ${action} for ${roleArn} failed (${said}): check the role ARN and that its trust policy allows the caller`;
}

/** A timer's pause, cut short when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Why a call was cut short: the run's scope, or the call's own bound. */
function stopped(options: StsOptions, action: StsAction, boundMs: number, last: ApiError | undefined): ApiError {
  const byRun = options.signal?.aborted === true;
  return new ApiError({
    kind: "fatal",
    code: byRun ? LOCAL_CODES.aborted : LOCAL_CODES.timeout,
    message: byRun
      ? `STS ${action} was stopped by the run (its deadline or a signal) before it answered`
      : `STS ${action} gave no credentials within ${boundMs} ms${last ? ` (last: ${last.code}: ${last.message})` : ""}: STS is unreachable or not answering, check the network, proxy and TENCENTCLOUD_STS_ENDPOINT`,
    maybeApplied: true,
  });
}

async function callSts(
  options: StsOptions,
  signing: Credentials | "unsigned",
  action: StsAction,
  params: Record<string, unknown>,
  roleArn: string,
): Promise<Credentials> {
  const boundMs = options.callTimeoutMs ?? STS_CALL_TIMEOUT_MS;
  const scope = AbortSignal.any([AbortSignal.timeout(boundMs), ...(options.signal ? [options.signal] : [])]);
  const client = createApiClient<StsAction>({
    endpoint: options.endpoint.href,
    service: STS_SERVICE,
    version: STS_VERSION,
    credentials: signing,
    region: options.region ?? STS_DEFAULT_REGION,
    maxInFlight: 1,
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    ...(options.now ? { now: options.now } : {}),
    ...(options.proxyEnv ? { proxyEnv: options.proxyEnv } : {}),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });
  const sleep = options.sleep ?? pause;
  let last: ApiError | undefined;
  try {
    for (let attempt = 1; ; attempt++) {
      if (scope.aborted) throw stopped(options, action, boundMs, last);
      const send = () => client.call(action, params, { signal: scope });
      const result = await (options.schedule ? options.schedule(send) : send());
      if (scope.aborted) throw stopped(options, action, boundMs, last);
      const read = result.ok ? credentialsOrError(result.value) : result.error;
      // Expiring credentials are not worth a retry: STS would hand out the same.
      if (read instanceof Credentials) return checkFresh(action, read, (options.now ?? Date.now)());
      const error = read;
      last = error;
      const skewed = error.kind === "clockSkew" && error.serverTimeMs !== undefined;
      if ((!error.retryable && !skewed) || attempt >= STS_ATTEMPTS) {
        throw new ApiError({ ...error, kind: "fatal", message: explain(action, roleArn, error) });
      }
      if (skewed && error.serverTimeMs !== undefined) {
        // As for DTS: sign again at once with the server's clock, from its Date header.
        client.adoptServerClock(error.serverTimeMs);
        continue;
      }
      const backoff = STS_RETRY_BASE_MS * 2 ** (attempt - 1);
      await sleep(Math.min(STS_RETRY_CAP_MS, Math.max(backoff, error.retryAfterMs ?? 0)), scope);
    }
  } finally {
    await client.close().catch(() => {});
  }
}

function roleParams(request: RoleRequest): Record<string, unknown> {
  return {
    RoleArn: request.roleArn,
    RoleSessionName: request.sessionName,
    ...(request.durationSeconds === undefined ? {} : { DurationSeconds: request.durationSeconds }),
  };
}

/** STS AssumeRole, signed (TC3, service `sts`) with `credentials`: the role's temporary credentials. */
export function assumeRole(options: StsOptions, credentials: Credentials, request: RoleRequest): Promise<Credentials> {
  return callSts(options, credentials, "AssumeRole", roleParams(request), request.roleArn);
}

/** STS AssumeRoleWithWebIdentity, unsigned (`Authorization: SKIP`): an OIDC token exchanged for a role's. */
export function assumeRoleWithWebIdentity(options: StsOptions, request: WebIdentityRequest): Promise<Credentials> {
  const params = {
    ProviderId: request.providerId,
    WebIdentityToken: request.webIdentityToken,
    ...roleParams(request),
  };
  return callSts(options, "unsigned", "AssumeRoleWithWebIdentity", params, request.roleArn);
}
