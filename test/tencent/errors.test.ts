import { describe, expect, it } from "vitest";
import { ApiError, ConfigError, isConfigError, kindOfCode } from "../../src/tencent/errors.js";

describe("isConfigError", () => {
  it("tells a configuration error by its kind, whichever copy of the class made it", () => {
    // What a ConfigError from another bundle of the CLI looks like here: same kind, other class.
    class ConfigErrorOfAnotherBundle extends Error {
      readonly kind = "config" as const;
    }
    expect(isConfigError(new ConfigError("no credentials"))).toBe(true);
    expect(isConfigError(new ConfigErrorOfAnotherBundle("no credentials"))).toBe(true);
    expect(isConfigError(new Error("config"))).toBe(false);
    expect(isConfigError({ kind: "config", message: "not an Error" })).toBe(false);
    expect(isConfigError(new ApiError({ kind: "fatal", code: "AuthFailure", message: "x", maybeApplied: false }))).toBe(
      false,
    );
  });
});

describe("kindOfCode", () => {
  it.each([
    ["ResourceUnavailable", "transient"],
    ["ResourceUnavailable.InstanceStatusError", "transient"],
    ["InternalError", "transient"],
    ["RequestLimitExceeded.GlobalRegionUinLimitExceeded", "throttled"],
    ["AuthFailure.SignatureExpire", "clockSkew"],
    ["AuthFailure.SignatureFailure", "fatal"],
    ["ResourceNotFound", "fatal"],
    ["ResourceUnavailableX", "fatal"],
  ] as const)("%s is %s", (code, kind) => {
    expect(kindOfCode(code)).toBe(kind);
  });
});
