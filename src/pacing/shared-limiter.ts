import Bottleneck from "bottleneck";
import type { Redis as RedisClient } from "ioredis";
import type { Clock } from "../core/clock.js";
import { plural } from "../core/text.js";
import { ConfigError } from "../tencent/errors.js";
import { DEFAULT_PRIORITY, limiterStopped, type RequestLimiter, type Slot } from "./limiter.js";
import {
  CONNECT_TIMEOUT_MS,
  displayRedisUrl,
  guardReplies,
  openRedis,
  reasonOf,
  useRedisClock,
  within,
} from "./redis-connection.js";
import { boundSettings, countParticipants, FIRST_ACTION, sharedBudget, sharedLimiterId } from "./shared-budget.js";
import { closerOf } from "./shared-close.js";
import { createLocalStage } from "./shared-fallback.js";
import { type GrantStamps, stampGrants } from "./shared-grants.js";
import { createWaitingQueue } from "./waiting-queue.js";

/**
 * One request budget per action for every process that polls with the same credentials, through
 * Redis (bottleneck's clustering mode; the bucket is described in shared-budget.ts). Loaded only
 * for `--redis-url`: this module and ioredis are imported dynamically.
 *
 * Nothing found in Redis can make a process faster than its own `--rate` or deaf to its deadline:
 * a request that has its shared token still passes the process's own limiter, the settings found
 * are put back within bounds at start-up and every second, and a wait for a token leaves at once
 * when the request's signal aborts (its token, if it comes, is then left unused).
 */

/** Keys of the shared state expire this long after the last request of any participant. */
const KEY_TTL_MS = 60_000;
/** A participant silent this long (no heartbeat) is counted as gone. */
const CLIENT_TIMEOUT_MS = 5_000;
/** How often the participants are counted, the settings bounded and the subscriber checked. */
const WATCH_INTERVAL_MS = 1_000;

export interface SharedLimiterOptions {
  readonly redisUrl: URL;
  /** The whole budget, for all participants together (`--rate`), and this process's own ceiling. */
  readonly rate: number;
  /** Only its hash is used. */
  readonly secretId: string;
  readonly clock: Clock;
  /** Told once when the budget is shared, once if Redis held settings it reset, once when it falls back. */
  readonly onNotice?: (text: string) => void;
  /** The run's deadline or interrupt: joining stops waiting for Redis at once, rejecting with its reason. */
  readonly signal?: AbortSignal;
}

interface Joined {
  readonly client: RedisClient;
  readonly subscriber: RedisClient;
  readonly connection: Bottleneck.IORedisConnection;
  /** Each action's budget joined so far, the first at start-up, the others at their first request. */
  readonly byAction: Map<string, Bottleneck>;
  /** Joins the budget of `action` (bottleneck waits for Redis before its first token). */
  readonly add: (action: string) => Bottleneck;
  /** The token interval in force at start-up. */
  readonly intervalMs: number;
  /** When each token was asked for: one too old to use is given up for a new one. */
  readonly grants: GrantStamps;
  /** Participants alive at start-up, this one included. */
  readonly participants: number;
  /** Puts the settings of every budget joined back within bounds (shared-budget.ts); says so once. */
  readonly bound: () => Promise<void>;
  /** The last error the client reported. */
  readonly lastError: () => unknown;
}

