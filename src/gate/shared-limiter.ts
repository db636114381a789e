import { createHash } from "node:crypto";
import { isIP } from "node:net";
import Bottleneck from "bottleneck";
import type { Redis as RedisClient, RedisOptions } from "ioredis";
import { ConfigError } from "../tencent/errors.js";
import { createRateLimiter, type RequestLimiter } from "./limiter.js";
import { plural } from "./text.js";

/**
 * One request budget for every process that polls with the same credentials, through Redis
 * (bottleneck's clustering mode). Loaded only for `--redis-url`: this module and ioredis are
 * imported dynamically, so a run without the option never loads a Redis client.
 *
 * The budget is a token bucket kept in Redis: capacity 1, one token every `intervalMs`, added by
 * bottleneck's Lua scripts from the clock whenever any participant calls them
 * (`reservoirIncreaseInterval/Amount/Maximum`). Nothing is handed back by a participant's own
 * timer, so a participant that dies holding tokens leaks nothing. Each request takes one token
 * at the moment it starts. A bucket of capacity C fed one token every T ms lets at most
 * C + floor(W / T) requests start in any W ms; with C = 1, W = 1000 + ARRIVAL_MARGIN_MS and
 * T = floor(W / rate) + 1 that is at most `rate` starts in any 1,100 ms, so that requests may
 * arrive up to 100 ms closer together than they started (network paths of different runners,
 * event-loop stalls, clock differences) and no second at the server still holds more than
 * `rate`. For --rate 20: T = 56 ms, 17.8 requests per second sustained.
 *
 * bottleneck's scripts take "now" from each participant's Date.now(); here they read Redis's own
 * TIME instead (see `useRedisClock`), so that runners whose clocks disagree cannot bunch starts.
 */

const WINDOW_MS = 1000;
/** Requests may arrive this much closer together than they started; see above. */
export const ARRIVAL_MARGIN_MS = 100;
/** Keys of the shared state expire this long after the last request of any participant. */
export const KEY_TTL_MS = 60_000;
/** A participant silent this long (no heartbeat) is counted as gone. */
const CLIENT_TIMEOUT_MS = 5_000;
/** Start-up: how long connecting and joining may take before it is a configuration error. */
const CONNECT_TIMEOUT_MS = 5_000;
/** Any Redis command not answered within this is taken as Redis lost. */
const COMMAND_TIMEOUT_MS = 2_000;
/** How often the participants are counted and the subscriber connection is checked. */
const WATCH_INTERVAL_MS = 1_000;
/** How long a clean shutdown may wait for Redis before it cuts the sockets. */
const CLOSE_TIMEOUT_MS = 1_000;
/** The DTS action whose per-account limit the budget stands for (every action of the run shares it). */
const BUDGET_ACTION = "DescribeMigrationCheckJob";

export interface SharedBudget {
  /** Bucket capacity C. */
  readonly capacity: number;
  /** One token every T ms. */
  readonly intervalMs: number;
  /** How often each participant ticks the bucket (and hears of new tokens). */
  readonly heartbeatMs: number;
}

/** C and T for a `--rate`: C + floor((1000 + margin) / T) ≤ rate. */
export function sharedBudget(rate: number): SharedBudget {
  const whole = Math.max(1, Math.floor(rate));
  const intervalMs = Math.floor((WINDOW_MS + ARRIVAL_MARGIN_MS) / whole) + 1;
  // Ticks more often than tokens come, so that a token is taken before the next one would be
  // capped away; never faster than every 10 ms.
  const heartbeatMs = Math.min(250, Math.max(10, Math.floor(intervalMs / 2)));
  return { capacity: 1, intervalMs, heartbeatMs };
}

/**
 * The limiter's id: the action and a hash of the SecretId (never the key), so that every process
 * using the same credentials shares one budget and nobody reading Redis learns the SecretId. The
 * hash is a Redis Cluster hash tag, so that all keys of one limiter live in one slot.
 */
export function sharedLimiterId(secretId: string): string {
  const hash = createHash("sha256").update(`dts-gate\0${secretId}`).digest("hex").slice(0, 16);
  return `dts-gate:v1:${BUDGET_ACTION}:{${hash}}`;
}

