import { afterEach, describe, expect, it } from "vitest";
import { headerOf } from "../../src/simulator/request.js";
import { ConfigError } from "../../src/tencent/errors.js";
import { files, type KeylessServer, ROLE, resolve, startKeylessServer } from "./sts-fixture.js";

const OIDC_TOKEN = "header.github-oidc.signature";

let server: KeylessServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("resolveCredentials: web identity", () => {
  const oidc = (token: () => Promise<string>, roleArn = ROLE) => ({
    roleArn,
    providerId: "github",
    sessionName: "dts-gate-org-repo-42",
    durationSeconds: 1800,
    token,
  });
  const stsEnv = (sim: KeylessServer) => ({ TENCENTCLOUD_STS_ENDPOINT: sim.url });

  it("exchanges the adapter's OIDC token for temporary credentials that renew", async () => {
    server = await startKeylessServer({ oidcTokens: [OIDC_TOKEN] });
    const resolved = await resolve({ env: stsEnv(server), webIdentity: oidc(async () => OIDC_TOKEN) });
    expect(resolved.source).toBe(`web identity (OIDC) for role ${ROLE}`);
    expect(resolved.credentials.token).toBe(server.book.lookup(resolved.credentials.secretId)?.token);
    expect(resolved.credentials.expiresAtMs).toBeGreaterThan(Date.now());
    const body = JSON.parse(server.requests[0]?.body.toString() ?? "{}");
    expect(body).toEqual({
      ProviderId: "github",
      WebIdentityToken: OIDC_TOKEN,
      RoleArn: ROLE,
      RoleSessionName: "dts-gate-org-repo-42",
      DurationSeconds: 1800,
    });
    // The OIDC token is masked too: it could be exchanged again while it lasts.
    expect(resolved.provider.secrets()).toEqual([OIDC_TOKEN, ...resolved.credentials.secrets()]);
  });

  it("comes after the environment", async () => {
    const resolved = await resolve({
      env: { TENCENTCLOUD_SECRET_ID: "id", TENCENTCLOUD_SECRET_KEY: "key" },
      webIdentity: oidc(() => Promise.reject(new Error("must not be asked"))),
    });
    expect(resolved.source).toBe("environment");
  });

  it("a role ARN of the wrong form is a ConfigError before any request", async () => {
    server = await startKeylessServer({ oidcTokens: [OIDC_TOKEN] });
    const wrong = resolve({ env: stsEnv(server), webIdentity: oidc(async () => OIDC_TOKEN, "arn:aws:iam::1:role/x") });
    await expect(wrong).rejects.toBeInstanceOf(ConfigError);
    await expect(wrong).rejects.toThrow(/expected qcs::cam::uin\/<account id>:roleName\/<role name>/);
    expect(server.requests).toHaveLength(0);
  });

  it("a token that cannot be had, or is empty, says so", async () => {
    const failing = resolve({ env: {}, webIdentity: oidc(() => Promise.reject(new Error("id-token: write missing"))) });
    await expect(failing).rejects.toThrow(/OIDC token could not be obtained \(id-token: write missing\)/);
    await expect(resolve({ env: {}, webIdentity: oidc(async () => " \n") })).rejects.toThrow(/OIDC token is empty/);
  });

  it("STS refusing the token is a fatal error saying what to check", async () => {
    server = await startKeylessServer({ oidcTokens: [OIDC_TOKEN] });
    const refused = resolve({ env: stsEnv(server), webIdentity: oidc(async () => "expired-token") });
    await expect(refused).rejects.toMatchObject({ kind: "fatal", code: "InvalidParameter.WebIdentityTokenError" });
  });

  describe("from TKE's variables", () => {
    const tke = (extra: Record<string, string> = {}) => ({
      TKE_PROVIDER_ID: "tke-oidc",
      TKE_WEB_IDENTITY_TOKEN_FILE: "/var/run/secrets/tke/token",
      TKE_ROLE_ARN: ROLE,
      TKE_REGION: "ap-chengdu",
      ...extra,
    });

    it("reads the token file and sends TKE_REGION", async () => {
      server = await startKeylessServer({ oidcTokens: [OIDC_TOKEN] });
      const resolved = await resolve({
        env: { ...tke(), ...stsEnv(server) },
        readText: files({ "/var/run/secrets/tke/token": `${OIDC_TOKEN}\n` }),
      });
      expect(resolved.source).toBe(`web identity (TKE_WEB_IDENTITY_TOKEN_FILE) for role ${ROLE}`);
      expect(headerOf(server.requests[0]?.headers ?? {}, "x-tc-region")).toBe("ap-chengdu");
    });

    it("a missing or empty token file, or a variable missing, is a clear ConfigError", async () => {
      await expect(resolve({ env: tke() })).rejects.toThrow(
        /TKE_WEB_IDENTITY_TOKEN_FILE names \/var\/run\/secrets\/tke\/token, which does not exist/,
      );
      const empty = files({ "/var/run/secrets/tke/token": "" });
      await expect(resolve({ env: tke(), readText: empty })).rejects.toThrow(/OIDC token is empty/);
      await expect(resolve({ env: { TKE_ROLE_ARN: ROLE } })).rejects.toThrow(
        "the environment sets TKE_ROLE_ARN but not TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE: set all three",
      );
      await expect(resolve({ env: tke({ TKE_ROLE_ARN: "qcs::cam::uin/12:roleName/" }) })).rejects.toThrow(
        /TKE_ROLE_ARN .* is not a role ARN/,
      );
    });
  });
});
