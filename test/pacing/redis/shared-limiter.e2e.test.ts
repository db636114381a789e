import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_RATE } from "../../../src/app/options.js";
import { systemClock } from "../../../src/core/clock.js";
import { sharedBudget, sharedLimiterId } from "../../../src/pacing/shared-budget.js";
import { createSharedLimiter } from "../../../src/pacing/shared-limiter.js";
import { DEMO_SECRET_ID, startSimulator } from "../../../src/simulator/index.js";
import { DEMO_ENV as ENV, jobIds, maxInSlidingWindow } from "../../helpers/cli.js";
import { CLI, type CliRun, describeRun, runCliProcess, waitFor } from "../../helpers/process.js";
import {
  findRedisServer,
  freePort,
  importsOf,
  jsFiles,
  loadLogger,
  missingTools,
  type RedisServer,
  SHARING,
  startRedis,
  TOOLS_REQUIRED,
  waitArgs,
} from "./helpers.js";

const binary = findRedisServer();
const missing = missingTools("test/redis", { "redis-server": binary }).length > 0;

/**
 * The simulator stamps arrivals in the test's own process, which a loaded machine pauses: a request
 * sent on time can be stamped this much later than the next one. Windows at the server are judged
 * this much shorter; two processes that did not share would still put 30 in such a window.
 */
const ARRIVAL_JITTER_MS = 200;
const SERVER_WINDOW_MS = 1000 - ARRIVAL_JITTER_MS;

const FELL_BACK = /Lost Redis at redis:\/\/127\.0\.0\.1:\d+ /g;

/** Every key of a dts-gate limiter in `server` has a TTL, and there is nothing else. */
async function expectEveryKeyToExpire(server: RedisServer) {
  const keys = await server.client.keys("b_dts-gate:*");
  expect(keys).toContain(`b_${sharedLimiterId(DEMO_SECRET_ID, "DescribeMigrationCheckJob")}_settings`);
  const ttls = await Promise.all(keys.map((key) => server.client.pttl(key)));
  expect(keys.filter((_, i) => !((ttls[i] as number) > 0))).toEqual([]);
  // Nothing else (pub/sub channels are not keys).
  expect(await server.client.dbsize()).toBe(keys.length);
}

function passedJobs(run: CliRun): number {
  const document = JSON.parse(run.stdout) as { passed: boolean; jobs: { outcome: string }[] };
  return document.jobs.filter((job) => job.outcome === "pass").length;
}

