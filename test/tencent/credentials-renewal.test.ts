import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { createDtsClient } from "../../src/tencent/client.js";
import { resolveCredentials } from "../../src/tencent/credential-chain.js";
import { Credentials } from "../../src/tencent/credentials.js";
import { ApiError } from "../../src/tencent/errors.js";
import { RENEWAL_MARGIN_MS, RENEWAL_RETRY_MS, RenewingCredentials } from "../../src/tencent/renewal.js";
import { propertyOptions } from "../helpers/property.js";
import { type KeylessServer, startKeylessServer } from "./sts-fixture.js";

const START = 1_800_000_000_000;
const MINUTE = 60_000;

/** Temporary credentials numbered in issue order, valid `ttlMs` from `now`. */
function issuer(ttlMs: number, now: () => number) {
  let issued = 0;
  return {
    get count() {
      return issued;
    },
    next: () => {
      issued += 1;
      return new Credentials(`AKIDtmp${issued}`, `key${issued}`, `token${issued}`, now() + ttlMs);
    },
  };
}

describe("RenewingCredentials", () => {
  it("hands out the held credentials until 5 minutes before expiry, then renews once", async () => {
    let nowMs = START;
    const now = () => nowMs;
    const issue = issuer(15 * MINUTE, now);
    const source = new RenewingCredentials(issue.next(), async () => issue.next(), { now, description: "test" });
    nowMs += 15 * MINUTE - RENEWAL_MARGIN_MS - 1;
    expect((await source.current()).secretId).toBe("AKIDtmp1");
    nowMs += 1;
    expect((await source.current()).secretId).toBe("AKIDtmp2");
    expect((await source.current()).secretId).toBe("AKIDtmp2");
    expect(issue.count).toBe(2);
    expect(source.secrets()).toEqual(["key1", "token1", "key2", "token2"]);
  });

  it("renews once however many requests wait for it", async () => {
    let nowMs = START;
    const now = () => nowMs;
    const issue = issuer(10 * MINUTE, now);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const source = new RenewingCredentials(issue.next(), async () => gate.then(issue.next), { now, description: "t" });
    nowMs += 6 * MINUTE;
    const waiting = Array.from({ length: 50 }, () => source.current());
    release();
    const handed = await Promise.all(waiting);
    expect(new Set(handed.map((credentials) => credentials.secretId))).toEqual(new Set(["AKIDtmp2"]));
    expect(issue.count).toBe(2);
  });

  it("a failed renewal keeps the valid credentials and is tried again later; none valid left is fatal", async () => {
    let nowMs = START;
    const now = () => nowMs;
    const issue = issuer(10 * MINUTE, now);
    let failing = true;
    let attempts = 0;
    const source = new RenewingCredentials(
      issue.next(),
      async () => {
        attempts += 1;
        if (failing)
          throw new ApiError({ kind: "fatal", code: "InternalError", message: "STS down", maybeApplied: false });
        return issue.next();
      },
      { now, description: "web identity (OIDC) for role R" },
    );
    nowMs += 6 * MINUTE;
    expect((await source.current()).secretId).toBe("AKIDtmp1");
    expect((await source.current()).secretId).toBe("AKIDtmp1");
    expect(attempts).toBe(1); // not again before RENEWAL_RETRY_MS
    nowMs += RENEWAL_RETRY_MS;
    expect((await source.current()).secretId).toBe("AKIDtmp1");
    expect(attempts).toBe(2);
    nowMs = START + 10 * MINUTE; // expired
    const exhausted = await source.current().catch((error: unknown) => error);
    expect(exhausted).toBeInstanceOf(ApiError);
    expect(exhausted).toMatchObject({ kind: "fatal", code: "CredentialsExpired" });
    expect((exhausted as Error).message).toBe(
      "the temporary credentials of web identity (OIDC) for role R expired at 2027-01-15T08:10:00.000Z and renewing them failed: STS down",
    );
    failing = false;
    expect((await source.current()).secretId).toBe("AKIDtmp2"); // the very next request tries again
  });

  it("property: whatever the renewals do, every credentials handed out are valid when handed out", async () => {
    // Invariant: current() resolves only with unexpired credentials, rejects only when the held ones
    // have expired and this renewal failed, and never runs two renewals at once.
    const step = fc.record({
      advanceMs: fc.integer({ min: 0, max: 20 * MINUTE }),
      waiting: fc.integer({ min: 1, max: 5 }),
      renewalFails: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 60 }), fc.array(step, { maxLength: 40 }), async (ttlMin, steps) => {
        let nowMs = START;
        const now = () => nowMs;
        const issue = issuer(ttlMin * MINUTE, now);
        let failNext = false;
        let inFlight = 0;
        const source = new RenewingCredentials(
          issue.next(),
          async () => {
            inFlight += 1;
            expect(inFlight).toBe(1);
            await Promise.resolve();
            inFlight -= 1;
            if (failNext) throw new Error("refused");
            return issue.next();
          },
          { now, description: "p" },
        );
        for (const { advanceMs, waiting, renewalFails } of steps) {
          nowMs += advanceMs;
          failNext = renewalFails;
          const outcomes = await Promise.allSettled(Array.from({ length: waiting }, () => source.current()));
          for (const outcome of outcomes) {
            if (outcome.status === "fulfilled") expect(outcome.value.expiresAtMs).toBeGreaterThan(nowMs);
            else expect(renewalFails).toBe(true);
          }
        }
      }),
      propertyOptions(100),
    );
  });
});

