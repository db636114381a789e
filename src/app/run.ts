import { type Clock, systemClock } from "../core/clock.js";
import { runGate } from "../core/gate.js";
import type { SendPort } from "../core/send.js";
import type { GateEvent, GateOptions, GateResult } from "../core/types.js";
import { createRateLimiter, type RequestLimiter } from "../pacing/limiter.js";
import { type RetryPolicy, retryPolicyFor, sendWithRetry } from "../pacing/retry.js";
import type { DtsClient, TraceEvent } from "../tencent/client.js";
import { createDtsClient } from "../tencent/client.js";
import type { CredentialSource, Credentials } from "../tencent/credentials.js";

/** Everything a real run needs; both adapters (CLI and Action) build one of these. */
export interface RunConfig extends GateOptions {
  readonly endpoint: URL;
  /** Fixed keys, or a source that renews temporary credentials before they expire. */
  readonly credentials: Credentials | CredentialSource;
  /** Who shares a --redis-url budget: the same SecretId (only its hash is used); stable across renewals. */
  readonly budgetKey: string;
  /** Where the credentials came from, in words: named in auth errors and on stderr. */
  readonly credentialSource?: string;
  readonly region?: string;
  readonly rate: number;
  readonly requestTimeoutMs: number;
  readonly redisUrl?: URL;
  /** Where HTTPS_PROXY, HTTP_PROXY, NO_PROXY (and lowercase) are read from: the adapter's environment. */
  readonly proxyEnv?: Readonly<Record<string, string | undefined>>;
}

export interface RunHooks {
  /** SIGINT/SIGTERM: the gate ends every job as interrupted. */
  readonly interrupt?: AbortSignal;
  /** Aborts at the run's deadline or on a signal: bounds the waits outside the gate (joining Redis). */
  readonly ended?: AbortSignal;
  readonly onEvent?: (event: GateEvent) => void;
  readonly onTrace?: (event: TraceEvent) => void;
  /** Tells the user something about the run itself (a fallback, a shared budget). */
  readonly onNotice?: (text: string) => void;
}

async function limiterFor(config: RunConfig, hooks: RunHooks): Promise<RequestLimiter> {
  if (config.redisUrl) {
    // Loaded only here, so that a run without --redis-url never loads a Redis client.
    const { createSharedLimiter } = await import("../pacing/shared-limiter.js");
    return createSharedLimiter({
      redisUrl: config.redisUrl,
      rate: config.rate,
      secretId: config.budgetKey,
      clock: systemClock,
      ...(hooks.ended ? { signal: hooks.ended } : {}),
      ...(hooks.onNotice ? { onNotice: hooks.onNotice } : {}),
    });
  }
  return createRateLimiter({ rate: config.rate, clock: systemClock });
}

export interface SendPortDeps {
  readonly client: Pick<DtsClient, "call" | "adoptServerClock">;
  readonly limiter: RequestLimiter;
  readonly clock: Clock;
  readonly random: () => number;
  readonly policy: RetryPolicy;
}

/** The core's send port: each request retried by the policy, every attempt through the limiter. */
export function retryingSendPort(deps: SendPortDeps): SendPort {
  const { client } = deps;
  return (request, signal, watch) =>
    sendWithRetry(
      async (attemptSignal) => {
        watch.onAttempt();
        const result = await client.call(
          request.action,
          request.params,
          attemptSignal ? { signal: attemptSignal } : {},
        );
        if (!result.ok) watch.onAttemptFailed(result.error);
        return result;
      },
      {
        limiter: deps.limiter,
        clock: deps.clock,
        random: deps.random,
        policy: deps.policy,
        action: request.action,
        ...(request.priority === undefined ? {} : { priority: request.priority }),
        signal,
        adoptServerClock: (ms) => client.adoptServerClock(ms),
        onRetry: watch.onRetry,
      },
      { idempotent: request.repeatable, ...(request.maxSends === undefined ? {} : { maxSends: request.maxSends }) },
    );
}

/** Runs the gate with the real clock, an undici client and the process-wide limiter; cleans up. */
export async function runWithRealClock(config: RunConfig, hooks: RunHooks): Promise<GateResult> {
  const client = createDtsClient({
    endpoint: config.endpoint.href,
    credentials: config.credentials,
    requestTimeoutMs: config.requestTimeoutMs,
    // A job's requests never overlap.
    maxInFlight: new Set(config.jobIds).size,
    ...(config.region ? { region: config.region } : {}),
    ...(config.proxyEnv ? { proxyEnv: config.proxyEnv } : {}),
    ...(hooks.onTrace ? { trace: hooks.onTrace } : {}),
  });
  const limiter = await limiterFor(config, hooks).catch(async (error: unknown) => {
    await client.close().catch(() => {});
    throw error;
  });
  try {
    const context = {
      ...(config.region ? { region: config.region } : {}),
      ...(config.credentialSource ? { credentialSource: config.credentialSource } : {}),
    };
    return await runGate(
      { ...config, context },
      {
        send: retryingSendPort({
          client,
          limiter,
          clock: systemClock,
          random: Math.random,
          policy: retryPolicyFor(config.timeoutMs),
        }),
        clock: systemClock,
        ...(hooks.interrupt ? { interrupt: hooks.interrupt } : {}),
        ...(hooks.onEvent ? { onEvent: hooks.onEvent } : {}),
      },
    );
  } finally {
    // The verdict is known: a failure to clean up must not lose it.
    await limiter.stop().catch(() => {});
    await client.close().catch(() => {});
  }
}
