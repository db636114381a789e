import { describe, expect, it } from "vitest";
import { parseEndpoint, parseJobIds, parseRate, parseRedisUrl } from "../../src/app/options.js";
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
      expect(parseEndpoint("--endpoint", endpoint).protocol, endpoint).toBe("http:");
    }
    for (const endpoint of [
      "http://128.0.0.1",
      "http://127.0.0.1.nip.io",
      "http://foo.localhost",
      "http://[::2]",
      "http://10.0.0.1",
    ]) {
      expect(() => parseEndpoint("--endpoint", endpoint), endpoint).toThrow(/only for loopback/);
    }
    expect(parseEndpoint("--endpoint", "https://dts.tencentcloudapi.com").host).toBe("dts.tencentcloudapi.com");
    expect(() => parseEndpoint("--endpoint", "ftp://x")).toThrow(ConfigError);
    expect(() => parseEndpoint("--endpoint", "https://user:pw@dts.tencentcloudapi.com")).toThrow(/credentials/);
    expect(() => parseEndpoint("--endpoint", "not a url")).toThrow(/not a URL/);
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

  it("checks rates and Redis URLs", () => {
    expect(parseRate("--rate", "20")).toBe(20);
    expect(parseRate("--rate", "1")).toBe(1);
    expect(parseRate("--rate", "100")).toBe(100);
    for (const bad of ["0", "1.5", "101", "100000", "x", "0x10", "1e3", " 5", ""]) {
      expect(() => parseRate("--rate", bad), bad).toThrow(`not ${JSON.stringify(bad)}`);
    }
    expect(parseRedisUrl("--redis-url", "redis://:pw@127.0.0.1:6379/0").port).toBe("6379");
    expect(() => parseRedisUrl("--redis-url", "http://127.0.0.1")).toThrow(/redis:\/\//);
  });

  it("never echoes the credentials of a URL it refuses", () => {
    for (const [parse, value] of [
      [parseEndpoint, "https://user:hunter22@dts.tencentcloudapi.com"],
      [parseEndpoint, "http://:hunter22@127.0.0.1:9"],
      [parseEndpoint, "https://user:hunter22@exa mple.com"],
      [parseRedisUrl, "redis://:hunter22%zz@127.0.0.1:6379"],
      [parseRedisUrl, "redis://user:hunter22@[::1"],
    ] as const) {
      let message = "";
      try {
        parse("--x", value);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        message = (error as Error).message;
      }
      expect(message, value).toMatch(/^--x[ :]/);
      expect(message, value).not.toContain("hunter22");
    }
  });
});
