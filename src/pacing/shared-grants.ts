import type { Redis as RedisClient } from "ioredis";
import type { Clock } from "../core/clock.js";

/**
 * The most a granted token may have aged, beyond the quickest round trip to Redis seen, when its
 * request finally starts. Tokens are spaced on Redis's clock for requests that leave at once; a
 * process starved of CPU sends them late, next to another process's fresh ones. Half the
 * budget's arrival margin (shared-budget.ts), which also covers the network's jitter.
 */
export const STALE_GRANT_MS = 50;

export interface GrantStamps {
  /** When the next token granted for this settings key was asked for, on the clock; oldest first. */
  take(settingsKey: string): number | undefined;
  /** Whether a token asked for at `askedAt` is too old to start a request with now. */
  stale(askedAt: number): boolean;
}

/**
 * Stamps each token of the shared budgets with when it was asked for. A grant happens in Redis
 * between the ask and the answer, so `now - askedAt` bounds its age from above; less the quickest
 * round trip seen, what is left is time this process spent before it could use the token.
 * bottleneck's `register` script grants one token per call and, with `minTime` 0, runs each
 * granted job in the order granted, so the stamps of one budget are taken in that order too.
 * Call after bottleneck's scripts are defined on `client` (the wrapped command is the client's).
 */
export function stampGrants(client: RedisClient, clock: Clock): GrantStamps {
  const commands = client as unknown as Record<string, (...args: unknown[]) => unknown>;
  const register = commands.register;
  if (typeof register !== "function") throw new Error("bottleneck's register script is not defined on the client");
  const asked = new Map<string, number[]>();
  let quickestMs = Number.POSITIVE_INFINITY;
  commands.register = (...args: unknown[]) => {
    const askedAt = clock.now();
    // bottleneck calls it as (number of keys, settings key, …, callback).
    const key = String(args[1]);
    const done = args.at(-1);
    if (typeof done === "function") {
      args[args.length - 1] = (error: unknown, replies: unknown) => {
        quickestMs = Math.min(quickestMs, clock.now() - askedAt);
        if (error == null && Array.isArray(replies) && Number(replies[0]) === 1) {
          asked.set(key, [...(asked.get(key) ?? []), askedAt]);
        }
        done(error, replies);
      };
    }
    return register.apply(client, args);
  };
  return {
    take: (settingsKey) => asked.get(settingsKey)?.shift(),
    stale: (askedAt) => clock.now() - askedAt - (Number.isFinite(quickestMs) ? quickestMs : 0) > STALE_GRANT_MS,
  };
}
