import type { AddressInfo } from "node:net";
import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createDtsClient } from "../../src/tencent/client.js";
import { CONNECT_PAUSE_MS } from "../../src/tencent/connector.js";
import { Credentials } from "../../src/tencent/credentials.js";
import { loopback } from "./loopback.js";

/**
 * A request ends by --request-timeout or an abort whatever the peer does, and opens a bounded
 * number of connections: real servers and proxies on loopback, connections counted on their side.
 * An exchange ended while its connection is open costs at most two: the one it used, and one
 * undici opens again as it drops it.
 */
const JOB = "dts-1ewjspuw";
const keys = new Credentials("AKIDbounds", "bounds-key");
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A raw TCP server on loopback that counts connections and does `onSocket` with each. */
async function tcp(onSocket: (socket: Socket) => void) {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as AddressInfo).port, connections: () => accepted };
}

function client(endpoint: string, requestTimeoutMs: number, proxyPort?: number) {
  const dts = createDtsClient({
    endpoint,
    credentials: keys,
    requestTimeoutMs,
    ...(proxyPort === undefined ? {} : { proxyEnv: { HTTPS_PROXY: `http://127.0.0.1:${proxyPort}` } }),
  });
  cleanups.push(() => dts.close());
  return dts;
}

/** One call, timed; `abortAfterMs` aborts it through the caller's signal. */
async function timedCall(dts: ReturnType<typeof client>, abortAfterMs?: number) {
  const signal = abortAfterMs === undefined ? undefined : AbortSignal.timeout(abortAfterMs);
  const started = performance.now();
  const result = await dts.call("DescribeMigrationCheckJob", { JobId: JOB }, signal ? { signal } : {});
  return { result, ms: performance.now() - started, code: result.ok ? "ok" : result.error.code };
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("behind a proxy that closes the connection on CONNECT", () => {
  it("the call ends at once with a network error, after one connection, and nothing dials on afterwards", async () => {
    const proxy = await tcp((socket) => socket.once("data", () => socket.destroy()));
    const dts = client("https://dts.tencentcloudapi.com", 500, proxy.port);
    const { ms, result } = await timedCall(dts);
    expect(result.ok || [result.error.code, result.error.kind, result.error.maybeApplied]).toEqual([
      "NetworkError",
      "transient",
      false,
    ]);
    expect(ms).toBeLessThan(1_500);
    await settle(300);
    expect(proxy.connections()).toBeLessThanOrEqual(2);
  });

  it("six calls in a row open at most one connection each", async () => {
    const proxy = await tcp((socket) => socket.once("data", () => socket.destroy()));
    const dts = client("https://dts.tencentcloudapi.com", 500, proxy.port);
    // The pause before each attempt doubles from 100 ms: four calls end by the proxy's close, the
    // fifth by the request timeout while its attempt waits out 800 ms, the sixth on that attempt.
    for (let i = 0; i < 6; i++) await timedCall(dts);
    await settle(200);
    expect(proxy.connections()).toBeLessThanOrEqual(6);
  });
});

describe("connection attempts after a failure", () => {
  it("are paced: the next one waits at least the first pause, however soon the next call comes", async () => {
    const arrivals: number[] = [];
    const proxy = await tcp((socket) => {
      arrivals.push(performance.now());
      socket.once("data", () => socket.destroy());
    });
    const dts = client("https://dts.tencentcloudapi.com", 2_000, proxy.port);
    for (let i = 0; i < 3; i++) await timedCall(dts);
    expect(arrivals).toHaveLength(3);
    const gaps = arrivals.slice(1).map((at, i) => at - (arrivals[i] ?? 0));
    // A lower bound only: a loaded machine can make the gaps longer, never shorter.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(CONNECT_PAUSE_MS - 5);
  });
});

describe("behind a proxy that accepts and never answers CONNECT", () => {
  it("the call ends by the request timeout", async () => {
    const proxy = await tcp(() => {});
    const { ms, code } = await timedCall(client("https://dts.tencentcloudapi.com", 400, proxy.port));
    expect(code).toBe("RequestTimeout");
    expect(ms).toBeLessThan(1_500);
    expect(proxy.connections()).toBeLessThanOrEqual(2);
  });

  it("the caller's abort ends it while tunnelling", async () => {
    const proxy = await tcp(() => {});
    const { ms, code } = await timedCall(client("https://dts.tencentcloudapi.com", 30_000, proxy.port), 150);
    expect(code).toBe("Aborted");
    expect(ms).toBeLessThan(1_000);
  });
});

describe("a server that accepts and never answers", () => {
  it("ends by the request timeout, or by an abort waiting for headers", async () => {
    const server = await tcp(() => {});
    const url = `http://127.0.0.1:${server.port}`;
    const timedOut = await timedCall(client(url, 400));
    expect(timedOut.code).toBe("RequestTimeout");
    expect(timedOut.ms).toBeLessThan(1_500);
    const aborted = await timedCall(client(url, 30_000), 150);
    expect(aborted.code).toBe("Aborted");
    expect(aborted.ms).toBeLessThan(1_000);
    expect(server.connections()).toBeLessThanOrEqual(4);
  });
});

describe("a server that drips its body", () => {
  it("ends by the request timeout or an abort while reading the body", async () => {
    const server = await loopback((request, response) => {
      request.resume();
      response.writeHead(200, { "content-type": "application/json", "content-length": 10_000 });
      response.flushHeaders();
      const timer = setInterval(() => response.write(" "), 50);
      response.on("close", () => clearInterval(timer));
    });
    cleanups.push(() => server.close());
    const timedOut = await timedCall(client(server.url, 400));
    expect(timedOut.code).toBe("RequestTimeout");
    expect(timedOut.ms).toBeLessThan(1_500);
    const aborted = await timedCall(client(server.url, 30_000), 200);
    expect(aborted.code).toBe("Aborted");
    expect(aborted.ms).toBeLessThan(1_000);
    expect(server.connections()).toBeLessThanOrEqual(4);
  });
});
