import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";
import { errorCode, fakeClock, JOB, post, until } from "./helpers.js";

// The limits a gateway puts before any check: the rate per action and second, the method, the body size.

const start = simulatorsClosedAfterEach({ scenario: "pass", stepMs: 10 });

describe("rate limit by arrival second", () => {
  it("answers RequestLimitExceeded beyond `rate` per action in one second of the simulator clock", async () => {
    const clock = fakeClock(Date.UTC(2026, 0, 15, 8, 0, 0) + 100);
    const s = await start({ now: clock.now, rate: 3 });
    const ts = clock.seconds();
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++) codes.push(await errorCode(s.url, { timestamp: ts }));
    expect(codes).toEqual([undefined, undefined, undefined, "RequestLimitExceeded", "RequestLimitExceeded"]);
    // Another action has its own budget.
    expect(await errorCode(s.url, { timestamp: ts, action: "CreateMigrateCheckJob" })).toBeUndefined();
    // Still the same second (.999): refused; the next second starts afresh.
    clock.advance(899);
    expect(await errorCode(s.url, { timestamp: ts })).toBe("RequestLimitExceeded");
    clock.advance(1);
    expect(await errorCode(s.url, { timestamp: ts })).toBeUndefined();
    // Throttled before authentication: even a badly signed request counts and is throttled.
    for (let i = 0; i < 2; i++) await post(s.url, { timestamp: ts });
    expect(await errorCode(s.url, { timestamp: ts, secretKey: "bad" })).toBe("RequestLimitExceeded");
    const perSecond = new Map<number, number>();
    for (const a of s.arrivals.filter((x) => x.action === "DescribeMigrationCheckJob" && x.code === undefined)) {
      const sec = Math.floor(a.atMs / 1000);
      perSecond.set(sec, (perSecond.get(sec) ?? 0) + 1);
    }
    expect([...perSecond.values()]).toEqual([3, 3]);
  });

  it("defaults to 20 per second", async () => {
    const clock = fakeClock();
    const s = await start({ now: clock.now });
    const answers = await Promise.all(
      Array.from({ length: 22 }, () => errorCode(s.url, { timestamp: clock.seconds() })),
    );
    expect(answers.filter((c) => c === undefined)).toHaveLength(20);
    expect(answers.filter((c) => c === "RequestLimitExceeded")).toHaveLength(2);
  });
});

describe("robustness", () => {
  it("answers GET with 405 and an error envelope", async () => {
    const { url } = await start();
    const answer = await post(url, { method: "GET" });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe("POST");
    expect(answer.json.Response.Error.Code).toBe("UnsupportedOperation");
  });

  it("refuses a body over 64 KiB without buffering it, and keeps serving", async () => {
    const { url } = await start();
    const big = JSON.stringify({ JobId: JOB, Pad: "x".repeat(70 * 1024) });
    const answer = await post(url, { body: big });
    expect(answer.json.Response.Error.Code).toBe("RequestSizeLimitExceeded");
    // Chunked (no Content-Length) too.
    const chunked = await new Promise<string>((resolve) => {
      const req = httpRequest(
        url,
        { method: "POST", agent: false, headers: { "X-TC-Action": "DescribeMigrationCheckJob" } },
        (res) => {
          let text = "";
          res.on("data", (c) => {
            text += c;
          });
          res.on("end", () => resolve(text));
          res.on("error", () => resolve(text));
        },
      );
      req.on("error", () => resolve("error"));
      for (let i = 0; i < 100; i++) req.write("x".repeat(1024));
      req.end();
    });
    expect(JSON.parse(chunked).Response.Error.Code).toBe("RequestSizeLimitExceeded");
    expect(await errorCode(url)).toBeUndefined();
  });

  it("survives huge headers, garbage, and clients that abort mid-body", async () => {
    const s = await start();
    const { url } = s;
    const huge = await post(url, { headers: { "X-Huge": "y".repeat(64 * 1024) } });
    expect(huge.status).toBe(431);
    const { port } = new URL(url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.write("NOT HTTP AT ALL\r\n\r\n");
      });
      socket.on("data", () => {});
      socket.on("error", () => resolve());
      socket.on("close", () => resolve());
    });
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.write(
          'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\nX-TC-Action: StartMigrateJob\r\n\r\n{"Jo',
        );
        // Aborted once the simulator has the headers and is waiting for the rest of the body.
        void until(() => s.arrivals.length === 1).then(() => {
          socket.destroy();
          resolve();
        });
      });
      socket.on("error", () => resolve());
    });
    expect(s.arrivals.map((a) => a.action)).toEqual(["StartMigrateJob"]);
    expect(await errorCode(url)).toBeUndefined();
  });
});
