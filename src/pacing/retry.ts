import pRetry from "p-retry";
import type { Clock } from "../core/clock.js";
import type { RetryNotice } from "../core/send.js";
import type { CallResult } from "../tencent/client.js";
import { ApiError, LOCAL_CODES } from "../tencent/errors.js";
import type { DtsAction } from "../tencent/types.js";
import type { RequestLimiter } from "./limiter.js";

export type { RetryNotice };

export interface RetryPolicy {
  /** Retries after the first attempt of one request; Infinity: for as long as the run's stop signal allows. */
  readonly retries: number;
  /** Backoff ceiling of the n-th retry is min(capMs, base × 2^(n-1)); the delay is uniform below it. */
  readonly transientBaseMs: number;
  /** Throttling means the account's budget is spent: wait longer than for a blip. */
  readonly throttledBaseMs: number;
  readonly capMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 6,
  transientBaseMs: 250,
  throttledBaseMs: 1_000,
  capMs: 15_000,
};

/**
 * The policy of a run with this timeout: with a deadline, transient failures are retried until
 * it (the backoff stays capped and jittered, and the deadline's signal ends the last pause); with
 * none (one look), a short outage is still ridden out, within the default's attempts.
 */
export function retryPolicyFor(timeoutMs: number): RetryPolicy {
  return timeoutMs > 0 ? { ...DEFAULT_RETRY_POLICY, retries: Number.POSITIVE_INFINITY } : DEFAULT_RETRY_POLICY;
}

export interface RetryDeps {
  readonly limiter: RequestLimiter;
  readonly clock: Clock;
  readonly random: () => number;
  readonly policy: RetryPolicy;
  /** The request's action and priority in the limiter (see Slot). */
  readonly action: string;
  readonly priority?: number;
  readonly signal?: AbortSignal;
  /** Learns the server's clock after `AuthFailure.SignatureExpire`; later requests keep it. */
  readonly adoptServerClock: (serverTimeMs: number) => void;
  readonly onRetry?: (notice: RetryNotice) => void;
}

export type RetriedResult<A extends DtsAction> = CallResult<A> & { readonly attempts: number };

/**
 * Full-jitter exponential backoff (the AWS architecture blog's "full jitter"), and never sooner
 * than a `Retry-After` the server sent (capped at the backoff's maximum).
 */
export function backoffMs(error: ApiError, retryNumber: number, policy: RetryPolicy, random: () => number): number {
  const base = error.kind === "throttled" ? policy.throttledBaseMs : policy.transientBaseMs;
  const ceiling = Math.min(policy.capMs, base * 2 ** (retryNumber - 1));
  const jittered = Math.floor(random() * ceiling);
  return error.retryAfterMs === undefined ? jittered : Math.max(jittered, Math.min(error.retryAfterMs, policy.capMs));
}

class Failed extends Error {
  constructor(readonly apiError: ApiError) {
    super(apiError.message);
  }
}

export interface SendOptions {
  /** For actions that must not run twice: never resend after a failure that may have been applied. */
  readonly idempotent: boolean;
  /** Sends at most, the first included (default: the policy's retries + 1). */
  readonly maxSends?: number;
}

/**
 * Sends one logical request, retrying throttled and transient failures with full-jitter backoff
 * (p-retry counts attempts; the pause is ours so that it is jittered, injected and abortable).
 * Every attempt is a new, freshly signed request through the shared limiter.
 */
export async function sendWithRetry<A extends DtsAction>(
  send: (signal: AbortSignal | undefined) => Promise<CallResult<A>>,
  deps: RetryDeps,
  options: SendOptions = { idempotent: true },
): Promise<RetriedResult<A>> {
  const { policy, clock, signal } = deps;
  const maxAttempts = Math.min(policy.retries, (options.maxSends ?? Number.POSITIVE_INFINITY) - 1) + 1;
  let attempts = 0;
  let clockSkews = 0;
  let pendingDelayMs = 0;

  const shouldRetry = (error: ApiError): boolean => {
    if (signal?.aborted) return false;
    // onFailedAttempt has counted this one already: only the first skew is mended.
    if (error.kind === "clockSkew") return clockSkews <= 1 && error.serverTimeMs !== undefined;
    if (!error.retryable) return false;
    return options.idempotent || !error.maybeApplied;
  };

  const attempt = async (): Promise<CallResult<A>> => {
    if (pendingDelayMs > 0) await clock.sleep(pendingDelayMs, signal);
    attempts++;
    const { action, priority } = deps;
    return deps.limiter.schedule(() => send(signal), {
      action,
      ...(priority === undefined ? {} : { priority }),
      ...(signal ? { signal } : {}),
    });
  };

  try {
    // Most requests succeed at once: the first attempt is made here, and p-retry (whose own work
    // per call was about a tenth of a poll's CPU) takes over only after a failure, which it is
    // handed as its attempt 1.
    const first = await attempt();
    if (first.ok) return { ...first, attempts };
    const value = await pRetry(
      async (attemptNumber) => {
        const result = attemptNumber === 1 ? first : await attempt();
        if (!result.ok) throw new Failed(result.error);
        return result;
      },
      {
        retries: maxAttempts - 1,
        minTimeout: 0,
        maxTimeout: 0,
        ...(signal ? { signal } : {}),
        shouldRetry: ({ error }) => error instanceof Failed && shouldRetry(error.apiError),
        // A mended clock is a repair, not a retry: it does not spend the budget.
        shouldConsumeRetry: ({ error }) => !(error instanceof Failed && error.apiError.kind === "clockSkew"),
        onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
          if (!(error instanceof Failed)) return;
          const apiError = error.apiError;
          if (apiError.kind === "clockSkew") clockSkews++;
          const retrying = shouldRetry(apiError) && retriesLeft > 0;
          if (apiError.kind === "clockSkew" && retrying && apiError.serverTimeMs !== undefined) {
            deps.adoptServerClock(apiError.serverTimeMs);
            pendingDelayMs = 0;
          } else {
            pendingDelayMs = retrying ? backoffMs(apiError, attemptNumber, policy, deps.random) : 0;
          }
          deps.onRetry?.({
            attempt: attemptNumber,
            ...(Number.isFinite(maxAttempts) ? { maxAttempts } : {}),
            error: apiError,
            ...(retrying ? { delayMs: pendingDelayMs } : {}),
          });
        },
      },
    );
    return { ...value, attempts };
  } catch (error) {
    if (error instanceof Failed) return { ok: false, error: error.apiError, attempts };
    if (error instanceof ApiError) return { ok: false, error, attempts };
    if (signal?.aborted) {
      return {
        ok: false,
        error: new ApiError({ kind: "fatal", code: LOCAL_CODES.aborted, message: "cancelled", maybeApplied: true }),
        attempts,
      };
    }
    throw error;
  }
}