describe("renewal during a long wait", () => {
  let server: KeylessServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("three virtual hours of polls with 15-minute OIDC credentials: every request's are accepted", async () => {
    let nowMs = START;
    const now = () => nowMs;
    const ttlSec = 900;
    server = await startKeylessServer({ oidcTokens: ["oidc"], credentialTtlSec: ttlSec, now });
    let tokensAsked = 0;
    const resolved = await resolveCredentials({
      env: { TENCENTCLOUD_STS_ENDPOINT: server.url, TENCENTCLOUD_METADATA_ENDPOINT: "http://127.0.0.1:9" },
      webIdentity: {
        roleArn: "qcs::cam::uin/1:roleName/r",
        providerId: "gh",
        sessionName: "s",
        token: async () => {
          tokensAsked += 1;
          return "oidc";
        },
      },
      now,
    });
    for (let polls = 0; polls < (3 * 3600) / 5; polls++) {
      nowMs += 5_000;
      const credentials = await resolved.provider.current();
      const issued = server.book.lookup(credentials.secretId);
      expect(issued && server.book.refusal(issued, credentials.token, nowMs)).toBeUndefined();
    }
    // One exchange at the start, then one every TTL - margin (10 minutes): about 18 in 3 hours.
    expect(tokensAsked).toBe(server.requests.length);
    expect(server.requests.length).toBe(1 + Math.floor((3 * 3600) / (ttlSec - RENEWAL_MARGIN_MS / 1000)));
  });

  it("the DTS client signs each request with the current credentials: renewed ones pass, stale ones are refused", async () => {
    let nowMs = START;
    const now = () => nowMs;
    server = await startKeylessServer({ cvmRole: "dts-runner", credentialTtlSec: 900, now });
    const env = { TENCENTCLOUD_METADATA_ENDPOINT: server.url };
    const resolved = await resolveCredentials({ env, homeDir: "/nonexistent", now });
    // The simulator serves DTS too, accepting the credentials it issued until they expire.
    const renewing = createDtsClient({ endpoint: server.url, credentials: resolved.provider, now });
    const fixed = createDtsClient({ endpoint: server.url, credentials: resolved.credentials, now });
    const tokens = new Set<string>();
    for (let minute = 0; minute <= 60; minute += 5) {
      nowMs = START + minute * MINUTE;
      const result = await renewing.call("DescribeMigrationCheckJob", { JobId: "dts-1ewjspuw" });
      expect(result.ok).toBe(true);
      tokens.add((await resolved.provider.current()).token ?? "");
    }
    expect(tokens.size).toBeGreaterThanOrEqual(5);
    const stale = await fixed.call("DescribeMigrationCheckJob", { JobId: "dts-1ewjspuw" });
    expect(!stale.ok && stale.error).toMatchObject({ code: "AuthFailure.TokenFailure", kind: "fatal" });
    await Promise.all([renewing.close(), fixed.close()]);
  });

  it("the client fails a request fatally, sending nothing, once no valid credentials remain", async () => {
    let arrivals = 0;
    const dts = createServer((_req, res) => {
      arrivals += 1;
      res.end();
    });
    await new Promise<void>((resolve) => dts.listen(0, "127.0.0.1", resolve));
    let nowMs = START;
    const now = () => nowMs;
    const expired = new Credentials("AKIDtmp", "k", "t", START + MINUTE);
    const source = new RenewingCredentials(expired, () => Promise.reject(new Error("STS unreachable")), {
      now,
      description: "CVM instance role r",
    });
    const client = createDtsClient({
      endpoint: `http://127.0.0.1:${(dts.address() as AddressInfo).port}`,
      credentials: source,
      now,
    });
    nowMs += 2 * MINUTE;
    const result = await client.call("DescribeMigrationCheckJob", { JobId: "dts-1ewjspuw" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({ kind: "fatal", code: "CredentialsExpired" });
    expect(arrivals).toBe(0);
    await client.close();
    dts.close();
  });
});
