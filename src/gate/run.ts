import type { TraceEvent } from "../tencent/client.js";
import { createDtsClient } from "../tencent/client.js";
import type { Credentials } from "../tencent/credentials.js";
import { systemClock } from "./clock.js";
import { type GateEvent, type GateOptions, type GateResult, runGate } from "./gate.js";
import { createRateLimiter, type RequestLimiter } from "./limiter.js";
import { DEFAULT_RETRY_POLICY } from "./retry.js";

/** Everything a real run needs; both adapters (CLI and Action) build one of these. */
export interface RunConfig extends GateOptions {
  readonly endpoint: URL;
  readonly credentials: Credentials;
  readonly region?: string;
  readonly rate: number;
  readonly requestTimeoutMs: number;
  readonly redisUrl?: URL;
}

export interface RunHooks {
  readonly interrupt?: AbortSignal;
  readonly onEvent?: (event: GateEvent) => void;
  readonly onTrace?: (event: TraceEvent) => void;
  /** Tells the user something about the run itself (a fallback, a shared budget). */
  readonly onNotice?: (text: string) => void;
}

async function limiterFor(config: RunConfig, hooks: RunHooks): Promise<RequestLimiter> {
  if (config.redisUrl) {
    // Loaded only here, so that a run without --redis-url never loads a Redis client.
    const { createSharedLimiter } = await import("./shared-limiter.js");
    return createSharedLimiter({
      redisUrl: config.redisUrl,
      rate: config.rate,
      secretId: config.credentials.secretId,
      clock: systemClock,
      ...(hooks.onNotice ? { onNotice: hooks.onNotice } : {}),
    });
  }
  return createRateLimiter({ rate: config.rate, clock: systemClock });
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
    ...(hooks.onTrace ? { trace: hooks.onTrace } : {}),
  });
  const limiter = await limiterFor(config, hooks);
  try {
    return await runGate(config, {
      client,
      limiter,
      clock: systemClock,
      random: Math.random,
      policy: DEFAULT_RETRY_POLICY,
      ...(hooks.interrupt ? { interrupt: hooks.interrupt } : {}),
      ...(hooks.onEvent ? { onEvent: hooks.onEvent } : {}),
    });
  } finally {
    await limiter.stop();
    await client.close();
  }
}