describe.skipIf(missing && !TOOLS_REQUIRED)(
  `the shared limiter with a real redis-server${missing ? " (redis-server NOT FOUND)" : ""}`,
  () => {
    let redis: RedisServer | undefined;

    beforeAll(async () => {
      if (binary === undefined) throw new Error("DTS_GATE_REQUIRE_REDIS=1 but there is no redis-server on PATH");
      redis = await startRedis(binary);
    }, 30_000);

    afterAll(async () => {
      await redis?.stop();
    });

    it("keeps two processes to one budget at the server, from a flooded, stalled bucket it resets and says so", async () => {
      const server = redis as RedisServer;
      // A hash as a previous run leaves it, then tampered with: unreset, it would let both
      // processes through at their own --rate (or neither, ever).
      const left = await createSharedLimiter({
        redisUrl: new URL(server.url),
        rate: 20,
        secretId: DEMO_SECRET_ID,
        clock: systemClock,
      });
      await left.stop();
      await server.client.hset(`b_${sharedLimiterId(DEMO_SECRET_ID, "DescribeMigrationCheckJob")}_settings`, {
        reservoir: 1_000_000,
        reservoirIncreaseAmount: 1_000_000,
        reservoirIncreaseMaximum: 1_000_000,
        reservoirIncreaseInterval: 1e12,
      });
      // Each job passes at its second poll: 24 requests, which two processes that did not share
      // would send within 0.6 s. The simulator does not throttle: its own count would judge the
      // same stamps on the whole second (see ARRIVAL_JITTER_MS).
      const sim = await startSimulator({ stepMs: 1, rate: 1000 });
      try {
        const [a, b] = await Promise.all([
          runCliProcess(CLI, waitArgs(jobIds(6, "a"), sim, server.url), ENV, 30_000),
          runCliProcess(CLI, waitArgs(jobIds(6, "b"), sim, server.url), ENV, 30_000),
        ]);
        expect(a.code, describeRun(a)).toBe(0);
        expect(b.code, describeRun(b)).toBe(0);
        expect(passedJobs(a)).toBe(6);
        expect(passedJobs(b)).toBe(6);
        expect(a.stderr).toMatch(SHARING);
        expect(b.stderr).toMatch(SHARING);
        // Shared to the end: neither fell back to its local share.
        expect(a.stderr + b.stderr).not.toMatch(FELL_BACK);
        // The first to join resets the settings, and says so; the other finds them reset.
        const repaired = /held shared budget settings that dts-gate never writes \(reservoir, /;
        expect([a, b].filter((run) => repaired.test(run.stderr))).toHaveLength(1);

        const times = sim.arrivals.map((arrival) => arrival.atMs);
        const spanMs = Math.max(...times) - Math.min(...times);
        // The fullest second and the throughput at the server, without a paused observer, are
        // `npm run bench` figures; here, that the two kept together to the one budget.
        console.info(
          `two processes: ${times.length} requests in ${spanMs} ms, ` +
            `at most ${maxInSlidingWindow(times)} in a sliding second, ${maxInSlidingWindow(times, SERVER_WINDOW_MS)} in ${SERVER_WINDOW_MS} ms`,
        );
        expect(times).toHaveLength(24);
        expect(maxInSlidingWindow(times, SERVER_WINDOW_MS)).toBeLessThanOrEqual(20);
        // Both took part: neither ran alone first.
        const jobsOf = (letter: string) => sim.arrivals.filter((arrival) => arrival.jobId?.startsWith(`dts-${letter}`));
        const lastA = Math.max(...jobsOf("a").map((arrival) => arrival.atMs));
        const firstB = Math.min(...jobsOf("b").map((arrival) => arrival.atMs));
        expect(firstB).toBeLessThan(lastA);
        await expectEveryKeyToExpire(server);
      } finally {
        await sim.close();
      }
    }, 40_000);

    it("falls back to a local share when Redis dies mid-wait, and still reaches the verdict", async () => {
      const own = await startRedis(binary as string);
      // Each job passes at its second poll: after the kill about 28 requests are left, which the
      // two would send within one second if neither kept to its share.
      const sim = await startSimulator({ stepMs: 1, rate: 20 });
      try {
        const runs = Promise.all([
          runCliProcess(CLI, waitArgs(jobIds(8, "c"), sim, own.url), ENV, 30_000),
          runCliProcess(CLI, waitArgs(jobIds(8, "d"), sim, own.url), ENV, 30_000),
        ]);
        const arrivalsOf = (letter: string) =>
          sim.arrivals.filter((arrival) => arrival.jobId?.startsWith(`dts-${letter}`)).map((arrival) => arrival.atMs);
        // Kill once both are under way: each sent requests on shared tokens.
        await waitFor(() => arrivalsOf("c").length >= 2 && arrivalsOf("d").length >= 2, "both processes to poll");
        const before = sim.arrivals.length;
        const killedAt = Date.now();
        own.kill();
        const [c, d] = await runs;
        expect(c.code, describeRun(c)).toBe(0);
        expect(d.code, describeRun(d)).toBe(0);
        expect(passedJobs(c)).toBe(8);
        expect(passedJobs(d)).toBe(8);
        expect(c.stderr.match(FELL_BACK)?.length, c.stderr).toBe(1);
        expect(d.stderr.match(FELL_BACK)?.length, d.stderr).toBe(1);

        const times = sim.arrivals.map((arrival) => arrival.atMs);
        const after = times.filter((t) => t > killedAt);
        const firstAfter = Math.min(...after);
        const maxPerSecond = maxInSlidingWindow(times);
        const maxLocal = maxInSlidingWindow(after);
        const throttled = sim.arrivals.filter((arrival) => arrival.code === "RequestLimitExceeded").length;
        console.info(
          `Redis killed after ${before} requests: first request after it ${firstAfter - killedAt} ms later, ` +
            `both done ${Math.max(c.ms, d.ms)} ms after start; at most ${maxPerSecond} in a sliding second ` +
            `(${maxLocal} after the kill), ${throttled} throttled`,
        );
        // No second holds both shared and local starts: each process's first local start waits a
        // window after it noticed the loss, so each has a pause that long around the kill.
        for (const letter of ["c", "d"]) {
          const own = arrivalsOf(letter);
          const gaps = own.slice(1).map((t, i) => t - (own[i] ?? t));
          expect(Math.max(...gaps), letter).toBeGreaterThanOrEqual(1000 - ARRIVAL_JITTER_MS);
        }
        expect(maxInSlidingWindow(times, SERVER_WINDOW_MS)).toBeLessThanOrEqual(20);
      } finally {
        await sim.close();
        await own.stop();
      }
    }, 40_000);

    it("closes its Redis connections on SIGTERM and leaves the keys to expire", async () => {
      const server = redis as RedisServer;
      const sim = await startSimulator({ scenario: "stuck", stepMs: 150 });
      try {
        const running = runCliProcess(CLI, waitArgs(jobIds(3, "f"), sim, server.url), ENV, 15_000);
        // Polling: it has joined.
        await waitFor(() => sim.arrivals.length > 0, "the first poll");
        expect(Number((await server.client.info("clients")).match(/connected_clients:(\d+)/)?.[1])).toBe(3);
        const signalledAt = Date.now();
        running.child.kill("SIGTERM");
        const run = await running;
        expect(run.code, describeRun(run)).toBe(143);
        expect(Date.now() - signalledAt).toBeLessThan(5_000);
        // Only the test's own connection is left.
        expect(Number((await server.client.info("clients")).match(/connected_clients:(\d+)/)?.[1])).toBe(1);
        await expectEveryKeyToExpire(server);
      } finally {
        await sim.close();
      }
    });

    it("loads ioredis at run time only with --redis-url", async () => {
      const server = redis as RedisServer;
      const sim = await startSimulator({ scenario: "pass", stepMs: 1 });
      const register = loadLogger();
      const loaded = async (extra: string[]) => {
        const log = join(mkdtempSync(join(tmpdir(), "dts-gate-loads-")), "loads.txt");
        writeFileSync(log, "");
        const args = ["wait", "dts-g0000001", "--endpoint", sim.url, "--interval", "0.05", ...extra];
        const run = await runCliProcess(CLI, args, { ...ENV, DTS_GATE_LOAD_LOG: log }, 30_000, ["--import", register]);
        expect(run.code, describeRun(run)).toBe(0);
        const urls = readFileSync(log, "utf8").split("\n").filter(Boolean);
        return urls.filter(
          (url) => url.startsWith("file:") && readFileSync(fileURLToPath(url), "utf8").includes("enableAutoPipelining"),
        );
      };
      try {
        const [without, withRedis] = await Promise.all([loaded([]), loaded(["--redis-url", server.url])]);
        expect(without).toEqual([]);
        expect(withRedis).toHaveLength(1);
      } finally {
        await sim.close();
      }
    }, 60_000);

    it("refuses to start when Redis cannot be reached: exit 2, the URL without its password, no request", async () => {
      const sim = await startSimulator({ stepMs: 150, rate: 20 });
      try {
        const port = await freePort();
        const [run, badDb] = await Promise.all([
          runCliProcess(
            CLI,
            waitArgs(jobIds(2, "e"), sim, `redis://gate:pa55word-xyz@127.0.0.1:${port}/0`),
            ENV,
            15_000,
          ),
          // A database the server refuses is no better than no server.
          runCliProcess(CLI, waitArgs(jobIds(2, "e"), sim, `${(redis as RedisServer).url}/99`), ENV, 15_000),
        ]);
        expect(run.code, describeRun(run)).toBe(2);
        expect(run.stderr).toContain(`redis://127.0.0.1:${port}`);
        expect(run.stderr).not.toContain("pa55word-xyz");
        expect(run.stdout).not.toContain("pa55word-xyz");
        expect(badDb.code, describeRun(badDb)).toBe(2);
        expect(badDb.stderr).toContain("DB index is out of range");
        expect(sim.arrivals).toEqual([]);
      } finally {
        await sim.close();
      }
    });
  },
);

describe("the shared bucket's size", () => {
  it("lets capacity + the tokens of any 1.1 s never exceed the rate, at every rate --rate accepts", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_RATE }), (rate) => {
        const { capacity, intervalMs } = sharedBudget(rate);
        expect(capacity + Math.floor(1100 / intervalMs)).toBeLessThanOrEqual(rate);
      }),
    );
    expect(sharedBudget(20).intervalMs).toBe(56);
  });
});

