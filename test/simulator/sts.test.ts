import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OIDCRoleArnCredential, STSCredential } from "tencentcloud-sdk-nodejs-common";
import { afterEach, describe, expect, it } from "vitest";
import { verifyTc3 } from "../../src/simulator/auth.js";
import { DEMO_SECRET_ID, DEMO_SECRET_KEY, type SimRequest } from "../../src/simulator/index.js";
import { headerOf } from "../../src/simulator/request.js";
import { resolveCredentials } from "../../src/tencent/credential-chain.js";
import { Credentials } from "../../src/tencent/credentials.js";
import { assumeRole, assumeRoleWithWebIdentity } from "../../src/tencent/sts.js";
// The simulator itself (STS, metadata and DTS on one port), keeping the requests it was sent.
import { type KeylessServer, startKeylessServer } from "../tencent/sts-fixture.js";

const ROLE = "qcs::cam::uin/100000000001:roleName/dts-gate-ci";
const OIDC_TOKEN = "eyJhbGciOiJSUzI1NiJ9.github-oidc-token.sig";
const demo = new Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY);

let server: KeylessServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Parameters<typeof startKeylessServer>[0] = {}) {
  server = await startKeylessServer(options);
  return server;
}

const sts = (url: string) => ({ endpoint: new URL(url), sleep: async () => {} });

/** What a request says, minus what differs by design (trace ids, timestamps, the SDK's name). */
function shape(request: SimRequest) {
  const headers = Object.keys(request.headers)
    .filter((name) => name.startsWith("x-tc-") || name === "content-type")
    .filter((name) => !["x-tc-traceid", "x-tc-requestclient", "x-tc-timestamp"].includes(name))
    .sort();
  const authorization = headerOf(request.headers, "authorization") ?? "";
  return {
    method: request.method,
    path: request.url,
    headers: Object.fromEntries(headers.map((name) => [name, headerOf(request.headers, name)])),
    authorization: authorization === "SKIP" ? "SKIP" : authorization.replace(/\d{4}-\d{2}-\d{2}|Signature=\w+/g, "…"),
    params: Object.keys(JSON.parse(request.body.toString("utf8"))).sort(),
  };
}

describe("simulated STS: AssumeRoleWithWebIdentity", () => {
  it("exchanges an accepted token for credentials that expire after the TTL", async () => {
    const sim = await start({ oidcTokens: [OIDC_TOKEN], credentialTtlSec: 900 });
    const before = Date.now();
    const issued = await assumeRoleWithWebIdentity(sts(sim.url), {
      roleArn: ROLE,
      providerId: "github",
      sessionName: "dts-gate-test",
      webIdentityToken: OIDC_TOKEN,
    });
    expect(issued.secretId).toMatch(/^AKIDtmp/);
    expect(issued.token).toBe(sim.book.lookup(issued.secretId)?.token);
    expect(issued.expiresAtMs).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 899_000);
    expect(issued.expiresAtMs).toBeLessThanOrEqual(Date.now() + 900_000);
    expect(headerOf(sim.requests[0]?.headers ?? {}, "authorization")).toBe("SKIP");
  });

  it("refuses an unknown token with InvalidParameter.WebIdentityTokenError, saying what to check", async () => {
    const sim = await start({ oidcTokens: [OIDC_TOKEN] });
    const request = { roleArn: ROLE, providerId: "github", sessionName: "s1", webIdentityToken: "forged" };
    const refused = assumeRoleWithWebIdentity(sts(sim.url), request);
    await expect(refused).rejects.toMatchObject({ code: "InvalidParameter.WebIdentityTokenError", kind: "fatal" });
    await expect(refused).rejects.toThrow(/OIDC provider .* trusts the token's issuer and audience/);
    expect(sim.requests).toHaveLength(1); // a refusal is not retried
  });
});

