import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SECRET_ID, DEMO_SECRET_KEY, startSimulator } from "../../src/simulator/index.js";
import { jobIds } from "../helpers/cli.js";
import { CLI, type CliRun, runCliProcess } from "../helpers/process.js";
import { findOpenssl, findRedisServer, type RedisServer, startRedis, startTlsProxy, type TlsProxy } from "./helpers.js";

const redisServer = findRedisServer();
const openssl = findOpenssl();
const required = process.env.DTS_GATE_REQUIRE_REDIS === "1";
const missing = [...(redisServer ? [] : ["redis-server"]), ...(openssl ? [] : ["openssl"])];
if (missing.length > 0 && !required) {
  console.warn(
    `test/redis/tls: SKIPPED, not on PATH: ${missing.join(", ")} (DTS_GATE_REQUIRE_REDIS=1 makes this fail)`,
  );
}

const ENV = { TENCENTCLOUD_SECRET_ID: DEMO_SECRET_ID, TENCENTCLOUD_SECRET_KEY: DEMO_SECRET_KEY };
const SHARING = /Sharing the request budget through Redis/;

function describeRun(run: CliRun): string {
  return `exit ${run.code} (${run.signal ?? "no signal"}) after ${run.ms} ms\n--- stderr ---\n${run.stderr.slice(-3000)}`;
}

describe.skipIf(missing.length > 0 && !required)("--redis-url rediss:// (Redis behind TLS)", () => {
  let redis: RedisServer | undefined;
  let proxy: TlsProxy | undefined;

  beforeAll(async () => {
    if (!redisServer || !openssl) throw new Error(`DTS_GATE_REQUIRE_REDIS=1 but not on PATH: ${missing.join(", ")}`);
    redis = await startRedis(redisServer);
    proxy = await startTlsProxy(openssl, redis.port);
  }, 30_000);

  afterAll(async () => {
    await proxy?.stop();
    await redis?.stop();
  });

  const wait = async (redisUrl: string, env: Record<string, string>) => {
    const sim = await startSimulator({ stepMs: 40, rate: 20 });
    try {
      const ids = jobIds(3, "t");
      const args = ["wait", ...ids, "--interval", "0.05", "--endpoint", sim.url, "--redis-url", redisUrl];
      const run = await runCliProcess(CLI, [...args, "--output", "json"], { ...ENV, ...env }, 30_000);
      return { run, requests: sim.arrivals.length };
    } finally {
      await sim.close();
    }
  };

  it("shares the budget over TLS, by host name and by address, with the server's CA trusted", async () => {
    const tls = proxy as TlsProxy;
    const server = redis as RedisServer;
    await server.client.flushdb();
    for (const host of ["localhost", "127.0.0.1"]) {
      const before = tls.handshakes();
      const { run } = await wait(`rediss://${host}:${tls.port}`, { NODE_EXTRA_CA_CERTS: tls.certFile });
      expect(run.code, describeRun(run)).toBe(0);
      expect(run.stderr).toMatch(SHARING);
      expect(tls.handshakes()).toBeGreaterThan(before);
    }
    // The limiter's state went through the proxy into this Redis.
    expect((await server.client.keys("b_dts-gate:*")).length).toBeGreaterThan(0);
  }, 60_000);

  it("refuses a certificate it cannot verify: exit 2 before any request", async () => {
    const tls = proxy as TlsProxy;
    const { run, requests } = await wait(`rediss://localhost:${tls.port}`, {});
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toMatch(/certificate/i);
    expect(requests).toBe(0);
  }, 30_000);
});