describe("the bundle", () => {
  it("reaches ioredis only through the shared limiter's dynamic import", async () => {
    for (const dir of [dirname(CLI)]) {
      // The CLI's files (dist/action.js is one file with everything in it: the Action always needs it all).
      const cliFiles = [join(dir, "cli.js"), ...jsFiles(join(dir, "chunks"))];
      const files = cliFiles.map((file) => ({ file, code: readFileSync(file, "utf8") }));
      const ioredis = files
        .filter(({ code }) => code.includes("enableAutoPipelining"))
        .map(({ file }) => basename(file));
      expect(ioredis, `${dir}: ioredis in one file`).toHaveLength(1);
      // Only a dynamic import reaches it: the shared limiter's, itself reached only dynamically.
      const importers = (kind: "static" | "dynamic", names: readonly string[]) =>
        files
          .filter(({ code }) => importsOf(code)[kind].some((spec) => names.includes(basename(spec))))
          .map(({ file }) => basename(file));
      expect(importers("static", ioredis), dir).toEqual([]);
      const limiter = importers("dynamic", ioredis);
      expect(limiter, dir).toHaveLength(1);
      expect(files.find(({ file }) => basename(file) === limiter[0])?.code).toContain("Sharing the request budget");
      expect(importers("static", limiter), dir).toEqual([]);
    }
  });
});
