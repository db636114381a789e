import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Credentials, resolveCredentials } from "../../src/tencent/credentials.js";
import { ConfigError } from "../../src/tencent/errors.js";

const files = (entries: Record<string, string>) => async (path: string) => entries[path];

describe("resolveCredentials", () => {
  it("takes the environment first, trimmed, with the session token", async () => {
    const { credentials, source } = await resolveCredentials({
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

  it("accepts the tccli and Terraform token aliases", async () => {
    for (const name of ["TENCENTCLOUD_TOKEN", "TENCENTCLOUD_SECURITY_TOKEN"]) {
      const { credentials } = await resolveCredentials({
        env: { TENCENTCLOUD_SECRET_ID: "id", TENCENTCLOUD_SECRET_KEY: "key", [name]: "alias-token" },
        readText: files({}),
      });
      expect(credentials.token).toBe("alias-token");
    }
  });

  it("treats empty variables as absent and falls back to the SDK's INI profile", async () => {
    const { credentials, source } = await resolveCredentials({
      env: { TENCENTCLOUD_SECRET_ID: "  ", TENCENTCLOUD_SECRET_KEY: "" },
      homeDir: "/home/u",
      readText: files({
        "/home/u/.tencentcloud/credentials":
          "# profile\n[other]\nsecret_id=wrong\n[default]\nsecret_id = AKIDini\nsecret_key = keyini\ntoken = t1\n",
      }),
    });
    expect(source).toBe("profile /home/u/.tencentcloud/credentials [default]");
    expect([credentials.secretId, credentials.secretKey, credentials.token]).toEqual(["AKIDini", "keyini", "t1"]);
  });

  it("reads /etc/tencentcloud/credentials, then tccli's JSON profile", async () => {
    const etc = await resolveCredentials({
      env: {},
      homeDir: "/home/u",
      readText: files({ "/etc/tencentcloud/credentials": "[default]\nsecret_id=AKIDetc\nsecret_key=k\n" }),
    });
    expect(etc.credentials.secretId).toBe("AKIDetc");
    const tccli = await resolveCredentials({
      env: {},
      homeDir: "/home/u",
      readText: files({ "/home/u/.tccli/default.credential": '{"secretId":"AKIDcli","secretKey":"kcli"}' }),
    });
    expect([tccli.source, tccli.credentials.secretId]).toEqual([
      "profile /home/u/.tccli/default.credential",
      "AKIDcli",
    ]);
  });

  it("names what to set when nothing or half a pair is set", async () => {
    await expect(resolveCredentials({ env: {}, homeDir: "/h", readText: files({}) })).rejects.toThrow(
      /TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY/,
    );
    await expect(
      resolveCredentials({ env: { TENCENTCLOUD_SECRET_ID: "id" }, homeDir: "/h", readText: files({}) }),
    ).rejects.toThrow(/sets TENCENTCLOUD_SECRET_ID but not TENCENTCLOUD_SECRET_KEY/);
    await expect(
      resolveCredentials({
        env: {},
        homeDir: "/h",
        readText: files({ "/h/.tencentcloud/credentials": "[default]\nsecret_key=only\n" }),
      }),
    ).rejects.toBeInstanceOf(ConfigError);
    await expect(
      resolveCredentials({ env: {}, homeDir: "/h", readText: files({ "/h/.tccli/default.credential": "{oops" }) }),
    ).rejects.toThrow(/not valid JSON/);
  });
});

describe("Credentials", () => {
  it("never prints the key or token", () => {
    const credentials = new Credentials("AKIDvisible", "very-secret-key", "very-secret-token");
    const printed = [
      JSON.stringify(credentials),
      String(credentials),
      inspect(credentials),
      inspect({ nested: credentials }, { depth: 5 }),
      `${credentials}`,
    ].join("\n");
    expect(printed).toContain("AKIDvisible");
    expect(printed).not.toContain("very-secret");
    expect(credentials.secrets()).toEqual(["very-secret-key", "very-secret-token"]);
  });
});
