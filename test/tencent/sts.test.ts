import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { Credentials } from "../../src/tencent/credentials.js";
import { ApiError, ConfigError } from "../../src/tencent/errors.js";
import {
  assumeRole,
  assumeRoleWithWebIdentity,
  checkRoleArn,
  readStsCredentials,
  stsEndpoint,
  toSessionName,
} from "../../src/tencent/sts.js";
import { propertyOptions } from "../helpers/property.js";

const ROLE = "qcs::cam::uin/100000000001:roleName/dts-gate-ci";
const GOOD = { Credentials: { TmpSecretId: "AKIDtmp", TmpSecretKey: "k", Token: "t" }, ExpiredTime: 1_800_000_900 };

let close: (() => void) | undefined;
afterEach(() => {
  close?.();
  close = undefined;
});

/** An STS stand-in answering the n-th request with `answers[n]` (the last repeats). */
async function scripted(answers: readonly { status?: number; headers?: Record<string, string>; response: unknown }[]) {
  let n = 0;
  const timestamps: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    timestamps.push(String(req.headers["x-tc-timestamp"]));
    const answer = answers[Math.min(n++, answers.length - 1)];
    res.writeHead(answer?.status ?? 200, { "content-type": "application/json", ...answer?.headers });
    res.end(JSON.stringify({ Response: answer?.response }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  close = () => {
    server.closeAllConnections();
    server.close();
  };
  const slept: number[] = [];
  const options = {
    endpoint: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    sleep: async (ms: number) => {
      slept.push(ms);
    },
  };
  return { options, slept, timestamps, sent: () => n };
}

const throttled = { response: { Error: { Code: "RequestLimitExceeded", Message: "slow down" }, RequestId: "r" } };
const keys = new Credentials("AKIDlong", "long-key");

describe("STS calls", () => {
  it("retries throttling and unavailability, at most three sends, honouring Retry-After", async () => {
    const sts = await scripted([
      throttled,
      {
        status: 503,
        headers: { "retry-after": "4" },
        response: { Error: { Code: "ResourceUnavailable", Message: "busy" }, RequestId: "r" },
      },
      { response: { ...GOOD, RequestId: "r" } },
    ]);
    const issued = await assumeRole(sts.options, keys, { roleArn: ROLE, sessionName: "s" });
    expect([issued.secretId, issued.expiresAtMs]).toEqual(["AKIDtmp", 1_800_000_900_000]);
    expect(sts.slept).toEqual([1_000, 4_000]);
  });

  it("throttled three times is fatal, saying STS is throttled or unavailable", async () => {
    const sts = await scripted([throttled]);
    const request = { roleArn: ROLE, sessionName: "s", providerId: "p", webIdentityToken: "t" };
    const failed = await assumeRoleWithWebIdentity(sts.options, request).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ApiError);
    expect(failed).toMatchObject({ kind: "fatal", code: "RequestLimitExceeded" });
    expect((failed as Error).message).toMatch(/after 3 attempts: STS is throttled or unavailable, try again later/);
    expect(sts.sent()).toBe(3);
  });

  it("an answer without credentials is retried, then fatal", async () => {
    const sts = await scripted([{ response: { RequestId: "r" } }]);
    await expect(assumeRole(sts.options, keys, { roleArn: ROLE, sessionName: "s" })).rejects.toMatchObject({
      kind: "fatal",
      code: "InvalidResponse",
    });
    expect(sts.sent()).toBe(3);
  });

  it("signs again with the server's clock after AuthFailure.SignatureExpire", async () => {
    const serverDate = "Sun, 15 Jan 2040 08:00:00 GMT";
    const sts = await scripted([
      {
        headers: { date: serverDate },
        response: { Error: { Code: "AuthFailure.SignatureExpire", Message: "expired" }, RequestId: "r" },
      },
      { response: { ...GOOD, RequestId: "r" } },
    ]);
    await assumeRole(sts.options, keys, { roleArn: ROLE, sessionName: "s" });
    const [, second] = sts.timestamps;
    expect(Math.abs(Number(second) * 1000 - Date.parse(serverDate))).toBeLessThan(60_000);
    expect(sts.slept).toEqual([]);
  });

  it("a refused role says to check the ARN and its trust policy, without retrying", async () => {
    const sts = await scripted([
      { response: { Error: { Code: "ResourceNotFound.RoleNotExist", Message: "no" }, RequestId: "r" } },
    ]);
    await expect(assumeRole(sts.options, keys, { roleArn: ROLE, sessionName: "s" })).rejects.toThrow(
      `STS AssumeRole for ${ROLE} failed (ResourceNotFound.RoleNotExist: no): check the role ARN and that its trust policy allows the caller`,
    );
    expect(sts.sent()).toBe(1);
  });
});

describe("readStsCredentials", () => {
  it("property: any answer gives credentials expiring at ExpiredTime, or an InvalidResponse ApiError", () => {
    // Weighted towards the near misses: empty strings, and every field but one right.
    const text = fc.oneof(fc.constant(""), fc.string({ maxLength: 4 }));
    const field = fc.oneof(text, text, fc.integer(), fc.double(), fc.constant(null), fc.boolean(), fc.object());
    const answer = fc.record(
      {
        Credentials: fc.oneof(
          fc.record({ TmpSecretId: text, TmpSecretKey: text, Token: text }),
          fc.record({ TmpSecretId: field, TmpSecretKey: field, Token: field }, { requiredKeys: [] }),
          field,
        ),
        ExpiredTime: fc.oneof(fc.integer(), field),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(answer, (fields) => {
        try {
          const credentials = readStsCredentials({ ...fields, RequestId: "r" });
          expect(credentials.expiresAtMs).toBe((fields.ExpiredTime as number) * 1000);
          expect(credentials.secretId).not.toBe("");
        } catch (error) {
          expect(error).toBeInstanceOf(ApiError);
          expect((error as ApiError).code).toBe("InvalidResponse");
        }
      }),
      propertyOptions(200),
    );
    expect(readStsCredentials({ ...GOOD, RequestId: "r" }).token).toBe("t");
  });
});

describe("STS settings", () => {
  it("checks role ARNs: the roleName and role-id forms only", () => {
    expect(checkRoleArn(ROLE, "role-arn")).toBe(ROLE);
    expect(checkRoleArn("qcs::cam::uin/12345678:role/4611686018427397919", "role-arn")).toMatch(/role\//);
    for (const wrong of ["", "dts-gate-ci", "arn:aws:iam::123:role/x", "qcs::cam::uin/abc:roleName/x", `${ROLE} `]) {
      expect(() => checkRoleArn(wrong, "TENCENTCLOUD_ROLE_ARN")).toThrow(ConfigError);
    }
  });

  it("property: a session name is at most 64 characters STS accepts, and keeps one that already is", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (text) => {
        const name = toSessionName(text);
        expect(name).toMatch(/^[A-Za-z0-9_+=,.@-]{0,64}$/);
        expect(toSessionName(name)).toBe(name);
        if (/^[A-Za-z0-9_+=,.@-]{0,64}$/.test(text)) expect(name).toBe(text);
      }),
      propertyOptions(200),
    );
    expect(toSessionName("dts-gate-octo/repo-12345")).toBe("dts-gate-octo-repo-12345");
  });

  it("takes TENCENTCLOUD_STS_ENDPOINT: https anywhere, http on loopback only", () => {
    expect(stsEndpoint({}).href).toBe("https://sts.tencentcloudapi.com/");
    expect(stsEndpoint({ TENCENTCLOUD_STS_ENDPOINT: "http://[::1]:8080" }).hostname).toBe("[::1]");
    expect(() => stsEndpoint({ TENCENTCLOUD_STS_ENDPOINT: "http://sts.tencentcloudapi.com" })).toThrow(
      /http:\/\/ is allowed only for loopback hosts/,
    );
  });
});

describe("STS's own request budget", () => {
  it("every send, retries included, passes through the schedule it is given", async () => {
    const sts = await scripted([throttled, { response: { ...GOOD, RequestId: "r" } }]);
    let scheduled = 0;
    const schedule = <T>(task: () => Promise<T>): Promise<T> => {
      scheduled++;
      return task();
    };
    const credentials = await assumeRole({ ...sts.options, schedule }, keys, { roleArn: ROLE, sessionName: "s" });
    expect(credentials.secretId).toBe("AKIDtmp");
    expect(sts.sent()).toBe(2);
    expect(scheduled).toBe(2);
  });
});
