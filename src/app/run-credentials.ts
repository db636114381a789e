import { systemClock } from "../core/clock.js";
import { createRateLimiter } from "../pacing/limiter.js";
import { type ResolveOptions, resolveCredentials } from "../tencent/credential-chain.js";
import { type CredentialSource, type Credentials, fixedSource } from "../tencent/credentials.js";

/** What both adapters hand the gate of its credentials, once the chain found them. */
export interface RunCredentials {
  /** Renews temporary credentials before they expire. */
  readonly credentials: CredentialSource;
  /** The first SecretId: who shares a --redis-url budget, stable across renewals. */
  readonly budgetKey: string;
  /** One line naming the source, never a value. */
  readonly credentialSource: string;
  /** Ends STS's request budget (its timers): once the run is over. */
  readonly stop: () => Promise<void>;
}

/** STS has a request budget of its own, 20 a second, apart from DTS's. */
const STS_RATE = 20;

/**
 * The credential chain for a run (environment, web identity, profiles, CVM role, then role chaining),
 * or the fixed pair a caller already has (the demo). Throws ConfigError (exit 2) for a setting that
 * is wrong or when no source yields credentials; an STS refusal is an ApiError (exit 4).
 */
export async function findRunCredentials(
  options: ResolveOptions,
  fixed?: { readonly credentials: Credentials; readonly source: string },
): Promise<RunCredentials> {
  if (fixed) {
    return {
      credentials: fixedSource(fixed.credentials),
      budgetKey: fixed.credentials.secretId,
      credentialSource: fixed.source,
      stop: async () => {},
    };
  }
  const sts = createRateLimiter({ rate: STS_RATE, clock: systemClock });
  try {
    const resolved = await resolveCredentials({
      ...options,
      stsSchedule: (task) => sts.schedule(task, { action: "sts" }),
    });
    return {
      credentials: resolved.provider,
      budgetKey: resolved.credentials.secretId,
      credentialSource: resolved.source,
      stop: () => sts.stop(),
    };
  } catch (error) {
    await sts.stop();
    throw error;
  }
}
