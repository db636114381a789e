import { describe, expect, it } from "vitest";
import { parseEndpoint, parseJobIds, parseRate, parseRedisUrl, parseSeconds } from "../../src/cli/options.js";
import { ConfigError } from "../../src/tencent/errors.js";

describe("option parsing", () => {
  it("allows plain http only to loopback hosts, as the URL parser normalises them", () => {
    for (const endpoint of [
      "http://127.0.0.1:8181",
      "http://127.1",
      "http://0x7f.0.0.1/",
      "http://[::1]:9",
      "http://[0:0::1]",
      "http://LOCALHOST:80",
    ]) {
      expect(parseEndpoint(endpoint).protocol, endpoint).toBe("http:");
    }
    for (const endpoint of [
      "http://128.0.0.1",
      "http://127.0.0.1.nip.io",
      "http://foo.localhost",
      "http://[::2]",
      "http://10.0.0.1",
    ]) {
      expect(() => parseEndpoint(endpoint), endpoint).toThrow(/only for loopback/);
    }
    expect(parseEndpoint("https://dts.tencentcloudapi.com").host).toBe("dts.tencentcloudapi.com");
    expect(() => parseEndpoint("ftp://x")).toThrow(ConfigError);
    expect(() => parseEndpoint("https://user:pw@dts.tencentcloudapi.com")).toThrow(/credentials/);
    expect(() => parseEndpoint("not a url")).toThrow(/not a URL/);
  });

  it("splits, checks and deduplicates job ids", () => {
    expect(parseJobIds(["dts-1ewjspuw,dts-abcdefgh", "dts-1ewjspuw\ndts-00000000"])).toEqual([
      "dts-1ewjspuw",
      "dts-abcdefgh",
      "dts-00000000",
    ]);
    expect(() => parseJobIds(["dts-1EWJSPUW", "dts-short"])).toThrow(/"dts-1EWJSPUW", "dts-short"/);
    expect(() => parseJobIds([" , "])).toThrow(/at least one job id/);
  });

  it("checks seconds, rates and Redis URLs", () => {
    expect(parseSeconds("interval", "0.25", { allowZero: false })).toBe(0.25);
    expect(parseSeconds("timeout", 0, { allowZero: true })).toBe(0);
    for (const bad of ["", "abc", -1, Number.NaN, Number.POSITIVE_INFINITY, 8 * 24 * 3600]) {
      expect(() => parseSeconds("interval", bad, { allowZero: false }), String(bad)).toThrow(ConfigError);
    }
    expect(() => parseSeconds("interval", 0, { allowZero: false })).toThrow(/> 0/);
    expect(parseRate("20")).toBe(20);
    expect(parseRate(100_000)).toBe(100_000);
    for (const bad of [0, 1.5, 100_001, "x"]) expect(() => parseRate(bad), String(bad)).toThrow(/whole number/);
    expect(parseRedisUrl("redis://:pw@127.0.0.1:6379/0").port).toBe("6379");
    expect(() => parseRedisUrl("http://127.0.0.1")).toThrow(/redis:\/\//);
  });
});