describe("simulated STS: AssumeRole", () => {
  it("accepts a TC3 signature of service sts with the accepted pair", async () => {
    const sim = await start({ credentialTtlSec: 600 });
    const issued = await assumeRole(sts(sim.url), demo, { roleArn: ROLE, sessionName: "chain" });
    expect(sim.book.lookup(issued.secretId)).toBeDefined();
  });

  it.each([
    ["a wrong key", new Credentials(DEMO_SECRET_ID, "wrong-key"), "AuthFailure.SignatureFailure"],
    ["an unknown SecretId", new Credentials("AKIDunknown", DEMO_SECRET_KEY), "AuthFailure.SecretIdNotFound"],
  ])("refuses %s, naming the sts:AssumeRole permission to check", async (_name, credentials, code) => {
    const sim = await start();
    const refused = assumeRole(sts(sim.url), credentials, { roleArn: ROLE, sessionName: "chain" });
    await expect(refused).rejects.toMatchObject({ code, kind: "fatal" });
    await expect(refused).rejects.toThrow(/allows sts:AssumeRole/);
  });

  it("accepts credentials it issued with their token until they expire, then AuthFailure.TokenFailure", async () => {
    let nowMs = Date.now();
    const sim = await start({ credentialTtlSec: 600, now: () => nowMs });
    const first = await assumeRole(sts(sim.url), demo, { roleArn: ROLE, sessionName: "a" });
    const now = () => nowMs;
    const chained = await assumeRole({ ...sts(sim.url), now }, first, { roleArn: ROLE, sessionName: "b" });
    expect(chained.secretId).not.toBe(first.secretId);
    const withoutToken = new Credentials(first.secretId, first.secretKey);
    await expect(assumeRole(sts(sim.url), withoutToken, { roleArn: ROLE, sessionName: "c" })).rejects.toMatchObject({
      code: "AuthFailure.TokenFailure",
    });
    nowMs += 601_000;
    await expect(assumeRole({ ...sts(sim.url), now }, first, { roleArn: ROLE, sessionName: "d" })).rejects.toThrow(
      /AuthFailure.TokenFailure: The token expired/,
    );
  });

  it("refuses a request signed for another service", async () => {
    const sim = await start();
    await assumeRole(sts(sim.url), demo, { roleArn: ROLE, sessionName: "x" });
    const request = sim.requests[0] as SimRequest;
    const keys = { secretId: DEMO_SECRET_ID, secretKey: DEMO_SECRET_KEY, book: sim.book };
    expect(verifyTc3(request, keys, "sts", Date.now())).toBeUndefined();
    const dtsSigned = { ...request, headers: { ...request.headers, host: "dts.example" } };
    expect(verifyTc3(dtsSigned, keys, "dts", Date.now())?.code).toBe("AuthFailure.SignatureFailure");
  });
});

describe("our STS requests are the official SDK's", () => {
  const httpProfile = (url: string) => ({ endpoint: new URL(url).host, protocol: "http://", reqTimeout: 5 });

  it("AssumeRole: same headers, parameters and signature scope as STSCredential", async () => {
    const sim = await start();
    const sdk = new STSCredential(
      {
        credential: { secretId: DEMO_SECRET_ID, secretKey: DEMO_SECRET_KEY },
        profile: { httpProfile: httpProfile(sim.url) },
      },
      { RoleArn: ROLE, RoleSessionName: "same", DurationSeconds: 900 },
    );
    const fromSdk = await sdk.getCredential();
    await assumeRole(sts(sim.url), demo, { roleArn: ROLE, sessionName: "same", durationSeconds: 900 });
    expect(fromSdk.secretId).toMatch(/^AKIDtmp/);
    const [theirs, ours] = sim.requests.map(shape);
    // The SDK signs the endpoint's first label ("127") as the service; we sign "sts", the real one.
    expect({ ...ours, authorization: ours?.authorization.replace("/sts/", "/127/") }).toEqual(theirs);
  });

  it("AssumeRoleWithWebIdentity from TKE's variables: what OIDCRoleArnCredential sends", async () => {
    const sim = await start({ oidcTokens: [OIDC_TOKEN] });
    const dir = await mkdtemp(join(tmpdir(), "tke-"));
    const tokenFile = join(dir, "token");
    await writeFile(tokenFile, OIDC_TOKEN);
    const tke = {
      TKE_REGION: "ap-shanghai",
      TKE_PROVIDER_ID: "tke-oidc",
      TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      TKE_ROLE_ARN: ROLE,
    };
    const saved = { ...process.env };
    Object.assign(process.env, tke);
    try {
      // Without parameters the SDK reads TKE's variables; its typings want a credential it then ignores.
      const config = { profile: { httpProfile: httpProfile(sim.url) } } as ConstructorParameters<
        typeof OIDCRoleArnCredential
      >[0];
      const sdk = new OIDCRoleArnCredential(config, undefined as never);
      expect((await sdk.getCredential()).secretId).toMatch(/^AKIDtmp/);
    } finally {
      process.env = saved;
    }
    const resolved = await resolveCredentials({
      env: { ...tke, TENCENTCLOUD_STS_ENDPOINT: sim.url, TENCENTCLOUD_METADATA_ENDPOINT: "http://127.0.0.1:9" },
      homeDir: dir,
    });
    expect(resolved.source).toBe(`web identity (TKE_WEB_IDENTITY_TOKEN_FILE) for role ${ROLE}`);
    const [theirs, ours] = sim.requests.map(shape);
    expect(ours).toEqual(theirs);
    expect(ours?.headers["x-tc-region"]).toBe("ap-shanghai");
    await rm(dir, { recursive: true });
  });
});
