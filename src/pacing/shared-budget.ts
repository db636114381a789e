import { createHash } from "node:crypto";
import type { Redis as RedisClient } from "ioredis";

/**
 * The shared budget: a token bucket kept in Redis, capacity 1, one token every `intervalMs`,
 * added by bottleneck's Lua scripts from the clock whenever any participant calls them
 * (`reservoirIncreaseInterval/Amount/Maximum`). Nothing is handed back by a participant's own
 * timer, so a participant that dies holding tokens leaks nothing. Each request takes one token.
 * A bucket of capacity C fed one token every T ms lets at most C + floor(W / T) requests start in
 * any W ms; with C = 1, W = 1000 + SHARED_ARRIVAL_MARGIN_MS and T = floor(W / rate) + 1 that is at most
 * `rate` starts in any 1,100 ms, so that requests may arrive up to 100 ms closer together than
 * they started (network paths of different runners, event-loop stalls) and no second at the
 * server still holds more than `rate`. For --rate 20: T = 56 ms, 17.8 requests per second.
 */

export const WINDOW_MS = 1000;
/** Requests may arrive this much closer together than they started; see above. */
export const SHARED_ARRIVAL_MARGIN_MS = 100;
/** The action whose budget every participant joins at start-up (the gate's first poll). */
export const FIRST_ACTION = "DescribeMigrationCheckJob";

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
  const intervalMs = Math.floor((WINDOW_MS + SHARED_ARRIVAL_MARGIN_MS) / whole) + 1;
  // Ticks more often than tokens come, so that a token is taken before the next one would be
  // capped away; never faster than every 10 ms.
  const heartbeatMs = Math.min(250, Math.max(10, Math.floor(intervalMs / 2)));
  return { capacity: 1, intervalMs, heartbeatMs };
}

/** The slowest bucket any participant asks for: that of --rate 1. */
export const SLOWEST_INTERVAL_MS = sharedBudget(1).intervalMs;

/**
 * The id of one action's budget: the action (the API counts its limit per action) and a hash of
 * the SecretId (never the key), so that every process using the same credentials shares it and
 * nobody reading Redis learns the SecretId. The hash is a Redis Cluster hash tag, so that all keys
 * of one account live in one slot.
 */
export function sharedLimiterId(secretId: string, action: string): string {
  const hash = createHash("sha256").update(`dts-gate\0${secretId}`).digest("hex").slice(0, 16);
  return `dts-gate:v1:${action}:{${hash}}`;
}

/**
 * Puts the settings hash back within what dts-gate writes, atomically, on Redis's clock: a
 * bucket of the given capacity fed one token at a time, its interval between ours and that of
 * --rate 1 (a slower one from another participant is kept: the strictest budget wins), no
 * concurrency cap, no refill, no minTime, no start or token dated in the future, keys that expire.
 * Whatever else a hash holds could let bursts through (`reservoir 1000000`) or stall every
 * participant (`reservoirIncreaseInterval 1e12`). Returns the interval in force, then the fields
 * it repaired.
 */
const BOUND_SETTINGS = `
local key = KEYS[1]
local capacity, fastest, slowest, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local repaired = {}
local function num(field) return tonumber(redis.call('hget', key, field)) end
local function set(field, value) redis.call('hset', key, field, value) table.insert(repaired, field) end
local function outside(value, low, high) return value == nil or value ~= value or value < low or value > high end
if redis.call('exists', key) == 0 then return {0} end
if outside(num('reservoir'), 0, capacity) then set('reservoir', math.max(0, math.min(capacity, num('reservoir') or 0))) end
local interval = num('reservoirIncreaseInterval')
if outside(interval, fastest, slowest) then interval = fastest set('reservoirIncreaseInterval', fastest) end
if num('reservoirIncreaseAmount') ~= 1 then set('reservoirIncreaseAmount', 1) end
if num('reservoirIncreaseMaximum') ~= capacity then set('reservoirIncreaseMaximum', capacity) end
if outside(num('lastReservoirIncrease'), now - 86400000, now) then set('lastReservoirIncrease', now) end
if outside(num('nextRequest'), 0, now + slowest) then set('nextRequest', now) end
if num('minTime') ~= 0 then set('minTime', 0) end
if num('groupTimeout') ~= ttl then set('groupTimeout', ttl) end
for _, field in ipairs({'maxConcurrent', 'reservoirRefreshInterval', 'reservoirRefreshAmount'}) do
  if num(field) ~= nil then redis.call('hdel', key, field) table.insert(repaired, field) end
end
return {interval, unpack(repaired)}`;

export interface BoundedSettings {
  /** The token interval in force, ours or a slower participant's; 0 when there are no settings yet. */
  readonly intervalMs: number;
  /** Fields that held what dts-gate never writes, and were reset. */
  readonly repaired: readonly string[];
}

/** Runs BOUND_SETTINGS on the limiter's settings hash (see there). */
export async function boundSettings(
  client: RedisClient,
  settingsKey: string,
  budget: SharedBudget,
  keyTtlMs: number,
): Promise<BoundedSettings> {
  const args = [budget.capacity, budget.intervalMs, Math.max(budget.intervalMs, SLOWEST_INTERVAL_MS), keyTtlMs];
  const [interval, ...repaired] = (await client.eval(BOUND_SETTINGS, 1, settingsKey, ...args)) as [number, ...string[]];
  return { intervalMs: Number(interval), repaired };
}

const COUNT_PARTICIPANTS = `
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('zcount', KEYS[1], now - tonumber(ARGV[1]), '+inf')`;

/** Participants seen within `timeoutMs` (bottleneck's heartbeat keeps each one's entry fresh). */
export async function countParticipants(client: RedisClient, lastSeenKey: string, timeoutMs: number): Promise<number> {
  return Number(await client.eval(COUNT_PARTICIPANTS, 1, lastSeenKey, timeoutMs));
}
