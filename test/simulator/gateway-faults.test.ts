import { request as httpRequest } from "node:http";
import { describe, expect, it } from "vitest";
import { type FaultRule, parseFaultSpec } from "../../src/simulator/index.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";
import { buildRequest, JOB, post, rawPost } from "./helpers.js";

// The faults a gateway in front of the API shows: 429/503 with Retry-After, and a body that drips.

const start = simulatorsClosedAfterEach({ scenario: "pass", stepMs: 0, createLagMs: 0 });

/** Posts and reports every chunk of the answer's body as it came, and whether the body ended normally. */
function chunkedPost(url: string, action: string) {
  const { payload, headers } = buildRequest(url, { action });
  return new Promise<{ headers: Record<string, unknown>; chunks: Buffer[]; complete: boolean }>((resolve, reject) => {
    const req = httpRequest(url, { method: "POST", headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", () => {});
      res.on("close", () => resolve({ headers: res.headers, chunks, complete: res.complete }));
    });
    req.on("error", reject);
    req.end(payload);
  });
}

describe("http429 and http503: refusals with Retry-After", () => {
  it.each([
    ["http429", 429, "429 Too Many Requests"],
    ["http503", 503, "503 Service Temporarily Unavailable"],
  ] as const)(
    "%s: HTTP %i, an HTML page, Retry-After 2 by default, the action not applied",
    async (kind, status, title) => {
      const s = await start({ faults: [{ kind, action: "StartMigrateJob" }] });
      const answer = await post(s.url, { action: "StartMigrateJob" });
      expect(answer.status).toBe(status);
      expect(answer.headers["retry-after"]).toBe("2");
      expect(answer.headers["content-type"]).toBe("text/html");
      expect(answer.text).toContain(`<title>${title}</title>`);
      expect(s.startCount(JOB)).toBe(0);
      expect(s.arrivals.map((a) => a.code)).toEqual([kind]);
      // Refused, not applied: the next start goes through.
      expect((await post(s.url, { action: "StartMigrateJob" })).json.Response.Error).toBeUndefined();
      expect(s.startCount(JOB)).toBe(1);
    },
  );

  it("carries the rule's retryAfter, from a rule and from a spec", async () => {
    const s = await start({ faults: [{ kind: "http503", retryAfter: 7 }, parseFaultSpec("http429~0")] });
    expect((await post(s.url)).headers["retry-after"]).toBe("7");
    const second = await post(s.url);
    expect([second.status, second.headers["retry-after"]]).toEqual([429, "0"]);
  });
});

describe("slowBody: the normal answer, dripped", () => {
  it("applies the action and sends the full body one byte at a time under its full Content-Length", async () => {
    const s = await start({ faults: [{ kind: "slowBody", dripMs: 2, action: "StartMigrateJob" }] });
    const answer = await chunkedPost(s.url, "StartMigrateJob");
    const body = Buffer.concat(answer.chunks);
    expect(answer.complete).toBe(true);
    expect(Number(answer.headers["content-length"])).toBe(body.length);
    expect(JSON.parse(body.toString()).Response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    // Bytes written 2 ms apart do not all arrive in one chunk (a body sent whole would).
    expect(answer.chunks.length).toBeGreaterThan(1);
    expect(s.startCount(JOB)).toBe(1);
    expect(s.arrivals.map((a) => a.code)).toEqual(["slowBody"]);
  });

  it("close() ends a drip that would take minutes (a Describe answer at 100 ms a byte)", async () => {
    const s = await start({ faults: [parseFaultSpec("slowBody")] });
    let gotHeaders!: () => void;
    const headersIn = new Promise<void>((resolve) => {
      gotHeaders = resolve;
    });
    const { payload, headers } = buildRequest(s.url);
    const outcome = new Promise<{ complete: boolean; declared: number; received: number }>((resolve) => {
      const req = httpRequest(s.url, { method: "POST", headers, agent: false }, (res) => {
        gotHeaders();
        let received = 0;
        res.on("data", (chunk: Buffer) => {
          received += chunk.length;
        });
        res.on("error", () => {});
        res.on("close", () =>
          resolve({ complete: res.complete, declared: Number(res.headers["content-length"]), received }),
        );
      });
      req.on("error", () => {});
      req.end(payload);
    });
    await headersIn;
    // A close() that waited for the drip would fail the test by its timeout.
    await s.close();
    const { complete, declared, received } = await outcome;
    expect(complete).toBe(false);
    expect(declared).toBeGreaterThan(1000);
    expect(received).toBeLessThan(declared);
  });
});

describe("fault specs and rules with a parameter", () => {
  it.each([
    ["http429~3", { kind: "http429", retryAfter: 3 }],
    ["http503", { kind: "http503" }],
    ["slowBody~50:dts-1ewjspuw@1x2", { kind: "slowBody", dripMs: 50, jobId: "dts-1ewjspuw", after: 1, count: 2 }],
    ["slowBodyx*", { kind: "slowBody", count: Number.POSITIVE_INFINITY }],
  ])("%s", (spec, rule) => {
    expect(parseFaultSpec(spec)).toEqual(rule);
  });

  it.each([
    ["throttle~3", /throttle takes no ~N/],
    ["http429~", /~N "" is not a whole number/],
    ["http429~-1", /~N "-1"/],
    ["slowBody~0", /dripMs must be whole ms from 1/],
    ["http503~86401", /retryAfter must be whole seconds/],
  ])("refuses %j", (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(message);
    expect(() => parseFaultSpec(spec)).toThrow("KIND[~N][:JOB_ID][@AFTER][xCOUNT]");
  });

  it("refuses a parameter on a kind without one, or out of range, given programmatically", async () => {
    const s = await start();
    const bad: FaultRule[] = [
      { kind: "reset", retryAfter: 1 },
      { kind: "http429", dripMs: 5 },
      { kind: "slowBody", dripMs: 1.5 },
      { kind: "http503", retryAfter: -1 },
    ];
    for (const rule of bad) expect(() => s.injectFault(rule)).toThrow(/takes no|must be/);
  });

  it("answers a slowBody answer normally once its count is used up", async () => {
    const s = await start({ faults: [{ kind: "slowBody", dripMs: 1 }] });
    await rawPost(s.url, { action: "CreateMigrateCheckJob" });
    const next = await post(s.url);
    expect(next.json.Response.CheckFlag).toBe("checkPass");
    expect(s.arrivals.map((a) => a.code)).toEqual(["slowBody", undefined]);
  });
});
