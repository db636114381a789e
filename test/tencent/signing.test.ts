import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  canonicalRequest,
  parseAuthorization,
  sha256Hex,
  signatureOf,
  signTc3,
  stringToSign,
  utcDate,
} from "../../src/tencent/signing.js";
import { seededRandom } from "../helpers/random.js";

const require = createRequire(import.meta.url);
const officialSign = (
  require("tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js") as {
    default: { sign3(input: Record<string, unknown>): string };
  }
).default;

describe("TC3-HMAC-SHA256", () => {
  it("reproduces the official test vector step by step", () => {
    const payload = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
    const payloadHash = sha256Hex(payload);
    expect(payloadHash).toBe("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
    const { text } = canonicalRequest({
      method: "POST",
      path: "/",
      query: "",
      headers: new Map([
        ["content-type", "application/json; charset=utf-8"],
        ["host", "cvm.tencentcloudapi.com"],
      ]),
      payloadHash,
    });
    expect(sha256Hex(text)).toBe("5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
    const date = utcDate(1551113065);
    expect(date).toBe("2019-02-25");
    const signature = signatureOf(
      "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
      date,
      "cvm",
      stringToSign(1551113065, `${date}/cvm/tc3_request`, text),
    );
    expect(signature).toBe("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
  });

  it("produces the official vector's Authorization header in one call", () => {
    const { authorization } = signTc3({
      secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
      secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
      service: "cvm",
      host: "cvm.tencentcloudapi.com",
      contentType: "application/json; charset=utf-8",
      timestampSeconds: 1551113065,
      payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
    });
    expect(authorization).toBe(
      "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
    );
  });

  it("agrees with the official SDK's signer on 1,000 generated requests", () => {
    const next = seededRandom(0x2f6b_91c3);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
    const text = (length: number) => Array.from({ length }, () => pick([...'abcXYZ019-_./ 中文é"\\\n\t{}'])).join("");
    const hosts = [
      "dts.tencentcloudapi.com",
      "dts.ap-guangzhou.tencentcloudapi.com",
      "127.0.0.1",
      "localhost",
      "[::1]",
    ];
    let compared = 0;
    for (let i = 0; i < 1000; i++) {
      const host = pick(hosts);
      const port = next() < 0.5 ? "" : `:${1 + Math.floor(next() * 65535)}`;
      const url = `${pick(["https", "http"])}://${host}${port}/`;
      const params: Record<string, unknown> = { JobId: `dts-${text(8)}` };
      if (next() < 0.5) params.Extra = text(Math.floor(next() * 40));
      if (next() < 0.3) params.Numbers = [Math.floor(next() * 1e6), next() < 0.5];
      const payload = JSON.stringify(params);
      const input = {
        secretId: `AKID${text(12)}`,
        secretKey: text(1 + Math.floor(next() * 40)),
        service: pick(["dts", "cvm", "127"]),
        timestampSeconds: Math.floor(next() * 4_000_000_000),
        contentType: pick(["application/json", "application/json; charset=utf-8"]),
      };
      const ours = signTc3({ ...input, host: new URL(url).hostname, payload });
      const theirs = officialSign.sign3({
        method: "POST",
        url,
        payload: params,
        timestamp: input.timestampSeconds,
        service: input.service,
        secretId: input.secretId,
        secretKey: input.secretKey,
        multipart: false,
        headers: { "Content-Type": input.contentType },
      });
      expect(ours.authorization, `case ${i}: ${url} ${payload} at ${input.timestampSeconds}`).toBe(theirs);
      compared++;
    }
    expect(compared).toBe(1000);
  });

  it("signs like the official SDK when only the day, the service or the key changes between requests", () => {
    // One signing key is reused while key, day and service stay the same: each change must show.
    const sequence = [
      { secretKey: "keyA", service: "dts", timestampSeconds: 1_700_000_000 },
      { secretKey: "keyA", service: "dts", timestampSeconds: 1_700_000_001 },
      { secretKey: "keyA", service: "dts", timestampSeconds: 1_700_086_400 },
      { secretKey: "keyA", service: "sts", timestampSeconds: 1_700_086_400 },
      { secretKey: "keyB", service: "sts", timestampSeconds: 1_700_086_400 },
      { secretKey: "keyA", service: "dts", timestampSeconds: 1_700_000_000 },
    ];
    for (const [i, step] of sequence.entries()) {
      const ours = signTc3({
        ...step,
        secretId: "AKIDexample",
        host: "dts.tencentcloudapi.com",
        contentType: "application/json",
        payload: '{"JobId":"dts-1ewjspuw"}',
      });
      const theirs = officialSign.sign3({
        method: "POST",
        url: "https://dts.tencentcloudapi.com/",
        payload: { JobId: "dts-1ewjspuw" },
        timestamp: step.timestampSeconds,
        service: step.service,
        secretId: "AKIDexample",
        secretKey: step.secretKey,
        multipart: false,
        headers: { "Content-Type": "application/json" },
      });
      expect(ours.authorization, `step ${i}`).toBe(theirs);
    }
  });

  it("parses what it signs and rejects other schemes", () => {
    const { authorization, signature } = signTc3({
      secretId: "AKIDexample",
      secretKey: "key",
      service: "dts",
      host: "dts.tencentcloudapi.com",
      contentType: "application/json",
      timestampSeconds: 1_700_000_000,
      payload: "{}",
    });
    expect(parseAuthorization(authorization)).toEqual({
      secretId: "AKIDexample",
      date: "2023-11-14",
      service: "dts",
      signedHeaders: ["content-type", "host"],
      signature,
    });
    expect(parseAuthorization("Basic dXNlcjpwYXNz")).toBeUndefined();
    expect(parseAuthorization(authorization.replace(/Signature=\w+/, "Signature=xyz"))).toBeUndefined();
  });
});
