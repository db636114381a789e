import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../../../src/simulator/index.js";
import { DEMO_ENV as ENV, jobIds } from "../../helpers/cli.js";
import { CLI, describeRun, runCliProcess } from "../../helpers/process.js";
import { startTlsProxy, type TlsProxy } from "../../helpers/tls.js";
import {
  findOpenssl,
  findRedisServer,
  missingTools,
  type RedisServer,
  SHARING,
  startRedis,
  TOOLS_REQUIRED,
  waitArgs,
} from "./helpers.js";

const redisServer = findRedisServer();
const openssl = findOpenssl();
const missing = missingTools("test/redis/tls", { "redis-server": redisServer, openssl });

describe.skipIf(missing.length > 0 && !TOOLS_REQUIRED)("--redis-url rediss:// (Redis behind TLS)", () => {
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
    const sim = await startSimulator({ stepMs: 1, rate: 20 });
    try {
      const run = await runCliProcess(CLI, waitArgs(jobIds(1, "t"), sim, redisUrl), { ...ENV, ...env }, 30_000);
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