/** Connects, joins bottleneck's cluster and bounds the settings; ConfigError when any of it fails. */
async function join(options: SharedLimiterOptions, notice: (text: string) => void): Promise<Joined> {
  const shown = displayRedisUrl(options.redisUrl);
  const budget = sharedBudget(options.rate);
  const { Redis, client } = await openRedis(options.redisUrl);
  let lastError: unknown;
  client.on("error", (error: unknown) => {
    lastError = error;
  });
  useRedisClock(client);
  // Our own client rather than `clientOptions`: it is connected and checked before bottleneck
  // sees it (a clear start-up error), and its scripts read Redis's clock.
  const connection = new Bottleneck.IORedisConnection({ Redis, client });
  const byAction = new Map<string, Bottleneck>();
  const add = (action: string) => {
    const shared = new Bottleneck({
      id: sharedLimiterId(options.secretId, action),
      connection,
      maxConcurrent: null,
      minTime: 0,
      reservoir: budget.capacity,
      reservoirIncreaseAmount: 1,
      reservoirIncreaseInterval: budget.intervalMs,
      reservoirIncreaseMaximum: budget.capacity,
      heartbeatInterval: budget.heartbeatMs,
      clientTimeout: CLIENT_TIMEOUT_MS,
      // Every key gets this TTL from each script that changes the budget, and at stop().
      timeout: KEY_TTL_MS,
    } as Bottleneck.ConstructorOptions);
    byAction.set(action, shared);
    return shared;
  };
  const first = add(FIRST_ACTION);

  let repairNoticed = false;
  let intervalMs = budget.intervalMs;
  const boundOne = async (action: string) => {
    const settings = `b_${sharedLimiterId(options.secretId, action)}_settings`;
    const bounded = await boundSettings(client, settings, budget, KEY_TTL_MS);
    // The strictest budget among participants wins: a process with a lower --rate slows all.
    if (bounded.intervalMs > 0 && action === FIRST_ACTION) intervalMs = bounded.intervalMs;
    if (bounded.repaired.length > 0 && !repairNoticed) {
      repairNoticed = true;
      notice(
        `Redis at ${shown} held shared budget settings that dts-gate never writes ` +
          `(${bounded.repaired.join(", ")}): reset them.`,
      );
    }
  };
  const bound = () => Promise.all([...byAction.keys()].map(boundOne)).then(() => {});
  const { signal } = options;
  const onAbort = { handler: () => {} };
  try {
    const ended = new Promise<never>((_, reject) => {
      client.once("end", () => reject(lastError ?? new Error("connection closed")));
      onAbort.handler = () => reject(signal?.reason);
      if (signal?.aborted) onAbort.handler();
      signal?.addEventListener("abort", onAbort.handler, { once: true });
    });
    ended.catch(() => {});
    const joining = async () => {
      const clients = await first.ready();
      const grants = stampGrants(client, options.clock);
      await bound();
      const participants = await countParticipants(client, lastSeenKey(options.secretId), CLIENT_TIMEOUT_MS);
      // ioredis reports some set-up failures only as an 'error' event and carries on: a database
      // that SELECT refuses leaves the connection on database 0.
      if (lastError !== undefined) throw lastError;
      const subscriber = clients.subscriber as RedisClient;
      guardReplies(client);
      guardReplies(subscriber);
      return { subscriber, participants, grants };
    };
    const joined = await within(Promise.race([joining(), ended]), CONNECT_TIMEOUT_MS, "connecting");
    const { subscriber, participants, grants } = joined;
    return {
      client,
      subscriber,
      connection,
      byAction,
      add,
      grants,
      intervalMs,
      participants,
      bound,
      lastError: () => lastError,
    };
  } catch (error) {
    await connection.disconnect(false).catch(() => {});
    await Promise.resolve()
      .then(() => first.disconnect(false))
      .catch(() => {});
    // Stopped by the run (a signal, the deadline): no configuration error, the run says why.
    if (signal?.aborted) throw signal.reason;
    const reason = lastError === undefined ? reasonOf(error) : reasonOf(lastError);
    throw new ConfigError(`cannot use Redis at ${shown} for --redis-url: ${reason}`);
  } finally {
    signal?.removeEventListener("abort", onAbort.handler);
  }
}

/**
 * Loss detection: a socket that closes, any error of bottleneck (its scripts, its heartbeat),
 * and every second a command on each connection, which commandTimeout bounds. Every second the
 * participants are counted and the settings bounded too. Returns the watch's timer.
 */
function watchRedis(joined: Joined, secretId: string, onLoss: (error: unknown) => void, onCount: (n: number) => void) {
  const onClose = () => onLoss(joined.lastError() ?? new Error("connection closed"));
  joined.client.on("close", onClose);
  joined.subscriber.on("close", onClose);
  for (const shared of joined.byAction.values()) shared.on("error", onLoss);
  const watch = setInterval(() => {
    countParticipants(joined.client, lastSeenKey(secretId), CLIENT_TIMEOUT_MS).then(onCount, onLoss);
    joined.bound().catch(onLoss);
    joined.subscriber.ping().catch(onLoss);
  }, WATCH_INTERVAL_MS);
  watch.unref();
  return watch;
}

