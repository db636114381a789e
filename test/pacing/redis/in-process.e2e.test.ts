import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { systemClock } from "../../../src/core/clock.js";
import type { RequestLimiter } from "../../../src/pacing/limiter.js";
import { SHARED_ARRIVAL_MARGIN_MS, sharedLimiterId, WINDOW_MS } from "../../../src/pacing/shared-budget.js";
import { createSharedLimiter, type SharedLimiterOptions } from "../../../src/pacing/shared-limiter.js";
import { ConfigError } from "../../../src/tencent/errors.js";
import { maxInSlidingWindow } from "../../helpers/cli.js";
import { waitFor } from "../../helpers/process.js";
import { HeldClock } from "./held-clock.js";
import { findRedisServer, type RedisServer, startRedis } from "./helpers.js";

const binary = findRedisServer();
const skip = binary === undefined && process.env.DTS_GATE_REQUIRE_REDIS !== "1";

async function redisNowMs(server: RedisServer): Promise<number> {
  const [seconds, micros] = await server.client.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/** The slot of a poll. */
const CHECK = { action: "DescribeMigrationCheckJob" };

const settingsOf = (secretId: string) => `b_${sharedLimiterId(secretId, "DescribeMigrationCheckJob")}_settings`;

function sharedLimiter(url: string, options: Partial<SharedLimiterOptions> & { secretId: string }) {
  return createSharedLimiter({ redisUrl: new URL(url), rate: 20, clock: systemClock, ...options });
}

/** `count` tasks at once through `limiter`; the real time each started. */
async function startTimes(limiter: Pick<RequestLimiter, "schedule">, count: number) {
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: count }, () =>
      limiter.schedule(async () => {
        starts.push(Date.now());
      }, CHECK),
    ),
  );
  return starts;
}

describe("--redis-url that cannot stand for a connection", () => {
  it("is a ConfigError, not a URIError, for a malformed %-escape in the password or user name", async () => {
    for (const url of ["redis://:p%zz@127.0.0.1:1", "redis://u%E0%A4%A@127.0.0.1:1"]) {
      const made = sharedLimiter(url, { secretId: "AKIDurl" });
      await expect(made).rejects.toBeInstanceOf(ConfigError);
      await expect(made).rejects.toThrow(/malformed %-escape/);
      await expect(made).rejects.not.toThrow(/p%zz/);
    }
  });
});

