import { CommonClient } from "tencentcloud-sdk-nodejs-common";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_SECRET_ID, DEMO_SECRET_KEY, type Simulator, startSimulator } from "../../src/simulator/index.js";
import { fakeClock, JOB } from "./helpers.js";

// Acceptance: the official SDK, pointed at the simulator, works unchanged. It signs the service as
// the first label of its endpoint ("127") and the host without the port.

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function sdkClient(url: string, secretKey = DEMO_SECRET_KEY) {
  return new CommonClient(new URL(url).host, "2021-12-06", {
    credential: { secretId: DEMO_SECRET_ID, secretKey },
    region: "ap-guangzhou",
    profile: { httpProfile: { endpoint: new URL(url).host, protocol: "http://", reqTimeout: 5 } },
  });
}

describe("official SDK against the simulator", () => {
  it("sees the pass scenario progress to success/checkPass", async () => {
    // The SDK signs with the real time: the simulator's clock starts there and is moved by hand.
    const clock = fakeClock(Date.now());
    sim = await startSimulator({ scenario: "pass", stepMs: 100, now: clock.now });
    const client = sdkClient(sim.url);
    const statuses: string[] = [];
    let last: { Status: string; CheckFlag: string; BriefMsg: string; StepInfo: { StepStatus: string }[] } | undefined;
    for (let i = 0; i < 100; i++) {
      last = await client.request("DescribeMigrationCheckJob", { JobId: JOB });
      statuses.push(last?.Status ?? "?");
      if (last?.Status !== "running") break;
      clock.advance(150);
    }
    expect(statuses[0]).toBe("running");
    expect(last?.Status).toBe("success");
    expect(last?.CheckFlag).toBe("checkPass");
    expect(last?.BriefMsg).toBe("success");
    expect(last?.StepInfo.map((s) => s.StepStatus)).toEqual(Array(13).fill("pass"));
    // The SDK's requests were accepted by signature, service "127" included.
    expect(sim.arrivals.every((a) => a.code === undefined)).toBe(true);
    expect(sim.arrivals.length).toBe(statuses.length);
  });

  it("drives CreateMigrateCheckJob and StartMigrateJob", async () => {
    sim = await startSimulator({ scenario: "pass", stepMs: 0, createLagMs: 0 });
    const client = sdkClient(sim.url);
    const created = await client.request("CreateMigrateCheckJob", { JobId: JOB });
    expect(typeof created.RequestId).toBe("string");
    const started = await client.request("StartMigrateJob", { JobId: JOB });
    expect(started.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sim.startCount(JOB)).toBe(1);
  });

  it("gets AuthFailure.SignatureFailure with a wrong secret key", async () => {
    sim = await startSimulator({ scenario: "pass" });
    const client = sdkClient(sim.url, "wrongKey000000000000000000000000");
    const error = await client.request("DescribeMigrationCheckJob", { JobId: JOB }).then(
      () => undefined,
      (e: unknown) => e as { code?: string; requestId?: string },
    );
    expect(error?.code).toBe("AuthFailure.SignatureFailure");
    expect(error?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
