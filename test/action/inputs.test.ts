import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseBooleanInput, readInputs, secretsToMask } from "../../src/action/inputs.js";
import { ConfigError } from "../../src/tencent/errors.js";

const CREDS = { "secret-id": "AKIDexample", "secret-key": "exampleKey0123" };

/** As core.getInput: the INPUT_ variable trimmed, "" when unset. */
function inputs(values: Record<string, string>) {
  return (name: string) => (values[name] ?? "").trim();
}

function read(values: Record<string, string>, env: Record<string, string> = {}) {
  return readInputs(inputs({ ...CREDS, ...values }), env);
}

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("readInputs", () => {
  it("applies the defaults of action.yml when optional inputs are empty", () => {
    const config = read({ "job-id": "dts-1ewjspuw" });
    expect(config.jobIds).toEqual(["dts-1ewjspuw"]);
    expect(config.endpoint.href).toBe("https://dts.tencentcloudapi.com/");
    expect(config.intervalMs).toBe(5000);
    expect(config.timeoutMs).toBe(1_800_000);
    expect(config.rate).toBe(20);
    expect(config.requestTimeoutMs).toBe(10_000);
    expect(config.failOnWarning).toBe(false);
    expect(config.createCheck).toBe(false);
    expect(config.start).toBe(false);
    expect(config).not.toHaveProperty("region");
    expect(config).not.toHaveProperty("redisUrl");
    expect(config.credentials.keys?.secretId).toBe("AKIDexample");
    expect(config.credentials.keys?.secretKey).toBe("exampleKey0123");
    expect(config.credentials.keys?.token).toBeUndefined();
  });

  it("splits job ids on spaces, commas and newlines, keeping the first of duplicates", () => {
    const config = read({
      "job-id": " dts-bbbbbbbb, dts-aaaaaaaa\ndts-cccccccc\r\n\tdts-bbbbbbbb,,dts-aaaaaaaa  dts-dddddddd\n",
    });
    expect(config.jobIds).toEqual(["dts-bbbbbbbb", "dts-aaaaaaaa", "dts-cccccccc", "dts-dddddddd"]);
  });

  it("requires job-id", () => {
    for (const value of ["", "   ", "\n"]) {
      expect(configError(() => read({ "job-id": value }))).toBe(
        "input job-id is required: one or more job ids (as dts-1ewjspuw), separated by spaces, commas or newlines",
      );
    }
    expect(configError(() => read({ "job-id": " , ,\n" }))).toBe(
      "input job-id: give at least one job id (as dts-1ewjspuw)",
    );
  });

  it("rejects a malformed job id, naming it", () => {
    expect(configError(() => read({ "job-id": "dts-1ewjspuw, DTS-UPPER123" }))).toBe(
      'input job-id: invalid job id "DTS-UPPER123": expected dts- or sync- and 8 lowercase letters or digits (as dts-1ewjspuw, sync-1ewjspuw), or a consistency check\'s id (as dts-1ewjspuw-cmp-37skmii9)',
    );
  });

  it("reads interval, timeout and request-timeout as the CLI does: seconds or with units", () => {
    expect(read({ "job-id": "dts-1ewjspuw", interval: "0.05", timeout: "0" })).toMatchObject({
      intervalMs: 50,
      timeoutMs: 0,
    });
    expect(read({ "job-id": "dts-1ewjspuw", interval: " 2.5 ", timeout: "60" })).toMatchObject({
      intervalMs: 2500,
      timeoutMs: 60_000,
    });
    expect(
      read({ "job-id": "dts-1ewjspuw", interval: "500ms", timeout: "1h30m", "request-timeout": "2.5s" }),
    ).toMatchObject({ intervalMs: 500, timeoutMs: 5_400_000, requestTimeoutMs: 2500 });
    expect(configError(() => read({ "job-id": "dts-1ewjspuw", interval: "0" }))).toBe(
      'input interval must be a duration > 0 in seconds (90, 2.5) or with units (500ms, 30s, 5m, 1h30m), not "0"',
    );
    expect(configError(() => read({ "job-id": "dts-1ewjspuw", "request-timeout": "5 s" }))).toMatch(
      /^input request-timeout must be a duration > 0 .*, not "5 s"$/,
    );
    expect(configError(() => read({ "job-id": "dts-1ewjspuw", timeout: "-1" }))).toMatch(
      /^input timeout must be a duration ≥ 0 .*, not "-1"$/,
    );
    expect(configError(() => read({ "job-id": "dts-1ewjspuw", timeout: "200h" }))).toBe(
      'input timeout "200h" is more than a week',
    );
  });

  it("reads booleans leniently: empty is false, true/false/yes/no/on/off/1/0 in any case", () => {
    const flags = (value: string) =>
      read({ "job-id": "dts-1ewjspuw", "fail-on-warning": value, "create-check": value, "start-migration": value });
    for (const value of ["", "  "])
      expect(flags(value)).toMatchObject({ failOnWarning: false, createCheck: false, start: false });
    for (const value of ["true", "TRUE", "True", "yes", "Yes", "1", "on", "Y"]) {
      expect(flags(value)).toMatchObject({ failOnWarning: true, createCheck: true, start: true });
    }
    for (const value of ["false", "FALSE", "no", "NO", "0", "off"]) {
      expect(flags(value)).toMatchObject({ failOnWarning: false, createCheck: false, start: false });
    }
    expect(configError(() => read({ "job-id": "dts-1ewjspuw", "start-migration": "maybe" }))).toBe(
      'input start-migration must be one of true, false, yes, no, on, off, 1, 0, y, n (any case), not "maybe"',
    );
    expect(parseBooleanInput("start-migration", "", true)).toBe(true);
  });

  it("reads any casing of a boolean word as it spells, and refuses every other word (property)", () => {
    // Invariant: the CLI's words plus y/n, in any case, mean what they say; anything else throws.
    const meanings: Record<string, boolean> = { true: true, yes: true, y: true, on: true, "1": true };
    for (const word of ["false", "no", "n", "off", "0"]) meanings[word] = false;
    const spelling = fc
      .constantFrom(...Object.keys(meanings), "ye", "tru", "2", "nah", "oui")
      .chain((word) =>
        fc
          .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
          .map((upper) => [...word].map((char, index) => (upper[index] ? char.toUpperCase() : char)).join("")),
      );
    fc.assert(
      fc.property(spelling, (value) => {
        const meaning = meanings[value.toLowerCase()];
        if (meaning === undefined) expect(() => parseBooleanInput("start-migration", value)).toThrow(ConfigError);
        else expect(parseBooleanInput("start-migration", value)).toBe(meaning);
      }),
    );
  });

  it("checks the endpoint as the CLI does", () => {
    expect(read({ "job-id": "dts-1ewjspuw", endpoint: "http://127.0.0.1:8181" }).endpoint.href).toBe(
      "http://127.0.0.1:8181/",
    );
    expect(configError(() => read({ "job-id": "dts-1ewjspuw", endpoint: "http://dts.example.com" }))).toBe(
      "input endpoint http://dts.example.com: http:// is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost); use https://",
    );
    expect(configError(() => read({ "job-id": "dts-1ewjspuw", endpoint: "not a url" }))).toBe(
      'input endpoint "not a url" is not a URL (example: https://dts.tencentcloudapi.com)',
    );
  });

  it("refuses an endpoint or a malformed redis-url without echoing a password, and masks both", () => {
    const endpoint = "https://user:hunter22@dts.tencentcloudapi.com";
    const endpointError = configError(() => read({ "job-id": "dts-1ewjspuw", endpoint }));
    expect(endpointError).toMatch(/^input endpoint must not carry credentials/);
    const redis = "redis://:p%zzword@127.0.0.1:6379";
    const redisError = configError(() => read({ "job-id": "dts-1ewjspuw", "redis-url": redis }));
    expect(redisError).toMatch(/^input redis-url: the user or password has a bad %-escape/);
    for (const message of [endpointError, redisError]) expect(message).not.toMatch(/hunter22|p%zzword/);
    expect(secretsToMask(inputs({ endpoint, "redis-url": redis }), {}).sort()).toEqual(["hunter22", "p%zzword"]);
  });

  it("falls back to the TENCENTCLOUD_* variables, inputs first", () => {
    const env = {
      TENCENTCLOUD_SECRET_ID: "AKIDfromEnv",
      TENCENTCLOUD_SECRET_KEY: "keyFromEnv",
      TENCENTCLOUD_SESSION_TOKEN: "tokenFromEnv",
      TENCENTCLOUD_REGION: "ap-shanghai",
    };
    // No key input: the credential chain's environment source reads the variables itself.
    const fromEnv = readInputs(inputs({ "job-id": "dts-1ewjspuw" }), env);
    expect(fromEnv.credentials).toEqual({});
    expect(fromEnv.region).toBe("ap-shanghai");
    const mixed = readInputs(
      inputs({ "job-id": "dts-1ewjspuw", "secret-key": "keyFromInput", region: "ap-guangzhou" }),
      env,
    );
    expect(mixed.credentials.keys?.secretId).toBe("AKIDfromEnv");
    expect(mixed.credentials.keys?.secretKey).toBe("keyFromInput");
    expect(mixed.credentials.keys?.token).toBe("tokenFromEnv");
    expect(mixed.region).toBe("ap-guangzhou");
  });

  it("wants both halves of the key pair", () => {
    expect(configError(() => readInputs(inputs({ "job-id": "dts-1ewjspuw", "secret-id": "AKIDx" }), {}))).toBe(
      "secret-id is set but secret-key is not: set both",
    );
    expect(
      configError(() =>
        readInputs(inputs({ "job-id": "dts-1ewjspuw", "session-token": "t0ken" }), { TENCENTCLOUD_SECRET_KEY: "k" }),
      ),
    ).toBe("secret-key is set but secret-id is not: set both");
  });

  it("reads redis-url", () => {
    expect(read({ "job-id": "dts-1ewjspuw", "redis-url": "redis://:pw@127.0.0.1:6379/0" }).redisUrl?.host).toBe(
      "127.0.0.1:6379",
    );
    expect(configError(() => read({ "job-id": "dts-1ewjspuw", "redis-url": "http://127.0.0.1" }))).toBe(
      "input redis-url must start with redis:// or rediss://, not http://",
    );
  });
});

