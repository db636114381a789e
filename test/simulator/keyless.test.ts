import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { simulatorOptions } from "../../src/cli/simulate.js";
import { type Simulator, type SimulatorOptions, startSimulator } from "../../src/simulator/index.js";
import { resolveCredentials } from "../../src/tencent/credential-chain.js";
import { assumeRoleWithWebIdentity } from "../../src/tencent/sts.js";
import { dispatcher, errorCode, fakeClock, JOB, post, simulateArgsOf } from "./helpers.js";

const ROLE_ARN = "qcs::cam::uin/100000000001:roleName/dts-gate-ci";
const OIDC_TOKEN = "eyJhbGciOiJSUzI1NiJ9.github-oidc-token.sig";
const ROLE_PATH = "/latest/meta-data/cam/security-credentials/";

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(options: SimulatorOptions) {
  sim = await startSimulator(options);
  return sim;
}

async function get(url: string) {
  const answer = await request(url, { dispatcher });
  return { status: answer.statusCode, text: await answer.body.text() };
}

describe("one port: STS issues credentials that DTS accepts until they expire", () => {
  it("accepts them with their own token, refuses a missing or wrong one, and all of them once the TTL is gone", async () => {
    const clock = fakeClock();
    // expectToken binds the long-term pair only: issued credentials carry their own token.
    const s = await start({ now: clock.now, oidcTokens: [OIDC_TOKEN], credentialTtlSec: 600, expectToken: "long" });
    const issued = await assumeRoleWithWebIdentity(
      { endpoint: new URL(s.url), sleep: async () => {}, now: clock.now },
      { roleArn: ROLE_ARN, providerId: "github", sessionName: "ci", webIdentityToken: OIDC_TOKEN },
    );
    expect(issued.expiresAtMs).toBe(clock.now() + 600_000);
    const signed = (token: string | undefined) => ({
      secretId: issued.secretId,
      secretKey: issued.secretKey,
      timestamp: clock.seconds(),
      headers: token === undefined ? {} : { "X-TC-Token": token },
    });
    expect(await errorCode(s.url, signed(issued.token))).toBeUndefined();
    expect(await errorCode(s.url, signed(undefined))).toBe("AuthFailure.TokenFailure");
    expect(await errorCode(s.url, signed("long"))).toBe("AuthFailure.TokenFailure");
    clock.advance(599_999);
    expect(await errorCode(s.url, signed(issued.token))).toBeUndefined();
    clock.advance(1);
    const expired = await post(s.url, signed(issued.token));
    expect(expired.json.Response.Error).toMatchObject({ Code: "AuthFailure.TokenFailure" });
    expect(expired.json.Response.Error.Message).toMatch(/expired/);
    // Every exchange is recorded, STS ones with their service.
    expect(s.arrivals.map(({ service, action, code }) => [service ?? "dts", action, code])).toEqual([
      ["sts", "AssumeRoleWithWebIdentity", undefined],
      ["dts", "DescribeMigrationCheckJob", undefined],
      ["dts", "DescribeMigrationCheckJob", "AuthFailure.TokenFailure"],
      ["dts", "DescribeMigrationCheckJob", "AuthFailure.TokenFailure"],
      ["dts", "DescribeMigrationCheckJob", undefined],
      ["dts", "DescribeMigrationCheckJob", "AuthFailure.TokenFailure"],
    ]);
  });

  it("the long-term pair is checked as before: its expectToken, and no token of the book", async () => {
    const s = await start({ oidcTokens: [OIDC_TOKEN], expectToken: "long" });
    expect(await errorCode(s.url, { headers: { "X-TC-Token": "long" } })).toBeUndefined();
    expect(await errorCode(s.url, {})).toBe("AuthFailure.TokenFailure");
    expect(await errorCode(s.url, { secretId: "AKIDtmpnotissued" })).toBe("AuthFailure.SecretIdNotFound");
  });
});

describe("one port: the CVM metadata routes", () => {
  it("with a CVM role: the credential chain finds it, DTS accepts what it got, each GET is recorded", async () => {
    const clock = fakeClock();
    const s = await start({ now: clock.now, cvmRole: "dts-runner", credentialTtlSec: 900 });
    const resolved = await resolveCredentials({
      env: { TENCENTCLOUD_METADATA_ENDPOINT: s.url },
      homeDir: "/nonexistent",
      now: clock.now,
    });
    expect(resolved.source).toMatch(/dts-runner/);
    const { secretId, secretKey, token = "" } = resolved.credentials;
    const signed = { secretId, secretKey, timestamp: clock.seconds(), headers: { "X-TC-Token": token } };
    expect(await errorCode(s.url, signed)).toBeUndefined();
    clock.advance(900_000);
    expect(await errorCode(s.url, { ...signed, timestamp: clock.seconds() })).toBe("AuthFailure.TokenFailure");
    const metadata = s.arrivals.filter((arrival) => arrival.service === "metadata");
    expect(metadata.map(({ path, code }) => [path, code])).toEqual([
      [ROLE_PATH, undefined],
      [`${ROLE_PATH}dts-runner`, undefined],
    ]);
  });

  it("without a CVM role: 404 on the list and on any role, recorded as http404; DTS unaffected", async () => {
    const s = await start({});
    expect(await get(`${s.url}${ROLE_PATH}`)).toMatchObject({ status: 404 });
    expect(await get(`${s.url}${ROLE_PATH}dts-runner`)).toMatchObject({ status: 404 });
    expect(await errorCode(s.url, { body: { JobId: JOB } })).toBeUndefined();
    expect(s.arrivals.map(({ service, code }) => [service ?? "dts", code])).toEqual([
      ["metadata", "http404"],
      ["metadata", "http404"],
      ["dts", undefined],
    ]);
  });

  it("with a CVM role, the list answers its name", async () => {
    const s = await start({ cvmRole: "dts-runner" });
    expect(await get(`${s.url}${ROLE_PATH}`)).toEqual({ status: 200, text: "dts-runner" });
  });
});

describe("simulate: --oidc-token, --cvm-role, --credential-ttl", () => {
  it("takes repeated tokens, a role and a TTL", async () => {
    const argv = ["--oidc-token", "a", "--oidc-token", "b", "--cvm-role", "dts-runner", "--credential-ttl", "900"];
    expect(simulatorOptions(await simulateArgsOf(argv))).toMatchObject({
      oidcTokens: ["a", "b"],
      cvmRole: "dts-runner",
      credentialTtlSec: 900,
    });
    const plain = simulatorOptions(await simulateArgsOf([]));
    expect(plain).toMatchObject({ oidcTokens: [] });
    expect("cvmRole" in plain || "credentialTtlSec" in plain).toBe(false);
  });

  it.each([
    [["--credential-ttl", "0"], '--credential-ttl must be a whole number from 1 to 43200, not "0"'],
    [["--credential-ttl", "1.5"], 'not "1.5"'],
    [["--credential-ttl", "43201"], 'not "43201"'],
    [["--cvm-role", "a/b"], '--cvm-role must be a CAM role name (letters, digits, _+=,.@-), not "a/b"'],
    [["--oidc-token", ""], '--oidc-token needs a token, not ""'],
  ])("refuses %j, quoting it", async (argv, message) => {
    const args = await simulateArgsOf(argv);
    expect(() => simulatorOptions(args)).toThrow(message);
  });
});
