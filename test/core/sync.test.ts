import { describe, expect, it } from "vitest";
import { toJsonDocument } from "../../src/output/report.js";
import { apiError } from "../helpers/fake-client.js";
import { gateHarness } from "../helpers/gate-harness.js";
import { syncCheckAnswer, syncJobsAnswer, syncStep } from "../helpers/kind-answers.js";

const SYNC = "sync-1ewjspuw";
const SYNC_B = "sync-abcdefgh";
const CHECK = "DescribeCheckSyncJobResult";
const JOBS = "DescribeSyncJobs";

describe("a data sync job's check", () => {
  it("passes on Status success with no step failed; warnings are kept as for a migration", async () => {
    const { client, run } = gateHarness({ jobIds: [SYNC] });
    client.script(CHECK, SYNC, [
      syncCheckAnswer("running"),
      syncCheckAnswer("success", [
        syncStep(1, "finished"),
        syncStep(2, "finished", [], ["W.Code"]),
        syncStep(3, "skipped", ["E.Skipped"]),
      ]),
    ]);
    const result = await run();
    expect(result.exitCode).toBe(0);
    const job = toJsonDocument(result).jobs[0];
    expect(job).toMatchObject({ kind: "sync", outcome: "pass", status: "success", checkFlag: null });
    expect(job?.warnings.map((warning) => warning.itemName)).toEqual(["W.Code"]);
  });

  it("a failed step under success does not pass; the step's errors are its failed items", async () => {
    const { client, run } = gateHarness({ jobIds: [SYNC] });
    client.script(CHECK, SYNC, [
      syncCheckAnswer("success", [syncStep(1, "finished"), syncStep(2, "failed", ["Conn.Refused"])]),
    ]);
    const result = await run();
    expect(result.exitCode).toBe(1);
    expect(result.jobs[0]?.outcome).toBe("notPass");
    expect(result.jobs[0]?.stepInfo?.[1]?.DetailCheckItems?.[0]).toMatchObject({
      CheckItemName: "Conn.Refused",
      CheckResult: "failed",
      FailureReason: "Conn.Refused message",
    });
  });

  it("Status failed is the check task failing; a step of no documented status holds the verdict back", async () => {
    const failed = gateHarness({ jobIds: [SYNC] });
    failed.client.script(CHECK, SYNC, [syncCheckAnswer("failed")]);
    expect((await failed.run()).jobs[0]?.outcome).toBe("failed");
    const odd = gateHarness({ jobIds: [SYNC], timeoutMs: 10_000 });
    odd.client.script(CHECK, SYNC, [syncCheckAnswer("success", [syncStep(1, "FAILED")])]);
    expect((await odd.run()).exitCode).toBe(3);
  });

  it("--create-check sends CreateCheckSyncJob first, then waits for that check", async () => {
    const { client, run } = gateHarness({ jobIds: [SYNC], createCheck: true });
    client.script("CreateCheckSyncJob", SYNC, [{ RequestId: "created" }]);
    client.script(CHECK, SYNC, [syncCheckAnswer("running"), syncCheckAnswer("success")]);
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(client.calls[0]?.action).toBe("CreateCheckSyncJob");
    expect(result.jobs[0]?.created).toEqual({ requestId: "created" });
  });
});

