import { isIP } from "node:net";
import type { Redis as RedisClient, RedisOptions } from "ioredis";
import { ConfigError } from "../tencent/errors.js";

/** Start-up: how long connecting and joining may take before it is a configuration error. */
export const CONNECT_TIMEOUT_MS = 5_000;
/** Any Redis command not answered within this is taken as Redis lost. */
const COMMAND_TIMEOUT_MS = 2_000;

/** The URL as it may be shown: no user name, no password. */
export function displayRedisUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname === "/" ? "" : url.pathname}`;
}

/** A user name or password from the URL, percent-decoded; a malformed escape is a ConfigError. */
function decodedPart(url: URL, part: "username" | "password"): string {
  try {
    return decodeURIComponent(url[part]);
  } catch {
    throw new ConfigError(
      `--redis-url ${displayRedisUrl(url)}: the ${part === "username" ? "user name" : "password"} has a malformed %-escape`,
    );
  }
}

/** ioredis options for `--redis-url`; throws ConfigError for a URL it cannot stand for. */
export function redisOptions(url: URL): RedisOptions {
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) {
    throw new ConfigError(`--redis-url ${displayRedisUrl(url)}: the path must be a database number, as /0`);
  }
  return {
    host: host || "127.0.0.1",
    port: url.port ? Number(url.port) : 6379,
    ...(url.username ? { username: decodedPart(url, "username") } : {}),
    ...(url.password ? { password: decodedPart(url, "password") } : {}),
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
 * Makes bottleneck's scripts read Redis's clock. Each starts with `local now = tonumber(ARGV[1])`,
 * ARGV[1] being the calling process's Date.now(): with runners whose clocks disagree by d, tokens
 * would come up to d early and a start could be delayed by d (`nextRequest`), bunching requests
 * at the server, which one clock for all cannot do. bottleneck is pinned; a version whose scripts
 * differ fails here, at start-up, instead of limiting wrongly.
 */
export function useRedisClock(client: RedisClient): void {
  const define = client.defineCommand.bind(client);
  client.defineCommand = (name, definition) => {
    const parts = definition.lua.split(NOW_FROM_CLIENT);
    if (parts.length !== 2) throw new Error(`bottleneck's script ${name} has no single "${NOW_FROM_CLIENT}"`);
    define(name, { ...definition, lua: parts.join(NOW_FROM_REDIS) });
  };
}

/**
 * ioredis reads replies inside its socket's 'data' listener, and a reply it cannot place (one
 * more than the commands sent, say a null) throws there, where no caller can catch it: an
 * uncaught exception would end the run without its outputs. Each listener of a connected client's
 * socket is wrapped so that such a throw destroys that socket instead: the connection closes with
 * the error, as when Redis dies, and the shared limiter falls back to its local share.
 */
export function guardReplies(client: RedisClient): void {
  const { stream } = client as unknown as { stream?: NodeJS.ReadableStream & { destroy(error?: Error): void } };
  if (!stream) return;
  for (const listener of stream.rawListeners("data") as Array<(chunk: Buffer) => void>) {
    stream.removeListener("data", listener);
    stream.on("data", (chunk: Buffer) => {
      try {
        listener.call(stream, chunk);
      } catch (error) {
        stream.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }
}

/** A connected-to-be ioredis client and its constructor (bottleneck wants both). */
export async function openRedis(url: URL): Promise<{ Redis: typeof RedisClient; client: RedisClient }> {
  const options = redisOptions(url);
  // A split bundle exposes a CommonJS module as `default` only; Node's own loader also by name.
  const ioredis = (await import("ioredis")) as unknown as {
    Redis?: typeof RedisClient;
    default: { Redis: typeof RedisClient };
  };
  const Redis = ioredis.Redis ?? ioredis.default.Redis;
  return { Redis, client: new Redis(options) };
}

export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `promise`, or a rejection once `ms` have passed (a real timer: this bounds network waits). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