/** The URL as it may be shown: no user name, no password. */
export function displayRedisUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname === "/" ? "" : url.pathname}`;
}

export interface SharedLimiterOptions {
  readonly redisUrl: URL;
  /** The whole budget, for all participants together (`--rate`). */
  readonly rate: number;
  /** Only its hash is used. */
  readonly secretId: string;
  /** Told once when the budget is shared and once when it falls back. */
  readonly onNotice?: (text: string) => void;
}

function redisOptions(url: URL): RedisOptions {
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) {
    throw new ConfigError(`--redis-url ${displayRedisUrl(url)}: the path must be a database number, as /0`);
  }
  return {
    host: host || "127.0.0.1",
    port: url.port ? Number(url.port) : 6379,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    db,
    ...(url.protocol === "rediss:" ? { tls: isIP(host) ? {} : { servername: host } } : {}),
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // Never reconnect: a lost connection means falling back for the rest of the run, so a
    // command can only wait for an answer, never for a reconnection.
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    // ioredis waits this long for a socket to close after disconnect(), even one that never
    // opened: with the default 2 s a failed start or a fallback would keep the process 2 s longer.
    disconnectTimeout: 200,
    enableReadyCheck: true,
    lazyConnect: false,
  };
}

const NOW_FROM_CLIENT = "local now = tonumber(ARGV[1])";
const NOW_FROM_REDIS = [
  "if redis.replicate_commands then redis.replicate_commands() end",
  "local now = (function () local t = redis.call('time') return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) end)()",
].join("\n");

/**
 * Makes bottleneck's scripts read Redis's clock: each script starts with
 * `local now = tonumber(ARGV[1])`, ARGV[1] being the calling process's Date.now(). With runners
 * whose clocks disagree by d, tokens would come up to d early and a start could be delayed by d
 * (bottleneck's `nextRequest`), bunching requests at the server. bottleneck is pinned; a version
 * whose scripts differ fails here at start-up instead of limiting wrongly.
 */
function useRedisClock(client: RedisClient): void {
  const define = client.defineCommand.bind(client);
  client.defineCommand = (name, definition) => {
    const parts = definition.lua.split(NOW_FROM_CLIENT);
    if (parts.length !== 2) throw new Error(`bottleneck's script ${name} has no single "${NOW_FROM_CLIENT}"`);
    define(name, { ...definition, lua: parts.join(NOW_FROM_REDIS) });
  };
}

const COUNT_PARTICIPANTS = `
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('zcount', KEYS[1], now - tonumber(ARGV[1]), '+inf')`;

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

type Route = "shared" | "local";

interface Entry {
  route: Route;
  state: "waiting" | "started" | "dropped";
  start(): void;
  drop(error: Error): void;
}

/**
 * Joins the shared budget. Throws ConfigError (exit 2, before any request) when Redis cannot be
 * reached or joined: without Redis nobody can know how many others share the account, so there is
 * no safe share to fall back to at start-up. Once joined, losing Redis never fails the run: see
 * `fallBack`.
 */