describe.skipIf(skip)(`the shared limiter in one process${binary ? "" : " (redis-server NOT FOUND)"}`, () => {
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    if (binary === undefined) throw new Error("DTS_GATE_REQUIRE_REDIS=1 but there is no redis-server on PATH");
    redis = await startRedis(binary);
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("keeps the bucket on Redis's clock, not on a participant's (a runner 60 s ahead changes nothing)", async () => {
    const server = redis as RedisServer;
    const realNow = Date.now.bind(Date);
    const ahead = vi.spyOn(Date, "now").mockImplementation(() => realNow() + 60_000);
    const limiter = await sharedLimiter(server.url, { secretId: "AKIDclock" });
    try {
      await Promise.all(Array.from({ length: 5 }, () => limiter.schedule(async () => 1, CHECK)));
      const [lastIncrease, nextRequest] = await server.client.hmget(
        settingsOf("AKIDclock"),
        "lastReservoirIncrease",
        "nextRequest",
      );
      const now = await redisNowMs(server);
      // A participant's clock would have put both 60 s ahead.
      expect(Math.abs(Number(lastIncrease) - now)).toBeLessThan(2_000);
      expect(Math.abs(Number(nextRequest) - now)).toBeLessThan(2_000);
    } finally {
      ahead.mockRestore();
      await limiter.stop();
    }
  });

  it("resets settings found in Redis that would let bursts through or stall everyone, and says so", async () => {
    const server = redis as RedisServer;
    const first = await sharedLimiter(server.url, { secretId: "AKIDtamper" });
    await first.stop();
    const key = settingsOf("AKIDtamper");
    await server.client.hset(key, {
      reservoir: 1_000_000,
      reservoirIncreaseAmount: 1_000_000,
      reservoirIncreaseMaximum: 1_000_000,
      reservoirIncreaseInterval: 1e12,
      maxConcurrent: 0,
    });
    const notices: string[] = [];
    const limiter = await sharedLimiter(server.url, { secretId: "AKIDtamper", onNotice: (text) => notices.push(text) });
    try {
      const settings = await server.client.hgetall(key);
      expect(settings).toMatchObject({
        reservoirIncreaseAmount: "1",
        reservoirIncreaseMaximum: "1",
        reservoirIncreaseInterval: "56",
      });
      expect(Number(settings.reservoir)).toBeLessThanOrEqual(1);
      expect(settings).not.toHaveProperty("maxConcurrent");
      expect(notices.join("\n")).toMatch(/reset them/);
      expect(notices.join("\n")).toContain("17.9 per second sustained");
      // And the budget works: five requests come through at the bucket's pace.
      expect(await startTimes(limiter, 5)).toHaveLength(5);
    } finally {
      await limiter.stop();
    }
  });

  it("never goes above its own --rate, whatever Redis is made to hold mid-run", async () => {
    const server = redis as RedisServer;
    const limiter = await sharedLimiter(server.url, { secretId: "AKIDflood" });
    try {
      // Tampered after the join, between two checks of the settings.
      const unlimited = { reservoir: 1_000_000, reservoirIncreaseAmount: 1_000_000, reservoirIncreaseMaximum: 1e9 };
      await server.client.hset(settingsOf("AKIDflood"), { ...unlimited, reservoirIncreaseInterval: 1 });
      const flood = setInterval(() => void server.client.hset(settingsOf("AKIDflood"), unlimited), 20);
      // One more than the rate: a flood that got through would start them all within a second.
      const starts = await startTimes(limiter, 21).finally(() => clearInterval(flood));
      const fullest = maxInSlidingWindow(starts);
      console.info(`Redis flooded with tokens: at most ${fullest} starts in a sliding second at --rate 20`);
      expect(fullest).toBeLessThanOrEqual(20);
    } finally {
      await limiter.stop();
    }
  }, 15_000);

  it("lets requests waiting for a shared token leave at once when their signal aborts", async () => {
    const server = redis as RedisServer;
    // --rate 1: a token every 1.1 s, so that all but the first wait.
    const limiter = await sharedLimiter(server.url, { secretId: "AKIDabort", rate: 1 });
    try {
      const deadline = new AbortController();
      const reason = new Error("deadline");
      let ran = 0;
      const tasks = Array.from({ length: 200 }, () =>
        limiter.schedule(async () => ++ran, { ...CHECK, signal: deadline.signal }),
      );
      await tasks[0];
      let rejected = 0;
      for (const task of tasks.slice(1)) task.catch(() => rejected++);
      deadline.abort(reason);
      // One turn of the event loop, no Redis round trip: the waits end in this process.
      await new Promise((resolve) => setImmediate(resolve));
      expect(rejected).toBe(199);
      const settled = await Promise.allSettled(tasks.slice(1));
      expect(settled.every((result) => result.status === "rejected" && result.reason === reason)).toBe(true);
      expect(ran).toBe(1);
    } finally {
      await limiter.stop();
    }
  });

  it("keeps one budget per action, as the API counts: two actions together go twice as fast as one", async () => {
    const server = redis as RedisServer;
    const limiter = await sharedLimiter(server.url, { secretId: "AKIDactions", rate: 5 });
    try {
      const starts = new Map<string, number[]>();
      // One more than the rate of each action.
      const tasks = Array.from({ length: 12 }, (_, i) => {
        const slot = { action: i % 2 ? "StartMigrateJob" : "DescribeMigrationCheckJob" };
        return limiter.schedule(async () => {
          starts.set(slot.action, [...(starts.get(slot.action) ?? []), Date.now()]);
        }, slot);
      });
      await Promise.all(tasks);
      const all = [...starts.values()].flat();
      // In any second, as the server counts: the bucket's margin is for starts that arrive closer.
      for (const times of starts.values()) expect(maxInSlidingWindow(times)).toBeLessThanOrEqual(5);
      expect(maxInSlidingWindow(all)).toBeGreaterThan(5);
      expect(await server.client.exists(`b_${sharedLimiterId("AKIDactions", "StartMigrateJob")}_settings`)).toBe(1);
    } finally {
      await limiter.stop();
    }
  });

  it("keeps processes with different --rate to the lowest together, and each to its own", async () => {
    const server = redis as RedisServer;
    const fast = await sharedLimiter(server.url, { secretId: "AKIDmixed", rate: 20 });
    const slow = await sharedLimiter(server.url, { secretId: "AKIDmixed", rate: 5 });
    try {
      // One more than the lowest rate, together.
      const [fastStarts, slowStarts] = await Promise.all([startTimes(fast, 3), startTimes(slow, 3)]);
      const together = maxInSlidingWindow([...fastStarts, ...slowStarts]);
      console.info(`--rate 20 and --rate 5 sharing one Redis: at most ${together} starts in a sliding second`);
      expect(together).toBeLessThanOrEqual(5);
    } finally {
      await Promise.all([fast.stop(), slow.stop()]);
    }
  }, 15_000);

  it("runs every queued task after Redis dies, says so once, and starts none for a window, not even one holding a token", async () => {
    const own = await startRedis(binary as string);
    const notices: string[] = [];
    // Stands still until released: the limiter's tasks stay where they are while Redis is killed.
    const clock = new HeldClock();
    const limiter = await sharedLimiter(own.url, {
      secretId: "AKIDloss",
      clock,
      onNotice: (text) => notices.push(text),
    });
    try {
      const starts: number[] = [];
      const order: number[] = [];
      const tasks = Array.from({ length: 8 }, (_, i) =>
        limiter.schedule(async () => {
          starts.push(clock.now());
          order.push(i);
          return i;
        }, CHECK),
      );
      // The first task starts; the second has its shared token and waits for the process's own
      // spacing, the only sleep on the clock until the loss (the clock ends it, not Redis).
      await waitFor(() => starts.length === 1 && clock.pendingSleeps === 1, "a task holding its token");
      own.kill();
      const lost = () => notices.filter((text) => text.startsWith("Lost Redis"));
      await waitFor(() => lost().length > 0, "the loss to be noticed");
      const lostAt = clock.now();
      // Over one window and the arrival margin at once: what is due within it starts at its time.
      await clock.release(WINDOW_MS + SHARED_ARRIVAL_MARGIN_MS);
      expect(await Promise.all(tasks)).toEqual(Array.from({ length: 8 }, (_, i) => i));
      expect(lost()).toHaveLength(1);
      expect(notices.at(-1)).toContain("keeps to 10 requests per second");
      // Nothing starts within the window after the loss was noticed, the task that held a token
      // included: no second holds shared starts and the fall-back share's together.
      expect(starts[0]).toBe(lostAt);
      const sinceLoss = starts.slice(1).map((t) => t - lostAt);
      expect(sinceLoss.filter((ms) => ms < WINDOW_MS + SHARED_ARRIVAL_MARGIN_MS)).toEqual([]);
      // In their order: the one that had its token first.
      expect(order).toEqual(Array.from({ length: 8 }, (_, i) => i));
    } finally {
      await limiter.stop();
      await own.stop();
    }
  });

  it("rejects what is still queued at stop(), and nothing it schedules afterwards runs", async () => {
    const server = redis as RedisServer;
    const limiter = await sharedLimiter(server.url, { secretId: "AKIDstop", rate: 1 });
    let ran = 0;
    const tasks = Array.from({ length: 5 }, () => limiter.schedule(async () => ++ran, CHECK));
    const rest = Promise.allSettled(tasks.slice(1));
    await tasks[0];
    await limiter.stop();
    const settled = await rest;
    expect(settled.map((result) => result.status)).toEqual(["rejected", "rejected", "rejected", "rejected"]);
    await expect(limiter.schedule(async () => ++ran, CHECK)).rejects.toThrow(/stopped/);
    expect(ran).toBe(1);
  });
});