describe("a data sync job started and waited for until ready", () => {
  const toReady = { jobIds: [SYNC], start: true, until: "ready", settleMs: 0 } as const;

  it("StartSyncJob once the check passed; ready once Running in the incremental step with no lag", async () => {
    const { client, run } = gateHarness(toReady);
    client.script(CHECK, SYNC, [syncCheckAnswer("success")]);
    client.script("StartSyncJob", SYNC, [{ RequestId: "started" }]);
    client.script(JOBS, SYNC, [
      syncJobsAnswer(SYNC, "ReadyRunning"),
      syncJobsAnswer(SYNC, "Running", { stepNow: 3 }),
      syncJobsAnswer(SYNC, "Running", { lag: 12 }),
      syncJobsAnswer(SYNC, "Running"),
    ]);
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(result.jobs[0]).toMatchObject({ outcome: "ready", started: { requestId: "started" }, startRequests: 1 });
    expect(client.count(JOBS)).toBe(4);
    expect(result.reason).toBe("gate open: the sync job is ready; sync started for 1 job");
  });

  it("StartSyncJob is never sent twice: a lost answer is StartOutcomeUnknown, told as StartSyncJob", async () => {
    const { client, run } = gateHarness(toReady);
    client.script(CHECK, SYNC, [syncCheckAnswer("success")]);
    client.script("StartSyncJob", SYNC, [apiError("InternalError"), { RequestId: "late" }]);
    const result = await run();
    expect(client.count("StartSyncJob")).toBe(1);
    expect(result.exitCode).toBe(4);
    expect(result.jobs[0]?.error?.code).toBe("StartOutcomeUnknown");
    expect(result.reason).toMatch(/^gate closed: StartSyncJob was sent for sync-1ewjspuw/);
  });

  it.each([
    ["Failed", {}],
    ["Stopping", {}],
    ["Stopped", {}],
    ["Pausing", {}],
    ["Paused", {}],
    ["Released", {}],
    ["Running", { trade: "Isolated" }],
    ["Running", { trade: "Offlined" }],
  ])("%s %j closes the gate at once", async (status, shape) => {
    const { client, run } = gateHarness({ ...toReady, start: false });
    client.script(JOBS, SYNC, [syncJobsAnswer(SYNC, status, shape)]);
    const result = await run();
    expect(result.exitCode).toBe(1);
    expect(client.count(JOBS)).toBe(1);
    expect(result.reason).toContain(SYNC);
  });

  it("ResumableErr and Resuming are waited through, told in the report", async () => {
    const { client, run } = gateHarness({ ...toReady, start: false });
    client.script(JOBS, SYNC, [
      syncJobsAnswer(SYNC, "ResumableErr"),
      syncJobsAnswer(SYNC, "Resuming"),
      syncJobsAnswer(SYNC, "Running"),
    ]);
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(result.jobs[0]?.notes.join(" ")).toContain("ResumableErr");
  });

  it("without --start, a sync job that was never started closes the gate with a reason that says so", async () => {
    const { client, run } = gateHarness({ ...toReady, start: false });
    client.script(JOBS, SYNC, [syncJobsAnswer(SYNC, "CheckPass")]);
    const result = await run();
    expect(result.exitCode).toBe(1);
    expect(result.reason).toContain("has not been started");
  });

  it("needs the lag and the gap known and within bounds in every answer for --settle", async () => {
    const { client, run } = gateHarness({
      ...toReady,
      start: false,
      settleMs: 10_000,
      maxLagMs: 5_000,
      timeoutMs: 60_000,
      // Fixed polling: the script is one answer per poll, whatever the cadence would choose.
      maxIntervalMs: 5_000,
    });
    client.script(JOBS, SYNC, [
      syncJobsAnswer(SYNC, "Running", { lag: 5 }),
      syncJobsAnswer(SYNC, "Running", { gap: -1 }),
      syncJobsAnswer(SYNC, "Running", { lag: 4 }),
      syncJobsAnswer(SYNC, "Running", { lag: 3 }),
      syncJobsAnswer(SYNC, "Running", { lag: 0 }),
    ]);
    const result = await run();
    expect(result.exitCode).toBe(0);
    // Ready from the third answer, settled at the fifth: the unknown gap restarted the settle.
    expect(client.count(JOBS)).toBe(5);
  });
});

describe("one run mixing kinds", () => {
  it("the worst outcome wins, each job with its kind", async () => {
    const task = "dts-1ewjspuw-cmp-37skmii9";
    const { client, run } = gateHarness({ jobIds: ["dts-1ewjspuw", SYNC, SYNC_B, task], failFast: false });
    client.script("DescribeMigrationCheckJob", "dts-1ewjspuw", [
      { Status: "success", CheckFlag: "checkPass", StepInfo: [], BriefMsg: "", RequestId: "m" },
    ]);
    client.script(CHECK, SYNC, [syncCheckAnswer("success")]);
    client.script(CHECK, SYNC_B, [syncCheckAnswer("success", [syncStep(1, "failed", ["E"])])]);
    client.script("DescribeCompareTasks", "dts-1ewjspuw", [
      { TotalCount: 1, Items: [{ CompareTaskId: task, Status: "running" }], RequestId: "c" },
    ]);
    const result = await run();
    expect(result.jobs.map((job) => [job.kind, job.outcome])).toEqual([
      ["migration", "pass"],
      ["sync", "pass"],
      ["sync", "notPass"],
      ["compare", "timeout"],
    ]);
    expect(result.exitCode).toBe(3);
  });
});