/** Where bottleneck's heartbeat marks the participants of the budget all join at start-up. */
const lastSeenKey = (secretId: string) => `b_${sharedLimiterId(secretId, FIRST_ACTION)}_client_last_seen`;

/**
 * Joins the shared budget. Throws ConfigError (exit 2, before any request) when Redis cannot be
 * reached or joined: without Redis nobody can know how many others share the account, so there is
 * no safe share to fall back to at start-up. Once joined, losing Redis never fails the run: see
 * shared-fallback.ts.
 */
export async function createSharedLimiter(options: SharedLimiterOptions): Promise<RequestLimiter> {
  const notice = options.onNotice ?? (() => {});
  const joined = await join(options, notice);
  const shown = displayRedisUrl(options.redisUrl);
  const closeShared = closerOf(joined.byAction, joined.connection);

  let stopped = false;
  let peakParticipants = Math.max(1, joined.participants);
  /** Requests waiting for a shared token. */
  const waitingForToken = createWaitingQueue();
  const local = createLocalStage(options.rate, options.clock);

  const fallBack = (error: unknown) => {
    if (local.fallback || stopped) return;
    // Those that had their token but did not start yet go to the fall-back first.
    const fallback = local.fallBack(peakParticipants);
    notice(
      `Lost Redis at ${shown} (${reasonOf(error)}): no longer sharing the request budget; this process keeps to ` +
        `${fallback.share} requests per second (--rate ${options.rate} split among the ${fallback.splitAmong} ` +
        "processes it saw) for the rest of the run.",
    );
    // Then those still waiting for a token, in their order; those started do not depend on Redis
    // and finish as they are.
    while (waitingForToken.startNext()) {}
    clearInterval(watch);
    void closeShared(false);
  };
  const watch = watchRedis(joined, options.secretId, fallBack, (count) => {
    peakParticipants = Math.max(peakParticipants, count);
  });

  /** The budget of `action`, joined at its first request. */
  const sharedOf = (action: string): Bottleneck => {
    const known = joined.byAction.get(action);
    if (known) return known;
    const shared = joined.add(action);
    shared.on("error", fallBack);
    joined.bound().catch(fallBack);
    return shared;
  };

  const others = joined.participants - 1;
  notice(
    `Sharing the request budget through Redis at ${shown} with every process using this SecretId ` +
      `(${others === 0 ? "none other" : plural(others, "other")} now): at most ${options.rate} ` +
      `requests in any second, ${(1000 / joined.intervalMs).toFixed(1)} per second sustained, all of them together.`,
  );

  return {
    schedule<T>(task: () => Promise<T>, slot: Slot): Promise<T> {
      if (stopped) return Promise.reject(limiterStopped());
      if (local.fallback) return local.schedule(task, slot);
      const settingsKey = `b_${sharedLimiterId(options.secretId, slot.action)}_settings`;
      // Each token starts its own task, in bottleneck's priority order (an aborted one's is unused).
      const entry = waitingForToken.enter(() => local.schedule(task, slot), slot.signal);
      const ask = (priority: number) => {
        sharedOf(slot.action)
          .schedule({ priority }, async () => {
            const askedAt = joined.grants.take(settingsKey);
            // A token that reaches this process too late is not used: a new one, asked first.
            if (askedAt !== undefined && joined.grants.stale(askedAt)) ask(0);
            else entry.start();
          })
          // Dropped by bottleneck: Redis failed under it (or we are stopping).
          .catch(fallBack);
      };
      ask(slot.priority ?? DEFAULT_PRIORITY);
      return entry.result;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(watch);
      waitingForToken.rejectAll(limiterStopped());
      const fellBack = local.fallback !== undefined;
      await local.stop();
      await closeShared(!fellBack);
    },
  };
}
