import { describe, expect, it } from "vitest";
import { kindOfCode } from "../../src/tencent/errors.js";

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