describe("secretsToMask", () => {
  it("lists every credential of the inputs and the environment, and a Redis password", () => {
    const secrets = secretsToMask(
      inputs({ "secret-id": "AKIDin", "secret-key": "keyIn", "redis-url": "rediss://user:p%40ss@redis.example:6380" }),
      { TENCENTCLOUD_SECRET_KEY: " keyEnv ", TENCENTCLOUD_SECURITY_TOKEN: "tok" },
    );
    expect(secrets.sort()).toEqual(["AKIDin", "keyIn", " keyEnv ", "keyEnv", "tok", "p%40ss", "p@ss"].sort());
    expect(secrets).not.toContain("user");
  });

  it("never masks blank values", () => {
    expect(
      secretsToMask(inputs({ "secret-id": "" }), { TENCENTCLOUD_SECRET_ID: "  ", TENCENTCLOUD_TOKEN: "\n" }),
    ).toEqual([]);
  });

  it("masks a redis-url that is not a URL as a whole", () => {
    expect(secretsToMask(inputs({ "redis-url": "secret-ish garbage" }), {})).toEqual(["secret-ish garbage"]);
  });
});

describe("readInputs: max-interval", () => {
  it("is six times interval when empty, and may equal it", () => {
    expect(read({ "job-id": "dts-1ewjspuw" })).toMatchObject({ intervalMs: 5_000, maxIntervalMs: 30_000 });
    expect(read({ "job-id": "dts-1ewjspuw", interval: "10", "max-interval": "" }).maxIntervalMs).toBe(60_000);
    expect(read({ "job-id": "dts-1ewjspuw", interval: "10", "max-interval": "10s" }).maxIntervalMs).toBe(10_000);
  });

  it("refuses one shorter than interval, naming the input", () => {
    const message = configError(() => read({ "job-id": "dts-1ewjspuw", "max-interval": "2" }));
    expect(message).toContain("input max-interval");
    expect(message).toContain("shorter than input interval");
    expect(configError(() => read({ "job-id": "dts-1ewjspuw", "max-interval": "later" }))).toContain(
      "input max-interval",
    );
  });
});

