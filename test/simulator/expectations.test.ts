import { describe, expect, it } from "vitest";
import { startSimulator } from "../../src/simulator/index.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";
import { errorCode, post } from "./helpers.js";

// expectToken and expectRegion: the simulator checks X-TC-Token and X-TC-Region when told to.

const start = simulatorsClosedAfterEach({ scenario: "pass", stepMs: 0, createLagMs: 0 });

const TOKEN = "tmp-token-0123456789";

describe("expectToken", () => {
  it("refuses a request without the token, or with another, with AuthFailure.TokenFailure", async () => {
    const s = await start({ expectToken: TOKEN });
    const missing = await post(s.url);
    expect(missing.json.Response.Error).toEqual({
      Code: "AuthFailure.TokenFailure",
      Message: "The request has no X-TC-Token.",
    });
    expect(await errorCode(s.url, { headers: { "X-TC-Token": "" } })).toBe("AuthFailure.TokenFailure");
    expect(await errorCode(s.url, { headers: { "X-TC-Token": `${TOKEN}x` } })).toBe("AuthFailure.TokenFailure");
    expect((await post(s.url, { headers: { "X-TC-Token": TOKEN } })).json.Response.CheckFlag).toBe("checkPass");
    expect(s.arrivals.map((a) => a.code)).toEqual([
      "AuthFailure.TokenFailure",
      "AuthFailure.TokenFailure",
      "AuthFailure.TokenFailure",
      undefined,
    ]);
  });

  it("checks the signature first: a bad signature with the right token is SignatureFailure", async () => {
    const s = await start({ expectToken: TOKEN });
    expect(await errorCode(s.url, { secretKey: "bad", headers: { "X-TC-Token": TOKEN } })).toBe(
      "AuthFailure.SignatureFailure",
    );
  });

  it("accepts any token, or none, when not told to expect one", async () => {
    const s = await start();
    expect(await errorCode(s.url)).toBeUndefined();
    expect(await errorCode(s.url, { headers: { "X-TC-Token": "whatever" } })).toBeUndefined();
  });
});

describe("expectRegion", () => {
  it("refuses a missing region with MissingParameter and another with UnsupportedRegion", async () => {
    const s = await start({ expectRegion: "ap-guangzhou" });
    expect(await errorCode(s.url)).toBe("MissingParameter");
    const other = await post(s.url, { headers: { "X-TC-Region": "ap-shanghai" } });
    expect(other.json.Response.Error).toEqual({
      Code: "UnsupportedRegion",
      Message: "The API does not support the region ap-shanghai.",
    });
    expect(await errorCode(s.url, { headers: { "X-TC-Region": "ap-guangzhou" } })).toBeUndefined();
  });

  it("comes after authentication: a bad signature is reported as such whatever the region", async () => {
    const s = await start({ expectRegion: "ap-guangzhou" });
    expect(await errorCode(s.url, { secretKey: "bad" })).toBe("AuthFailure.SignatureFailure");
  });

  it("accepts any region, or none, when not told to expect one", async () => {
    const s = await start();
    expect(await errorCode(s.url)).toBeUndefined();
    expect(await errorCode(s.url, { headers: { "X-TC-Region": "eu-frankfurt" } })).toBeUndefined();
  });

  it("refuses empty expectations: leave them out instead", async () => {
    await expect(startSimulator({ expectToken: "" })).rejects.toThrow(/expectToken/);
    await expect(startSimulator({ expectRegion: "" })).rejects.toThrow(/expectRegion/);
  });
});