export async function createSharedLimiter(options: SharedLimiterOptions): Promise<RequestLimiter> {
  const shown = displayRedisUrl(options.redisUrl);
  const notice = options.onNotice ?? (() => {});
  const budget = sharedBudget(options.rate);
  const id = sharedLimiterId(options.secretId);
  const settingsKey = `b_${id}_settings`;
  const lastSeenKey = `b_${id}_client_last_seen`;

  // A split bundle exposes a CommonJS module as `default` only; Node's own loader also by name.
  const ioredis = (await import("ioredis")) as unknown as {
    Redis?: typeof RedisClient;
    default: { Redis: typeof RedisClient };
  };
  const Redis = ioredis.Redis ?? ioredis.default.Redis;
  const client = new Redis(redisOptions(options.redisUrl));
  let lastError: unknown;
  client.on("error", (error: unknown) => {
    lastError = error;
  });
  useRedisClock(client);
  // Our own client rather than `clientOptions`: it is connected and checked before bottleneck
  // sees it (a clear start-up error), and its scripts read Redis's clock.
  const connection = new Bottleneck.IORedisConnection({ Redis, client });
  const shared = new Bottleneck({
    id,
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

  let subscriber: RedisClient;
  let intervalMs = budget.intervalMs;
  let participants = 1;
  try {
    const ended = new Promise<never>((_, reject) => {
      client.once("end", () => reject(lastError ?? new Error("connection closed")));
    });
    ended.catch(() => {});
    const join = async () => {
      const clients = await shared.ready();
      // The strictest budget among participants wins: a process with a lower --rate slows all.
      const raw = await client.hget(settingsKey, "reservoirIncreaseInterval");
      const current = raw === null ? Number.NaN : Number(raw);
      if (current > intervalMs) intervalMs = current;
      else if (!(current === intervalMs)) await shared.updateSettings({ reservoirIncreaseInterval: intervalMs });
      participants = Number(await client.eval(COUNT_PARTICIPANTS, 1, lastSeenKey, CLIENT_TIMEOUT_MS));
      // ioredis reports some set-up failures only as an 'error' event and carries on: a database
      // that SELECT refuses leaves the connection on database 0.
      if (lastError !== undefined) throw lastError;
      return clients.subscriber as RedisClient;
    };
    subscriber = await within(Promise.race([join(), ended]), CONNECT_TIMEOUT_MS, "connecting");
  } catch (error) {
    await connection.disconnect(false).catch(() => {});
    await Promise.resolve()
      .then(() => shared.disconnect(false))
      .catch(() => {});
    const reason = lastError === undefined ? reasonOf(error) : reasonOf(lastError);
    throw new ConfigError(`cannot use Redis at ${shown} for --redis-url: ${reason}`);
  }

  let mode: Route = "shared";
  let stopped = false;
  let peakParticipants = Math.max(1, participants);
  const pending = new Set<Entry>();
  let local: RequestLimiter | undefined;
  let holdoff: NodeJS.Timeout | undefined;
  let endHoldoff = () => {};
  const localReady = new Promise<void>((resolve) => {
    endHoldoff = resolve;
  });

  const submitShared = (entry: Entry) => {
    shared
      .schedule(async () => {
        if (entry.route === "shared" && entry.state === "waiting") entry.start();
      })
      // Dropped by bottleneck: Redis failed under it (or we are stopping).
      .catch((error: unknown) => {
        if (entry.route === "shared" && entry.state === "waiting") fallBack(error);
      });
  };

  const submitLocal = (entry: Entry) => {
    void localReady.then(() => {
      if (entry.state !== "waiting" || !local) return;
      local
        .schedule(async () => {
          if (entry.state === "waiting") entry.start();
        })
        .catch((error: unknown) => entry.drop(error instanceof Error ? error : new Error(String(error))));
    });
  };

  /**
   * Redis is gone (a connection closed, a command unanswered, a script failed): from now on each
   * process is on its own and cannot ask how many others still run. Each keeps to
   * floor(rate / N), N the most participants it saw alive during the run (counted every second),
   * at least 2. Participants count each other once both have joined, so the survivors' N agree and
   * their shares add up to at most the rate; only one that joined in the very last second before
   * the loss can be missing from an older one's N (a share too many, and the API's
   * RequestLimitExceeded is retried with backoff anyway). The floor of 2 covers the likeliest case
   * of that: a process alone until another joined just before the loss. No local start comes
   * before one window (plus the margin) after the loss was noticed, so that no second holds shared
   * starts and local ones together. Tasks still queued in the shared limiter move to the local one
   * in their order; tasks already started do not depend on Redis and finish as they are.
   */
  const fallBack = (error: unknown) => {
    if (mode !== "shared" || stopped) return;
    mode = "local";
    const share = Math.max(1, Math.floor(options.rate / Math.max(2, peakParticipants)));
    // The local window gets the same arrival margin as the shared bucket: the shares of several
    // processes only add up to the rate if none of them bunches.
    local = createRateLimiter({ rate: share, marginMs: ARRIVAL_MARGIN_MS });
    holdoff = setTimeout(endHoldoff, WINDOW_MS + ARRIVAL_MARGIN_MS);
    notice(
      `Lost Redis at ${shown} (${reasonOf(error)}): no longer sharing the request budget; this process keeps to ` +
        `${share} requests per second (--rate ${options.rate} split among the ${Math.max(2, peakParticipants)} ` +
        "processes it saw) for the rest of the run.",
    );
    for (const entry of pending) {
      if (entry.route === "shared" && entry.state === "waiting") {
        entry.route = "local";
        submitLocal(entry);
      }
    }
    void closeShared(false);
  };

  let watch: NodeJS.Timeout | undefined;
  let closing: Promise<void> | undefined;
  /** Leaves the shared limiter; `graceful`: sets every key's TTL and says goodbye to Redis. */
  const closeShared = (graceful: boolean): Promise<void> => {
    closing ??= (async () => {
      clearInterval(watch);
      if (graceful) {
        // increment_reservoir(0) sets the TTL of every key of the limiter, whichever exists.
        await within(shared.incrementReservoir(0), CLOSE_TIMEOUT_MS, "closing").catch(() => {});
      }
      void shared.stop({ dropWaitingJobs: true }).catch(() => {});
      // The connection first: once it is terminated, bottleneck no longer unsubscribes on a dead socket.
      if (graceful) {
        await within(connection.disconnect(true), CLOSE_TIMEOUT_MS, "closing").catch(() =>
          connection.disconnect(false),
        );
      } else {
        await connection.disconnect(false);
      }
      // Only forgets the limiter (the connection is ours), and returns nothing.
      await Promise.resolve()
        .then(() => shared.disconnect(false))
        .catch(() => {});
      // bottleneck's 1 s timers for a capacity offer to another participant are never cleared.
      const offers = (shared as unknown as { _store?: { capacityPriorityCounters?: Record<string, NodeJS.Timeout> } })
        ._store?.capacityPriorityCounters;
      for (const timer of Object.values(offers ?? {})) clearTimeout(timer);
    })().catch(() => {});
    return closing;
  };

  // Loss detection: a socket that closes, any error of bottleneck (its scripts, its heartbeat),
  // and every second a command on each connection, which commandTimeout bounds.
  const onClose = () => fallBack(lastError ?? new Error("connection closed"));
  client.on("close", onClose);
  subscriber.on("close", onClose);
  shared.on("error", (error: unknown) => fallBack(error));
  watch = setInterval(() => {
    client
      .eval(COUNT_PARTICIPANTS, 1, lastSeenKey, CLIENT_TIMEOUT_MS)
      .then((count) => {
        peakParticipants = Math.max(peakParticipants, Number(count));
      })
      .catch((error: unknown) => fallBack(error));
    subscriber.ping().catch((error: unknown) => fallBack(error));
  }, WATCH_INTERVAL_MS);
  watch.unref();

  const perSecond = (1000 / intervalMs).toFixed(1);
  const others = participants - 1;
  notice(
    `Sharing the request budget through Redis at ${shown} with every process using this SecretId ` +
      `(${others === 0 ? "none other" : plural(others, "other")} now): at most ${options.rate} ` +
      `requests in any second, ${perSecond} per second sustained, all of them together.`,
  );

  return {
    schedule<T>(task: () => Promise<T>): Promise<T> {
      if (stopped) return Promise.reject(new Error("the limiter has been stopped"));
      return new Promise<T>((resolve, reject) => {
        const entry: Entry = {
          route: mode,
          state: "waiting",
          start() {
            entry.state = "started";
            pending.delete(entry);
            Promise.resolve().then(task).then(resolve, reject);
          },
          drop(error) {
            if (entry.state !== "waiting") return;
            entry.state = "dropped";
            pending.delete(entry);
            reject(error);
          },
        };
        pending.add(entry);
        if (entry.route === "shared") submitShared(entry);
        else submitLocal(entry);
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(holdoff);
      endHoldoff();
      for (const entry of [...pending]) entry.drop(new Error("the limiter has been stopped"));
      await local?.stop();
      await closeShared(mode === "shared");
    },
  };
}
