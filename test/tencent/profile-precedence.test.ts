import { describe, expect, it } from "vitest";
import { Credentials } from "../../src/tencent/credentials.js";
import { ConfigError } from "../../src/tencent/errors.js";
import { files, resolve } from "./sts-fixture.js";

/** A profile named explicitly is used alone, ahead of the environment's keys, as the AWS CLI does. */
const INI =
  "[default]\nsecret_id=AKIDdefault\nsecret_key=k0\n[prod]\nsecret_id=AKIDprod\nsecret_key=k1\n[dev]\nsecret_id=AKIDdev\nsecret_key=k2\n";
const readText = files({ "/h/.tencentcloud/credentials": INI });
const ENV_KEYS = { TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "keyenv" };

describe("profile precedence", () => {
  it("--profile wins over the environment's keys", async () => {
    const { source, credentials, tried } = await resolve({ env: ENV_KEYS, profile: "prod", readText });
    expect([source, credentials.secretId]).toEqual(["profile /h/.tencentcloud/credentials [prod]", "AKIDprod"]);
    expect(tried.map((attempt) => attempt.source)).toEqual(["profile prod"]);
  });

  it("TCCLI_PROFILE wins over the environment's keys and the Action's given keys", async () => {
    const keys = new Credentials("AKIDgiven", "keygiven");
    const { credentials } = await resolve({ env: { ...ENV_KEYS, TCCLI_PROFILE: "dev" }, keys, readText });
    expect(credentials.secretId).toBe("AKIDdev");
  });

  it("--profile wins over TCCLI_PROFILE when both are set", async () => {
    const { credentials } = await resolve({ env: { TCCLI_PROFILE: "dev" }, profile: "prod", readText });
    expect(credentials.secretId).toBe("AKIDprod");
  });

  it("a named profile found nowhere is a ConfigError whatever else is set", async () => {
    const env = { ...ENV_KEYS, TCCLI_PROFILE: "staging" };
    const keys = new Credentials("AKIDgiven", "keygiven");
    await expect(resolve({ env, keys, readText })).rejects.toBeInstanceOf(ConfigError);
    await expect(resolve({ env: ENV_KEYS, profile: "staging", readText })).rejects.toThrow(
      /profile "staging" not found/,
    );
  });

  it("with no profile named, the environment's keys still come before the default profile", async () => {
    const { credentials } = await resolve({ env: ENV_KEYS, readText });
    expect(credentials.secretId).toBe("AKIDenv");
  });
});
