import { createServer, type IncomingHttpHeaders, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createDtsClient, type DtsClient } from "../../src/tencent/client.js";
import { Credentials } from "../../src/tencent/credentials.js";
import { parseAuthorization } from "../../src/tencent/signing.js";

const JOB = "dts-1ewjspuw";
const keys = new Credentials("AKIDtransport", "transport-key");
const ANSWER = JSON.stringify({ Response: { Status: "running", CheckFlag: "", StepInfo: [], RequestId: "r-1" } });
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A node:http server on loopback, closed (its sockets too) after the test. */
async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(endpoint: string, options: Partial<Parameters<typeof createDtsClient>[0]> = {}): DtsClient {
  const made = createDtsClient({ endpoint, credentials: keys, requestTimeoutMs: 2_000, ...options });
  cleanups.push(() => made.close());
  return made;
}

const describeJob = (dts: DtsClient, signal?: AbortSignal) =>
  dts.call("DescribeMigrationCheckJob", { JobId: JOB }, signal ? { signal } : {});

describe("the whole-request bound", () => {
  /** Headers at once, then the body one byte per 100 ms: undici's bodyTimeout never fires. */
  async function drippingServer(totalBytes: number) {
    const drip = { sent: 0, clientLeft: false };
    const url = await serve((request, response) => {
      request.resume();
      response.writeHead(200, { "content-type": "application/json", "content-length": totalBytes });
      response.flushHeaders();
      const timer = setInterval(() => {
        response.write(" ");
        if (++drip.sent === totalBytes) {
          clearInterval(timer);
          response.end();
        }
      }, 100);
      response.once("close", () => {
        clearInterval(timer);
        drip.clientLeft = drip.sent < totalBytes;
      });
    });
    return { url, drip };
  }

  it("cuts a body dripped a byte every 100 ms at requestTimeoutMs 500: RequestTimeout, maybe applied", async () => {
    const { url, drip } = await drippingServer(40);
    const started = performance.now();
    const result = await describeJob(client(url, { requestTimeoutMs: 500 }));
    const elapsed = performance.now() - started;
    console.log(`drip of 40 bytes over 4 s, bound 500 ms: the call ended after ${elapsed.toFixed(0)} ms`);
    expect(!result.ok && [result.error.kind, result.error.code, result.error.maybeApplied]).toEqual([
      "transient",
      "RequestTimeout",
      true,
    ]);
    // Ended by the client mid-drip: about 5 of the 40 bytes had been sent.
    await expect.poll(() => drip.clientLeft).toBe(true);
    expect(drip.sent).toBeLessThan(40);
  });

  it("a caller's abort during the drip is Aborted, not a timeout", async () => {
    const { url, drip } = await drippingServer(40);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await describeJob(client(url, { requestTimeoutMs: 5_000 }), controller.signal);
    expect(!result.ok && [result.error.kind, result.error.code]).toEqual(["fatal", "Aborted"]);
    await expect.poll(() => drip.clientLeft).toBe(true);
  });

  it("a body over 4 MiB is cut and retryable", async () => {
    let written = 0;
    const url = await serve((request, response) => {
      request.resume();
      response.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (written < 16 * 1024 * 1024 && !response.destroyed) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once("drain", pump);
        }
        response.end();
      };
      pump();
    });
    const result = await describeJob(client(url));
    expect(!result.ok && [result.error.kind, result.error.code]).toEqual(["transient", "NetworkError"]);
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });
});

describe("answers over loopback", () => {
  it.each([
    ["429", 429, "throttled", "7", 7_000],
    ["503", 503, "transient", "Thu, 01 Jan 2026 00:00:30 GMT", 30_000],
  ] as const)("HTTP %s with Retry-After is %s and carries it", async (_name, status, kind, retryAfter, expectedMs) => {
    const url = await serve((request, response) => {
      request.resume();
      response.writeHead(status, {
        "retry-after": retryAfter,
        date: "Thu, 01 Jan 2026 00:00:00 GMT",
        "content-type": "text/html",
      });
      response.end("<html>slow down</html>");
    });
    const result = await describeJob(client(url));
    expect(!result.ok && [result.error.kind, result.error.httpStatus, result.error.retryAfterMs]).toEqual([
      kind,
      status,
      expectedMs,
    ]);
  });

  it("ECONNREFUSED is transient and surely not sent", async () => {
    const url = await serve(() => {});
    await cleanups.pop()?.();
    const result = await describeJob(client(url));
    expect(!result.ok && [result.error.kind, result.error.code, result.error.maybeApplied]).toEqual([
      "transient",
      "NetworkError",
      false,
    ]);
    expect(!result.ok && result.error.message).toMatch(/ECONNREFUSED/);
  });

  describe("headers", () => {
    async function headersSent(options: Partial<Parameters<typeof createDtsClient>[0]>) {
      const seen: IncomingHttpHeaders[] = [];
      const url = await serve((request, response) => {
        seen.push(request.headers);
        request.resume();
        response.writeHead(200, { "content-type": "application/json" }).end(ANSWER);
      });
      const result = await describeJob(client(url, options));
      expect(result.ok).toBe(true);
      expect(seen).toHaveLength(1);
      const headers = seen[0] as IncomingHttpHeaders;
      expect(parseAuthorization(String(headers.authorization))?.secretId).toBe(
        (options.credentials as Credentials | undefined)?.secretId ?? keys.secretId,
      );
      return headers;
    }

    it("sends X-TC-Region when a region is given, and none without", async () => {
      expect((await headersSent({ region: "ap-guangzhou" }))["x-tc-region"]).toBe("ap-guangzhou");
      expect(await headersSent({})).not.toHaveProperty("x-tc-region");
    });

    it("sends X-TC-Token when the credentials have a token, and none without", async () => {
      const temporary = new Credentials("AKIDtemporary", "temporary-key", "session-token");
      expect((await headersSent({ credentials: temporary }))["x-tc-token"]).toBe("session-token");
      expect(await headersSent({})).not.toHaveProperty("x-tc-token");
    });
  });
});
