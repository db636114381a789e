import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSharedLimiter, sharedLimiterId } from "../../src/gate/shared-limiter.js";
import { findRedisServer, type RedisServer, startRedis } from "./helpers.js";

const binary = findRedisServer();
const skip = binary === undefined && process.env.DTS_GATE_REQUIRE_REDIS !== "1";

async function redisNowMs(server: RedisServer): Promise<number> {
  const [seconds, micros] = await server.client.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

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
    const limiter = await createSharedLimiter({ redisUrl: new URL(server.url), rate: 20, secretId: "AKIDclock" });
    try {
      await Promise.all(Array.from({ length: 5 }, () => limiter.schedule(async () => 1)));
      const settings = `b_${sharedLimiterId("AKIDclock")}_settings`;
      const [lastIncrease, nextRequest] = await server.client.hmget(settings, "lastReservoirIncrease", "nextRequest");
      const now = await redisNowMs(server);
      expect(Math.abs(Number(lastIncrease) - now)).toBeLessThan(2_000);
      expect(Math.abs(Number(nextRequest) - now)).toBeLessThan(2_000);
    } finally {
      ahead.mockRestore();
      await limiter.stop();
    }
  });

  it("runs every queued task after Redis dies, says so once, and starts nothing for a window", async () => {
    const own = await startRedis(binary as string);
    const notices: string[] = [];
    const limiter = await createSharedLimiter({
      redisUrl: new URL(own.url),
      rate: 20,
      secretId: "AKIDloss",
      onNotice: (text) => notices.push(text),
    });
    try {
      const starts: number[] = [];
      const tasks = Array.from({ length: 30 }, (_, i) =>
        limiter.schedule(async () => {
          starts.push(Date.now());
          return i;
        }),
      );
      while (starts.length < 5) await new Promise((resolve) => setTimeout(resolve, 10));
      const killedAt = Date.now();
      own.kill();
      expect(await Promise.all(tasks)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect(notices.filter((text) => text.startsWith("Lost Redis"))).toHaveLength(1);
      expect(notices.at(-1)).toContain("keeps to 10 requests per second");
      const afterKill = starts.filter((t) => t > killedAt + 5);
      expect(afterKill.length).toBeGreaterThan(0);
      expect(Math.min(...afterKill) - killedAt).toBeGreaterThanOrEqual(1_000);
    } finally {
      await limiter.stop();
      await own.stop();
    }
  }, 15_000);

  it("rejects what is still queued at stop(), and nothing it schedules afterwards runs", async () => {
    const server = redis as RedisServer;
    const limiter = await createSharedLimiter({ redisUrl: new URL(server.url), rate: 1, secretId: "AKIDstop" });
    let ran = 0;
    const tasks = Array.from({ length: 5 }, () => limiter.schedule(async () => ++ran));
    const rest = Promise.allSettled(tasks.slice(1));
    await tasks[0];
    await limiter.stop();
    const settled = await rest;
    expect(settled.map((result) => result.status)).toEqual(["rejected", "rejected", "rejected", "rejected"]);
    await expect(limiter.schedule(async () => ++ran)).rejects.toThrow(/stopped/);
    expect(ran).toBe(1);
  });
});
