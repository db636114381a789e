import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_SECRET_ID, DEMO_SECRET_KEY } from "../../src/simulator/index.js";
import { headerOf } from "../../src/simulator/request.js";
import { resolveRegion } from "../../src/tencent/credential-chain.js";
import { Credentials } from "../../src/tencent/credentials.js";
import { ConfigError } from "../../src/tencent/errors.js";
import { files, type KeylessServer, ROLE, resolve, startKeylessServer } from "./sts-fixture.js";

let server: KeylessServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("resolveCredentials: keys", () => {
  it("takes the environment first, trimmed, with the session token", async () => {
    const { credentials, source } = await resolve({
      env: {
        TENCENTCLOUD_SECRET_ID: " AKIDenv ",
        TENCENTCLOUD_SECRET_KEY: "keyenv\n",
        TENCENTCLOUD_SESSION_TOKEN: "tok",
      },
      homeDir: "/home/u",
      readText: files({ "/home/u/.tencentcloud/credentials": "[default]\nsecret_id=AKIDini\nsecret_key=keyini\n" }),
    });
    expect(source).toBe("environment");
    expect([credentials.secretId, credentials.secretKey, credentials.token]).toEqual(["AKIDenv", "keyenv", "tok"]);
  });

  it("takes keys given by the adapter before the environment", async () => {
    const keys = new Credentials("AKIDinput", "input-key");
    const resolved = await resolve({ keys, env: { TENCENTCLOUD_SECRET_ID: "id", TENCENTCLOUD_SECRET_KEY: "key" } });
    expect([resolved.source, resolved.credentials.secretId]).toEqual(["the given keys", "AKIDinput"]);
  });

  it("accepts the tccli and Terraform token aliases", async () => {
    for (const name of ["TENCENTCLOUD_TOKEN", "TENCENTCLOUD_SECURITY_TOKEN"]) {
      const { credentials } = await resolve({
        env: { TENCENTCLOUD_SECRET_ID: "id", TENCENTCLOUD_SECRET_KEY: "key", [name]: "alias-token" },
      });
      expect(credentials.token).toBe("alias-token");
    }
  });

  it("names what to set when half a pair is set", async () => {
    await expect(resolve({ env: { TENCENTCLOUD_SECRET_ID: "id" } })).rejects.toThrow(
      /sets TENCENTCLOUD_SECRET_ID but not TENCENTCLOUD_SECRET_KEY/,
    );
    const halfIni = files({ "/h/.tencentcloud/credentials": "[default]\nsecret_key=only\n" });
    await expect(resolve({ env: {}, readText: halfIni })).rejects.toBeInstanceOf(ConfigError);
    const badJson = files({ "/h/.tccli/default.credential": "{oops" });
    await expect(resolve({ env: {}, readText: badJson })).rejects.toThrow(/not valid JSON/);
  });

  it("lists every source tried, and why each gave nothing, when none answers", async () => {
    const error = await resolve({ env: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain("set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY");
    expect(message).toMatch(/environment \(TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY not set\)/);
    expect(message).toMatch(/web identity \(no role-arn for OIDC, and TKE_PROVIDER_ID/);
    expect(message).toContain(
      "profile default (not in /h/.tencentcloud/credentials, /etc/tencentcloud/credentials, /h/.tccli/default.credential)",
    );
    expect(message).toMatch(/CVM instance role \(the metadata service http:\/\/127.0.0.1:9 did not answer/);
  });
});

describe("resolveCredentials: profiles", () => {
  it("treats empty variables as absent and falls back to the SDK's INI profile", async () => {
    const { credentials, source, tried } = await resolve({
      env: { TENCENTCLOUD_SECRET_ID: "  ", TENCENTCLOUD_SECRET_KEY: "" },
      readText: files({
        "/h/.tencentcloud/credentials":
          "# profile\n[other]\nsecret_id=wrong\n[default]\nsecret_id = AKIDini\nsecret_key = keyini\ntoken = t1\n",
      }),
    });
    expect(source).toBe("profile /h/.tencentcloud/credentials [default]");
    expect([credentials.secretId, credentials.secretKey, credentials.token]).toEqual(["AKIDini", "keyini", "t1"]);
    expect(tried.map((attempt) => attempt.source)).toEqual(["environment", "web identity", "profile default"]);
  });

  it("reads /etc/tencentcloud/credentials, then tccli's JSON profile", async () => {
    const etc = await resolve({
      env: {},
      readText: files({ "/etc/tencentcloud/credentials": "[default]\nsecret_id=AKIDetc\nsecret_key=k\n" }),
    });
    expect(etc.credentials.secretId).toBe("AKIDetc");
    const tccli = await resolve({
      env: {},
      readText: files({ "/h/.tccli/default.credential": '{"secretId":"AKIDcli","secretKey":"kcli"}' }),
    });
    expect([tccli.source, tccli.credentials.secretId]).toEqual(["profile /h/.tccli/default.credential", "AKIDcli"]);
  });

  it("reads the section of --profile, else TCCLI_PROFILE, and TENCENTCLOUD_CREDENTIALS_FILE instead of ~/.tencentcloud", async () => {
    const text = "[default]\nsecret_id=AKIDdefault\nsecret_key=k0\n[prod]\nsecret_id=AKIDprod\nsecret_key=k1\n";
    const byOption = await resolve({
      env: {},
      profile: "prod",
      readText: files({ "/h/.tencentcloud/credentials": text }),
    });
    expect(byOption.credentials.secretId).toBe("AKIDprod");
    const byVariable = await resolve({
      env: { TCCLI_PROFILE: "prod", TENCENTCLOUD_CREDENTIALS_FILE: "/srv/creds" },
      readText: files({
        "/srv/creds": text,
        "/h/.tencentcloud/credentials": "[prod]\nsecret_id=AKIDhome\nsecret_key=k\n",
      }),
    });
    expect([byVariable.source, byVariable.credentials.secretId]).toEqual(["profile /srv/creds [prod]", "AKIDprod"]);
    const tccli = await resolve({
      env: {},
      profile: "prod",
      readText: files({ "/h/.tccli/prod.credential": '{"secretId":"AKIDtccliProd","secretKey":"k","token":"t"}' }),
    });
    expect([tccli.credentials.secretId, tccli.credentials.token]).toEqual(["AKIDtccliProd", "t"]);
  });

  it("a named profile found nowhere is a ConfigError naming every file looked at", async () => {
    const missing = resolve({
      env: { TCCLI_PROFILE: "staging" },
      readText: files({ "/h/.tencentcloud/credentials": "[default]\n" }),
    });
    await expect(missing).rejects.toBeInstanceOf(ConfigError);
    await expect(missing).rejects.toThrow(
      'profile "staging" not found in /h/.tencentcloud/credentials, /etc/tencentcloud/credentials, /h/.tccli/staging.credential',
    );
    await expect(resolve({ env: {}, profile: "../x" })).rejects.toThrow(/is not one/);
  });

  it("a section with no keys is an error, not a fall-through", async () => {
    const empty = files({ "/h/.tencentcloud/credentials": "[default]\nregion=ap-guangzhou\n" });
    await expect(resolve({ env: {}, readText: empty })).rejects.toThrow(/\[default\] section without secret_id/);
  });
});

describe("resolveRegion", () => {
  const configure = files({ "/h/.tccli/prod.configure": '{"_sys_param":{"region":"ap-singapore","output":"json"}}' });
  it("takes --region, else TENCENTCLOUD_REGION, else tccli's _sys_param.region of the profile", async () => {
    const base = { homeDir: "/h", readText: configure, profile: "prod" };
    expect(await resolveRegion({ ...base, region: "ap-beijing", env: { TENCENTCLOUD_REGION: "ap-shanghai" } })).toBe(
      "ap-beijing",
    );
    expect(await resolveRegion({ ...base, env: { TENCENTCLOUD_REGION: "ap-shanghai" } })).toBe("ap-shanghai");
    expect(await resolveRegion({ ...base, env: {} })).toBe("ap-singapore");
    expect(await resolveRegion({ ...base, profile: "default", env: {} })).toBeUndefined();
  });
});

describe("resolveCredentials: CVM instance role and role chaining", () => {
  it("takes the CVM role's temporary credentials last", async () => {
    server = await startKeylessServer({ cvmRole: "dts-runner", credentialTtlSec: 3600 });
    const resolved = await resolve({ env: { TENCENTCLOUD_METADATA_ENDPOINT: server.url } });
    expect(resolved.source).toBe("CVM instance role dts-runner");
    expect(resolved.credentials.token).toBe(server.book.lookup(resolved.credentials.secretId)?.token);
    expect(resolved.tried.map((attempt) => attempt.result).at(-1)).toBe("used");
  });

  it("a CVM without a role bound says so among the sources tried", async () => {
    server = await startKeylessServer({});
    await expect(resolve({ env: { TENCENTCLOUD_METADATA_ENDPOINT: server.url } })).rejects.toThrow(
      /CVM instance role \(this CVM instance has no CAM role bound: bind one in the CVM console\)/,
    );
  });

  it("TENCENTCLOUD_ROLE_ARN trades the keys found for the role's through AssumeRole", async () => {
    server = await startKeylessServer({ credentialTtlSec: 1800 });
    const resolved = await resolve({
      env: {
        TENCENTCLOUD_SECRET_ID: DEMO_SECRET_ID,
        TENCENTCLOUD_SECRET_KEY: DEMO_SECRET_KEY,
        TENCENTCLOUD_ROLE_ARN: ROLE,
        TENCENTCLOUD_ROLE_SESSION_NAME: "nightly",
        TENCENTCLOUD_STS_ENDPOINT: server.url,
      },
    });
    expect(resolved.source).toBe(`role ${ROLE} assumed with environment`);
    expect(resolved.credentials.secretId).not.toBe(DEMO_SECRET_ID);
    expect(server.book.lookup(resolved.credentials.secretId)).toBeDefined();
    const request = server.requests[0];
    expect(headerOf(request?.headers ?? {}, "authorization")).toMatch(
      /^TC3-HMAC-SHA256 Credential=AKIDdtsGateDemo.*\/sts\//,
    );
    expect(JSON.parse(request?.body.toString() ?? "{}")).toEqual({ RoleArn: ROLE, RoleSessionName: "nightly" });
    // Both the long-term key it was assumed with and the role's temporary ones are masked.
    expect(resolved.provider.secrets()).toEqual([DEMO_SECRET_KEY, ...resolved.credentials.secrets()]);
  });

  it("chains from the CVM role too, signing AssumeRole with its temporary keys and token", async () => {
    server = await startKeylessServer({ cvmRole: "dts-runner" });
    const resolved = await resolve({
      env: { TENCENTCLOUD_METADATA_ENDPOINT: server.url, TENCENTCLOUD_STS_ENDPOINT: server.url },
      assumeRole: { roleArn: ROLE, sessionName: "from-cvm", durationSeconds: 900 },
    });
    expect(resolved.source).toBe(`role ${ROLE} assumed with CVM instance role dts-runner`);
    expect(server.requests.map((request) => request.method)).toEqual(["GET", "GET", "POST"]);
  });

  it("a TENCENTCLOUD_ROLE_ARN of the wrong form is a ConfigError before any request", async () => {
    server = await startKeylessServer({});
    const env = { TENCENTCLOUD_SECRET_ID: "id", TENCENTCLOUD_SECRET_KEY: "k", TENCENTCLOUD_STS_ENDPOINT: server.url };
    await expect(resolve({ env: { ...env, TENCENTCLOUD_ROLE_ARN: "dts-gate-ci" } })).rejects.toBeInstanceOf(
      ConfigError,
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe("Credentials", () => {
  it("never prints the key or token", () => {
    const credentials = new Credentials("AKIDvisible", "very-secret-key", "very-secret-token", 1_800_000_000_000);
    const printed = [
      JSON.stringify(credentials),
      String(credentials),
      inspect(credentials),
      inspect({ nested: credentials }, { depth: 5 }),
      `${credentials}`,
    ].join("\n");
    expect(printed).toContain("AKIDvisible");
    expect(printed).toContain("2027-01-15T08:00:00.000Z");
    expect(printed).not.toContain("very-secret");
    expect(credentials.secrets()).toEqual(["very-secret-key", "very-secret-token"]);
  });
});
