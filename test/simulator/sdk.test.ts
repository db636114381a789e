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

  it("drives a whole migration: detail, consistency check, report, CompleteMigrateJob", async () => {
    const clock = fakeClock(Date.now());
    sim = await startSimulator({ scenario: "different", stepMs: 0, createLagMs: 0, migrateMs: 1000, now: clock.now });
    const client = sdkClient(sim.url);
    expect((await client.request("DescribeMigrationDetail", { JobId: JOB })).Status).toBe("checkPass");
    await client.request("StartMigrateJob", { JobId: JOB });
    clock.advance(1000);
    const ready = await client.request("DescribeMigrationDetail", { JobId: JOB });
    expect(ready.Status).toBe("readyComplete");
    expect(ready.Action.AllowedAction).toContain("complete");
    const { CompareTaskId } = await client.request("CreateCompareTask", { JobId: JOB });
    expect(CompareTaskId).toMatch(/^dts-1ewjspuw-cmp-[a-z0-9]{8}$/);
    await client.request("StartCompare", { JobId: JOB, CompareTaskId });
    const tasks = await client.request("DescribeCompareTasks", { JobId: JOB, CompareTaskId });
    expect(tasks.Items[0].Conclusion).toBe("different");
    const report = await client.request("DescribeCompareReport", { JobId: JOB, CompareTaskId, DifferenceLimit: 5 });
    expect(report.Detail.Difference.Items).toHaveLength(5);
    await client.request("CompleteMigrateJob", { JobId: JOB });
    clock.advance(200);
    expect((await client.request("DescribeMigrationDetail", { JobId: JOB })).Status).toBe("success");
    expect(sim.completeCount(JOB)).toBe(1);
    expect(sim.arrivals.every((a) => a.code === undefined)).toBe(true);
  });

  it("drives a sync job: its check, its start, DescribeSyncJobs and the Sync compare calls", async () => {
    const clock = fakeClock(Date.now());
    sim = await startSimulator({ scenario: "migrate", stepMs: 0, createLagMs: 0, migrateMs: 1000, now: clock.now });
    const client = sdkClient(sim.url);
    const JobId = "sync-1ewjspuw";
    await client.request("CreateCheckSyncJob", { JobId });
    expect((await client.request("DescribeCheckSyncJobResult", { JobId })).Status).toBe("success");
    await client.request("StartSyncJob", { JobId });
    clock.advance(1000);
    const jobs = await client.request("DescribeSyncJobs", { JobId });
    expect(jobs.JobList[0]).toMatchObject({ Status: "Running", Detail: { StepNow: 4, SecondsBehindMaster: 0 } });
    const { CompareTaskId } = await client.request("CreateSyncCompareTask", { JobId });
    await client.request("StartSyncCompare", { JobId, CompareTaskId });
    const tasks = await client.request("DescribeSyncCompareTasks", { JobId });
    expect(tasks.Items[0].Conclusion).toBe("same");
    const report = await client.request("DescribeSyncCompareReport", { JobId, CompareTaskId });
    expect(report.Abstract.Conclusion).toBe("same");
    expect(sim.startCount(JobId)).toBe(1);
    expect(sim.arrivals.every((a) => a.code === undefined)).toBe(true);
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
