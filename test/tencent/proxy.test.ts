import { mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type RequestListener, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createProxy } from "proxy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDtsClient } from "../../src/tencent/client.js";
import { Credentials } from "../../src/tencent/credentials.js";
import { ConfigError } from "../../src/tencent/errors.js";
import { chooseProxy } from "../../src/tencent/proxy.js";
import { parseAuthorization } from "../../src/tencent/signing.js";
import { makeCertificate } from "../helpers/tls.js";

describe("chooseProxy, as curl picks a proxy", () => {
  it("takes https_proxy for https and http_proxy for http, never one for the other", () => {
    const env = { HTTPS_PROXY: "http://secure:1", HTTP_PROXY: "http://plain:2" };
    expect(chooseProxy(env, "https:")?.proxyUrl).toBe("http://secure:1/");
    expect(chooseProxy(env, "http:")?.proxyUrl).toBe("http://plain:2/");
    expect(chooseProxy({ HTTP_PROXY: "http://plain:2" }, "https:")).toBeUndefined();
    expect(chooseProxy({ HTTPS_PROXY: "http://secure:1" }, "http:")).toBeUndefined();
  });

  it("prefers the lowercase form, treats empty as unset, falls back to all_proxy, adds http://", () => {
    expect(chooseProxy({ https_proxy: "http://lower:1", HTTPS_PROXY: "http://upper:2" }, "https:")?.proxyUrl).toBe(
      "http://lower:1/",
    );
    expect(chooseProxy({ https_proxy: "", HTTPS_PROXY: "http://upper:2" }, "https:")?.proxyUrl).toBe("http://upper:2/");
    expect(chooseProxy({ ALL_PROXY: "proxy.corp:3128" }, "https:")?.proxyUrl).toBe("http://proxy.corp:3128/");
    expect(chooseProxy({ https_proxy: "  " }, "https:")).toBeUndefined();
    expect(chooseProxy({}, "https:")).toBeUndefined();
    expect(chooseProxy({ NO_PROXY: "x", no_proxy: "y", HTTPS_PROXY: "p:1" }, "https:")?.noProxy).toBe("y");
  });

  it("refuses what is not an http(s) proxy URL, without quoting it (it may hold a password)", () => {
    for (const value of ["http://user:s3cret@[bad", "socks5://user:s3cret@host:1080"]) {
      let thrown: unknown;
      try {
        chooseProxy({ HTTPS_PROXY: value }, "https:");
      } catch (error) {
        thrown = error;
      }
      expect(thrown instanceof ConfigError).toBe(true);
      expect(String((thrown as Error).message)).toMatch(/^HTTPS_PROXY /);
      expect(String((thrown as Error).message)).not.toContain("s3cret");
    }
  });
});

const JOB = "dts-1ewjspuw";
const ANSWER = JSON.stringify({ Response: { Status: "running", CheckFlag: "", StepInfo: [], RequestId: "r-proxy" } });
const credentials = new Credentials("AKIDproxytest", "proxy-test-key");

/** Answers only a request signed with TC3 (the relay must not have lost its headers). */
const dtsLike: RequestListener = (request, response) => {
  request.resume();
  const signed = parseAuthorization(String(request.headers.authorization ?? ""));
  response.writeHead(signed?.secretId === credentials.secretId ? 200 : 401, { "content-type": "application/json" });
  response.end(signed ? ANSWER : "{}");
};

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function closeAll(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A throw-away self-signed certificate for localhost and 127.0.0.1 (never committed). */
describe("through a forward proxy on loopback (npm `proxy`, CONNECT and plain forwarding)", () => {
  let dir = "";
  let cert = "";
  let httpsTarget: Server;
  let httpTarget: Server;
  let proxy: Server;
  let proxyUrl = "";
  let httpsPort = 0;
  let httpPort = 0;
  /** What the proxy was asked for: `CONNECT host:port` or `METHOD url`. */
  const seen: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "dts-gate-proxy-"));
    const pair = makeCertificate(dir);
    cert = pair.cert;
    httpsTarget = createHttpsServer(pair, dtsLike);
    httpTarget = createHttpServer(dtsLike);
    proxy = createProxy(createHttpServer());
    proxy.prependListener("connect", (request) => seen.push(`CONNECT ${request.url}`));
    proxy.prependListener("request", (request) => seen.push(`${request.method} ${request.url}`));
    [httpsPort, httpPort] = [await listen(httpsTarget), await listen(httpTarget)];
    proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
  });

  afterAll(async () => {
    await Promise.all([proxy, httpsTarget, httpTarget].map((server) => server && closeAll(server)));
    rmSync(dir, { recursive: true, force: true });
  });

  async function callThrough(endpoint: string, proxyEnv: Record<string, string>, trusting = true) {
    seen.length = 0;
    const client = createDtsClient({
      endpoint,
      credentials,
      proxyEnv,
      requestTimeoutMs: 5_000,
      ...(trusting ? { ca: cert } : {}),
    });
    try {
      return await client.call("DescribeMigrationCheckJob", { JobId: JOB });
    } finally {
      await client.close();
    }
  }

  it("reaches an https endpoint through HTTPS_PROXY with a CONNECT tunnel, TLS end to end", async () => {
    const result = await callThrough(`https://localhost:${httpsPort}`, { HTTPS_PROXY: proxyUrl });
    expect(result.ok && result.value.RequestId).toBe("r-proxy");
    expect(seen).toEqual([`CONNECT localhost:${httpsPort}`]);
  });

  it("verifies the endpoint's certificate through the tunnel: untrusted is a fatal failure", async () => {
    const result = await callThrough(`https://localhost:${httpsPort}`, { https_proxy: proxyUrl }, false);
    expect(!result.ok && result.error.kind).toBe("fatal");
    expect(seen).toEqual([`CONNECT localhost:${httpsPort}`]);
  });

  it.each([
    ["localhost", "NO_PROXY"],
    [".localhost:PORT", "no_proxy"],
    ["*", "NO_PROXY"],
  ])("goes direct when NO_PROXY=%s (as %s) names the endpoint", async (noProxy, name) => {
    const value = noProxy.replace("PORT", String(httpsPort));
    const result = await callThrough(`https://localhost:${httpsPort}`, { HTTPS_PROXY: proxyUrl, [name]: value });
    expect(result.ok).toBe(true);
    expect(seen).toEqual([]);
  });

  it("still uses the proxy when NO_PROXY names other hosts", async () => {
    const result = await callThrough(`https://localhost:${httpsPort}`, {
      HTTPS_PROXY: proxyUrl,
      NO_PROXY: "example.com,127.0.0.1",
    });
    expect(result.ok).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it("reaches an http:// endpoint through HTTP_PROXY, and not through HTTPS_PROXY", async () => {
    const endpoint = `http://127.0.0.1:${httpPort}`;
    const proxied = await callThrough(endpoint, { HTTP_PROXY: proxyUrl });
    expect(proxied.ok).toBe(true);
    expect(seen).toEqual([`CONNECT 127.0.0.1:${httpPort}`]);
    const direct = await callThrough(endpoint, { HTTPS_PROXY: proxyUrl });
    expect(direct.ok).toBe(true);
    expect(seen).toEqual([]);
  });
});
