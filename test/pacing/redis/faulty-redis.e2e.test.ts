import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCaptured } from "../../helpers/cli.js";
import {
  type FaultyServer,
  type Misbehaviour,
  type RelayMode,
  startFaultyServer,
  startTurncoatRelay,
  type TurncoatRelay,
} from "../../helpers/faulty-server.js";
import { simulatorsClosedAfterEach } from "../../helpers/simulators.js";
import { findRedisServer, missingTools, type RedisServer, startRedis, TOOLS_REQUIRED } from "./helpers.js";

const JOB = "dts-1ewjspuw";
const simulator = simulatorsClosedAfterEach({ scenario: "pass", stepMs: 10 });
const servers: FaultyServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function faultyRedis(misbehaviour: Misbehaviour): Promise<FaultyServer> {
  const server = await startFaultyServer(misbehaviour, 50);
  servers.push(server);
  return server;
}

describe("a Redis that misbehaves at start-up", () => {
  it.each(["garbage", "close", "drip"] as const)("%s: exit 2 with the one JSON document, no request", async (how) => {
    const sim = await simulator();
    const redis = await faultyRedis(how);
    const run = await runCaptured([
      "wait",
      JOB,
      "--endpoint",
      sim.url,
      "--output",
      "json",
      "--redis-url",
      `redis://127.0.0.1:${redis.port}`,
    ]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ passed: false, error: { code: "UsageError" } });
    expect(sim.arrivals).toHaveLength(0);
  });

  it("hang, then SIGTERM while joining: exit 143 at once with the one JSON document", async () => {
    const sim = await simulator();
    const redis = await faultyRedis("hang");
    let raisedAt = 0;
    const run = await runCaptured(
      ["wait", JOB, "--endpoint", sim.url, "--output", "json", "--redis-url", `redis://127.0.0.1:${redis.port}`],
      {
        withSignal: (raise) => {
          const watch = setInterval(() => {
            if (redis.connections() === 0) return;
            clearInterval(watch);
            raisedAt = performance.now();
            raise("SIGTERM");
          }, 5);
        },
      },
    );
    expect(run.code).toBe(143);
    expect(performance.now() - raisedAt).toBeLessThan(1_000);
    expect(JSON.parse(run.stdout)).toMatchObject({ passed: false, jobs: [{ error: { code: "Interrupted" } }] });
  });
});

const binary = findRedisServer();
const missing = missingTools("test/redis", { "redis-server": binary }).length > 0;

describe.skipIf(missing && !TOOLS_REQUIRED)("a Redis that turns bad mid-run", () => {
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    if (binary === undefined) throw new Error("DTS_GATE_REQUIRE_REDIS=1 but there is no redis-server on PATH");
    redis = await startRedis(binary);
    // Loaded once here rather than inside the first run's deadline, which starts with the run.
    await Promise.all([import("../../../src/cli/commands.js"), import("../../../src/pacing/shared-limiter.js")]);
  }, 30_000);
  afterAll(async () => {
    await redis?.stop();
  });

  /**
   * The deadline of the runs it ends: long enough for polling to begin and Redis to turn before it
   * on a loaded machine too (the first poll came 1.15 s after the start once).
   */
  const DEADLINE_MS = 2_000;

  /**
   * A stuck check waited for through a relay to Redis that turns `mode` once polling has begun;
   * ended by SIGTERM 300 ms after the turn, or by the deadline. Whether, and how long after the
   * run began, Redis turned.
   */
  async function turnedRun(mode: RelayMode, end: "SIGTERM" | "deadline") {
    const sim = await simulator({ scenario: "stuck" });
    const relay = await startTurncoatRelay(redis?.port ?? 0);
    relays.push(relay);
    let turnedAt: number | undefined;
    let endedAt = 0;
    const args = ["wait", JOB, "--endpoint", sim.url, "--interval", "0.05", "--output", "json"];
    const timeout = end === "deadline" ? ["--timeout", `${DEADLINE_MS}ms`] : [];
    const startedAt = performance.now();
    let watch: NodeJS.Timeout | undefined;
    const run = await runCaptured([...args, ...timeout, "--redis-url", `redis://127.0.0.1:${relay.port}`], {
      withSignal: (raise) => {
        watch = setInterval(() => {
          if (sim.arrivals.length === 0) return;
          clearInterval(watch);
          relay.turn(mode);
          turnedAt = performance.now() - startedAt;
          if (end === "deadline") return;
          setTimeout(() => {
            endedAt = performance.now();
            raise("SIGTERM");
          }, 300);
        }, 5);
      },
    }).finally(() => clearInterval(watch));
    return { run, afterEnd: performance.now() - endedAt, turnedAt };
  }

  const relays: TurncoatRelay[] = [];
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.close()));
  });

  it.each(["freeze", "garbage", "surplus"] as const)(
    "%s, then SIGTERM: exit 143 soon after, the JSON document",
    async (mode) => {
      const { run, afterEnd } = await turnedRun(mode, "SIGTERM");
      expect(run.code).toBe(143);
      // Within a second on an idle machine (`npm run bench`); a frozen Redis would hold it for good.
      expect(afterEnd).toBeLessThan(5_000);
      expect(JSON.parse(run.stdout)).toMatchObject({ passed: false, jobs: [{ jobId: JOB }] });
      // A reply more than the commands sent closes the connection: the run goes on alone.
      if (mode === "surplus") expect(run.stderr).toMatch(/Lost Redis at .*: no longer sharing/);
    },
  );

  it.each(["freeze", "garbage", "surplus"] as const)(
    "%s: the deadline still ends the wait with exit 3",
    async (mode) => {
      const { run, turnedAt } = await turnedRun(mode, "deadline");
      // Redis turned before the deadline: it was the wait on a bad Redis that the deadline ended.
      expect(turnedAt).toBeLessThan(DEADLINE_MS);
      expect(run.code).toBe(3);
      expect(run.ms).toBeLessThan(DEADLINE_MS + 5_000);
      expect(JSON.parse(run.stdout)).toMatchObject({ passed: false, jobs: [{ outcome: "timeout" }] });
    },
  );
});
