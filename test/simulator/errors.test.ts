import { request } from "undici";
import { describe, expect, it } from "vitest";
import { DEMO_SECRET_ID, DEMO_SECRET_KEY } from "../../src/simulator/index.js";
import { canonicalRequest, sha256Hex, signatureOf, stringToSign, utcDate } from "../../src/tencent/signing.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";
import { buildRequest, dispatcher, errorCode, fakeClock, JOB, OTHER_JOB, post } from "./helpers.js";

async function sendRaw(url: string, headers: Record<string, string>, body: string): Promise<string | undefined> {
  const response = await request(url, { method: "POST", headers, body, dispatcher });
  const json = (await response.body.json()) as { Response: { Error?: { Code: string } } };
  return json.Response.Error?.Code;
}

const start = simulatorsClosedAfterEach({ scenario: "pass", stepMs: 10 });

describe("answers and error envelopes", () => {
  it("answers a good request with Date, Content-Type and a uuid RequestId", async () => {
    const clock = fakeClock();
    const { url } = await start({ now: clock.now, clockOffsetSec: 0 });
    const answer = await post(url, { timestamp: clock.seconds() });
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/json");
    expect(answer.headers.date).toBe(new Date(clock.now()).toUTCString());
    expect(answer.json.Response.RequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(answer.json.Response.Status).toBe("running");
    expect(answer.json.Response.Error).toBeUndefined();
  });

  it("uses the Tencent envelope with HTTP 200 for errors", async () => {
    const { url } = await start();
    const answer = await post(url, { secretKey: "nope" });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.json.Response)).toEqual(["Error", "RequestId"]);
    expect(Object.keys(answer.json.Response.Error)).toEqual(["Code", "Message"]);
    expect(answer.json.Response.Error.Code).toBe("AuthFailure.SignatureFailure");
    expect(answer.json.Response.Error.Message.length).toBeGreaterThan(5);
  });

  it.each([
    ["missing Authorization", { authorization: null }],
    ["malformed Authorization", { authorization: "Bearer abc" }],
    ["wrong secret key", { secretKey: "wrongKey" }],
    ["service neither dts nor the host's first label", { service: "cvm" }],
    ["host signed with the wrong name", { signedHost: "dts.tencentcloudapi.com" }],
  ] as const)("AuthFailure.SignatureFailure: %s", async (_name, options) => {
    const { url } = await start();
    expect(await errorCode(url, options)).toBe("AuthFailure.SignatureFailure");
  });

  it("AuthFailure.SignatureFailure when the body is not the one signed", async () => {
    const { url } = await start();
    const signed = buildRequest(url, { body: { JobId: JOB } });
    expect(await sendRaw(url, signed.headers, signed.payload)).toBeUndefined();
    expect(await sendRaw(url, signed.headers, JSON.stringify({ JobId: OTHER_JOB }))).toBe(
      "AuthFailure.SignatureFailure",
    );
  });

  it("AuthFailure.SignatureFailure when the credential date is not the timestamp's UTC date", async () => {
    const { url } = await start();
    const ts = Math.floor(Date.now() / 1000);
    const good = buildRequest(url, { timestamp: ts });
    const today = new Date(ts * 1000).toISOString().slice(0, 10);
    const authorization = (good.headers.Authorization ?? "").replace(today, "2001-01-01");
    expect(authorization).toContain("2001-01-01");
    expect(await errorCode(url, { timestamp: ts, authorization })).toBe("AuthFailure.SignatureFailure");
  });

  it("AuthFailure.SignatureFailure when content-type or host is not signed", async () => {
    const { url } = await start();
    const ts = Math.floor(Date.now() / 1000);
    const good = buildRequest(url, { timestamp: ts });
    const authorization = (good.headers.Authorization ?? "").replace(
      "SignedHeaders=content-type;host",
      "SignedHeaders=host",
    );
    expect(authorization).toContain("SignedHeaders=host,");
    expect(await errorCode(url, { timestamp: ts, authorization })).toBe("AuthFailure.SignatureFailure");
  });

  it("accepts service dts and the host's first label, as the official SDK signs", async () => {
    const { url } = await start();
    expect(new URL(url).hostname).toBe("127.0.0.1");
    expect(await errorCode(url, { service: "dts" })).toBeUndefined();
    expect(await errorCode(url, { service: "127" })).toBeUndefined();
    expect(await errorCode(url, { service: "128" })).toBe("AuthFailure.SignatureFailure");
    // The host is signed without the port, whatever the Host header carries.
    expect(await errorCode(url, { signedHost: new URL(url).host })).toBe("AuthFailure.SignatureFailure");
  });

  it("verifies extra signed headers generically", async () => {
    const { url } = await start();
    const ts = Math.floor(Date.now() / 1000);
    const payload = JSON.stringify({ JobId: JOB });
    const headers = new Map([
      ["content-type", "application/json"],
      ["host", "127.0.0.1"],
      ["x-tc-action", "describemigrationcheckjob"],
    ]);
    const { text, signedHeaders } = canonicalRequest({
      method: "POST",
      path: "/",
      query: "",
      headers,
      payloadHash: sha256Hex(payload),
    });
    const scope = `${utcDate(ts)}/dts/tc3_request`;
    const signature = signatureOf(DEMO_SECRET_KEY, utcDate(ts), "dts", stringToSign(ts, scope, text));
    const authorization = `TC3-HMAC-SHA256 Credential=${DEMO_SECRET_ID}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    // The action header's value is lowercase in what was signed: the exact header must match.
    expect(
      await errorCode(url, {
        timestamp: ts,
        authorization,
        action: "DescribeMigrationCheckJob",
        body: payload,
      }),
    ).toBe("AuthFailure.SignatureFailure");
    const accepted = await post(url, {
      timestamp: ts,
      authorization,
      action: "DescribeMigrationCheckJob",
      body: payload,
      headers: { "X-TC-Action": "describemigrationcheckjob" },
    });
    // Signature good; then the (lowercased) action is unknown.
    expect(accepted.json.Response.Error.Code).toBe("InvalidAction");
  });

  it("AuthFailure.SecretIdNotFound for an unknown SecretId", async () => {
    const { url } = await start();
    expect(await errorCode(url, { secretId: "AKIDsomeoneElse" })).toBe("AuthFailure.SecretIdNotFound");
  });

  it("accepts only the configured credentials", async () => {
    const { url } = await start({ secretId: "AKIDmine", secretKey: "myKey" });
    expect(await errorCode(url, { secretId: "AKIDmine", secretKey: "myKey" })).toBeUndefined();
    expect(await errorCode(url)).toBe("AuthFailure.SecretIdNotFound");
    expect(await errorCode(url, { secretId: "AKIDmine" })).toBe("AuthFailure.SignatureFailure");
  });

  it("AuthFailure.SignatureExpire beyond 300 s, measured on the simulator clock incl. offset", async () => {
    const clock = fakeClock();
    const { url } = await start({ now: clock.now });
    const ts = clock.seconds();
    expect(await errorCode(url, { timestamp: ts - 300 })).toBeUndefined();
    expect(await errorCode(url, { timestamp: ts + 300 })).toBeUndefined();
    expect(await errorCode(url, { timestamp: ts - 301 })).toBe("AuthFailure.SignatureExpire");
    expect(await errorCode(url, { timestamp: ts + 301 })).toBe("AuthFailure.SignatureExpire");
  });

  it("clock offset: a request signed now is expired, and the Date header shows the simulator clock", async () => {
    const { url } = await start({ clockOffsetSec: 3600 });
    const answer = await post(url);
    expect(answer.json.Response.Error.Code).toBe("AuthFailure.SignatureExpire");
    const serverMs = Date.parse(String(answer.headers.date));
    expect(serverMs - Date.now()).toBeGreaterThan(3590_000);
    expect(serverMs - Date.now()).toBeLessThan(3610_000);
    // Signing with the server's clock mends it.
    expect(await errorCode(url, { timestamp: Math.floor(serverMs / 1000) })).toBeUndefined();
  });

  it("MissingParameter: no X-TC-Action, no X-TC-Timestamp, no X-TC-Version, no JobId", async () => {
    const { url } = await start();
    expect(await errorCode(url, { action: null })).toBe("MissingParameter");
    expect(await errorCode(url, { body: {} })).toBe("MissingParameter");
    expect(await errorCode(url, { version: null })).toBe("MissingParameter");
    const { headers, payload } = buildRequest(url);
    delete headers["X-TC-Timestamp"];
    expect(await sendRaw(url, headers, payload)).toBe("MissingParameter");
  });

  it("InvalidParameterValue: bad JobId, bad version, body not a JSON object", async () => {
    const { url } = await start();
    expect(await errorCode(url, { body: { JobId: "job-1" } })).toBe("InvalidParameterValue");
    expect(await errorCode(url, { body: { JobId: 12345678 } })).toBe("InvalidParameterValue");
    expect(await errorCode(url, { version: "2018-03-30" })).toBe("InvalidParameterValue");
    expect(await errorCode(url, { body: [{ JobId: JOB }] })).toBe("InvalidParameterValue");
    expect(await errorCode(url, { body: "{not json" })).toBe("InvalidParameterValue");
    expect(await errorCode(url, { body: "" })).toBe("InvalidParameterValue");
    expect(await errorCode(url, { body: "null" })).toBe("InvalidParameterValue");
  });

  it("InvalidAction for an unknown action", async () => {
    const { url } = await start();
    expect(await errorCode(url, { action: "DescribeInstances" })).toBe("InvalidAction");
  });

  it("ResourceNotFound for a job outside `jobs`", async () => {
    const { url } = await start({ jobs: { [JOB]: "pass" } });
    expect(await errorCode(url, { body: { JobId: JOB } })).toBeUndefined();
    expect(await errorCode(url, { body: { JobId: OTHER_JOB } })).toBe("ResourceNotFound");
  });

  it("records every request with its action, job and code", async () => {
    const clock = fakeClock();
    const s = await start({ now: clock.now });
    await post(s.url, { timestamp: clock.seconds() });
    clock.advance(1500);
    await post(s.url, { timestamp: clock.seconds(), secretKey: "bad", body: { JobId: OTHER_JOB } });
    await post(s.url, { timestamp: clock.seconds(), action: null });
    expect(s.arrivals).toEqual([
      { atMs: clock.now() - 1500, action: "DescribeMigrationCheckJob", jobId: JOB },
      {
        atMs: clock.now(),
        action: "DescribeMigrationCheckJob",
        jobId: OTHER_JOB,
        code: "AuthFailure.SignatureFailure",
      },
      { atMs: clock.now(), action: "", jobId: JOB, code: "MissingParameter" },
    ]);
  });

  it("keeps at most logLimit arrivals, dropping the oldest", async () => {
    const s = await start({ logLimit: 2 });
    await post(s.url, { body: { JobId: "dts-aaaaaaa1" } });
    await post(s.url, { body: { JobId: "dts-aaaaaaa2" } });
    await post(s.url, { body: { JobId: "dts-aaaaaaa3" } });
    expect(s.arrivals.map((a) => a.jobId)).toEqual(["dts-aaaaaaa2", "dts-aaaaaaa3"]);
  });
});