describe("readInputs: the phases after the check", () => {
  it("reads until, max-lag, max-gap, settle and complete; empty means the default", () => {
    expect(read({ "job-id": "dts-1ewjspuw" })).toMatchObject({
      until: "check",
      maxLagMs: 0,
      maxGapMB: 0,
      settleMs: 60_000,
      complete: false,
    });
    const given = read({ "job-id": "dts-1ewjspuw", until: "ready", "max-lag": "1m", "max-gap": "3", settle: "90" });
    expect(given).toMatchObject({ until: "ready", maxLagMs: 60_000, maxGapMB: 3, settleMs: 90_000 });
    // action.yml's default until is check: complete still waits until done.
    expect(read({ "job-id": "dts-1ewjspuw", until: "check", complete: "yes" })).toMatchObject({
      until: "done",
      complete: true,
    });
  });

  it("refuses bad values, naming the input", () => {
    expect(configError(() => read({ "job-id": "dts-1ewjspuw", until: "later" }))).toContain("input until");
    expect(configError(() => read({ "job-id": "dts-1ewjspuw", "max-gap": "lots" }))).toContain("input max-gap");
    expect(configError(() => read({ "job-id": "dts-1ewjspuw", "max-lag": "-5" }))).toContain("input max-lag");
    expect(configError(() => read({ "job-id": "dts-1ewjspuw", settle: "1 minute" }))).toContain("input settle");
    expect(configError(() => read({ "job-id": "dts-1ewjspuw", complete: "perhaps" }))).toContain("input complete");
  });
});
