import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  CHECK_STEPS,
  type ScenarioName,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from "../../src/simulator/index.js";
import { type Answer, fakeClock, JOB, OTHER_JOB, post } from "./helpers.js";

const STEP = 100;
const REFERENCE = JSON.parse(readFileSync(new URL("./fixtures/describe-warning.json", import.meta.url), "utf8"));

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup(options: SimulatorOptions = {}) {
  const clock = fakeClock();
  sim = await startSimulator({ stepMs: STEP, now: clock.now, ...options });
  const s = sim;
  const call = async (action = "DescribeMigrationCheckJob", jobId = JOB): Promise<Answer> =>
    post(s.url, { action, body: { JobId: jobId }, timestamp: clock.seconds() });
  const describeJob = async (jobId = JOB) => (await call("DescribeMigrationCheckJob", jobId)).json.Response;
  return { sim: s, clock, call, describeJob };
}

const statuses = (response: { StepInfo: { StepStatus: string }[] }) => response.StepInfo.map((s) => s.StepStatus);

describe("check progress", () => {
  it("starts the first check when the job is first seen and takes 13 steps", async () => {
    const { clock, describeJob } = await setup({ scenario: "pass" });
    const first = await describeJob();
    expect(first.Status).toBe("running");
    expect(first.CheckFlag).toBe("");
    expect(first.BriefMsg).toBe("");
    expect(statuses(first)).toEqual(Array(13).fill("notStarted"));
    expect(first.StepInfo.map((s: { StepNo: number }) => s.StepNo)).toEqual([...Array(13).keys()]);
    expect(first.StepInfo.map((s: { StepId: string }) => s.StepId)).toEqual(CHECK_STEPS.map((s) => s.StepId));
    clock.advance(13 * STEP - 1);
    const almost = await describeJob();
    expect(almost.Status).toBe("running");
    expect(statuses(almost)).toEqual([...Array(12).fill("pass"), "notStarted"]);
    clock.advance(1);
    const done = await describeJob();
    expect(done.Status).toBe("success");
    expect(done.CheckFlag).toBe("checkPass");
  });

  it("shows finished steps with their final status while running", async () => {
    const { clock, describeJob } = await setup({ scenario: "warning" });
    await describeJob();
    clock.advance(2.5 * STEP);
    const during = await describeJob();
    expect(statuses(during).slice(0, 4)).toEqual(["pass", "pass", "notStarted", "notStarted"]);
    expect(during.StepInfo[2].DetailCheckItems).toEqual([]);
    clock.advance(STEP);
    const after = await describeJob();
    expect(after.Status).toBe("running");
    expect(statuses(after).slice(0, 4)).toEqual(["pass", "pass", "warning", "notStarted"]);
    expect(after.StepInfo[2].DetailCheckItems[0].CheckResult).toBe("warning");
  });

  it("defaults to the warning scenario, 300 ms steps", async () => {
    const clock = fakeClock();
    sim = await startSimulator({ now: clock.now });
    const url = sim.url;
    const describeJob = async () => (await post(url, { timestamp: clock.seconds() })).json.Response;
    await describeJob();
    clock.advance(13 * 300 - 1);
    expect((await describeJob()).Status).toBe("running");
    clock.advance(1);
    const done = await describeJob();
    expect(done.CheckFlag).toBe("checkPass");
    expect(statuses(done)[2]).toBe("warning");
    expect(statuses(done)[12]).toBe("failed");
  });
});

describe("final shapes", () => {
  async function finalOf(scenario: ScenarioName) {
    const { sim: s, describeJob } = await setup({ scenario });
    await describeJob();
    s.finishCheck(JOB);
    return describeJob();
  }

  it("warning: the API reference's example, key order included", async () => {
    const response = await finalOf("warning");
    const expected = { ...REFERENCE.Response, RequestId: response.RequestId };
    expect(response).toEqual(expected);
    expect(JSON.stringify(response)).toBe(JSON.stringify(expected));
  });

  it("pass: every step passes, success/checkPass", async () => {
    const response = await finalOf("pass");
    expect(response.Status).toBe("success");
    expect(response.CheckFlag).toBe("checkPass");
    expect(response.BriefMsg).toBe("success");
    expect(statuses(response)).toEqual(Array(13).fill("pass"));
    expect(response.StepInfo.every((s: { DetailCheckItems: unknown[] }) => s.DetailCheckItems.length === 0)).toBe(true);
  });

  it("not-pass: success/checkNotPass with a failed, explained DstEmptyCheck", async () => {
    const response = await finalOf("not-pass");
    expect(response.Status).toBe("success");
    expect(response.CheckFlag).toBe("checkNotPass");
    expect(response.BriefMsg).toMatch(/not pass/);
    const failed = response.StepInfo.filter((s: { StepStatus: string }) => s.StepStatus === "failed");
    expect(failed.map((s: { StepId: string }) => s.StepId)).toEqual(["DstEmptyCheck"]);
    expect(failed[0].HasSkipped).toBe(false);
    const item = failed[0].DetailCheckItems[0];
    expect(item.CheckResult).toBe("failed");
    expect(item.FailureReason).toMatch(/already contains/);
    expect(item.Solution.length).toBeGreaterThan(10);
    expect(item.ErrorLog.length).toBe(1);
    expect(item.HelpDoc[0]).toMatch(/^https:\/\/www\.tencentcloud\.com\/document\//);
    expect(statuses(response).filter((s) => s === "pass")).toHaveLength(12);
  });

  it("failed: the check task fails at ConnectDBCheck after one step", async () => {
    const { clock, describeJob } = await setup({ scenario: "failed" });
    expect((await describeJob()).Status).toBe("running");
    clock.advance(STEP);
    const response = await describeJob();
    expect(response.Status).toBe("failed");
    expect(response.CheckFlag).toBe("checkNotPass");
    expect(response.BriefMsg).toMatch(/could not connect/);
    expect(statuses(response)).toEqual(["failed", ...Array(12).fill("notStarted")]);
    expect(response.StepInfo[0].DetailCheckItems[0].FailureReason).toMatch(/timed out/);
  });

  it("stuck: stays running at BinlogParamCheck forever, even after finishCheck", async () => {
    const { sim: s, clock, describeJob } = await setup({ scenario: "stuck" });
    await describeJob();
    clock.advance(3_600_000);
    const response = await describeJob();
    expect(response.Status).toBe("running");
    expect(statuses(response)).toEqual([...Array(7).fill("pass"), ...Array(6).fill("notStarted")]);
    s.finishCheck(JOB);
    expect((await describeJob()).Status).toBe("running");
  });
});

describe("CreateMigrateCheckJob and StartMigrateJob", () => {
  it("shows the previous result during the lag, then runs the next scenario from step 0", async () => {
    const {
      sim: s,
      clock,
      call,
      describeJob,
    } = await setup({
      jobs: { [JOB]: ["not-pass", "pass"], [OTHER_JOB]: "pass" },
      createLagMs: 500,
    });
    await describeJob();
    s.finishCheck(JOB);
    expect((await describeJob()).CheckFlag).toBe("checkNotPass");
    expect((await call("StartMigrateJob")).json.Response.Error.Code).toBe("FailedOperation.StatusInConflict");
    expect((await call("CreateMigrateCheckJob")).json.Response).toEqual({ RequestId: expect.any(String) });
    clock.advance(499);
    const stale = await describeJob();
    expect(stale.Status).toBe("success");
    expect(stale.CheckFlag).toBe("checkNotPass");
    clock.advance(1);
    const restarted = await describeJob();
    expect(restarted.Status).toBe("running");
    expect(statuses(restarted)).toEqual(Array(13).fill("notStarted"));
    expect((await call("StartMigrateJob")).json.Response.Error.Code).toBe("FailedOperation.StatusInConflict");
    clock.advance(13 * STEP);
    const passed = await describeJob();
    expect(passed.CheckFlag).toBe("checkPass");
    expect(s.startCount(JOB)).toBe(0);
    expect((await call("StartMigrateJob")).json.Response.Error).toBeUndefined();
    expect(s.startCount(JOB)).toBe(1);
    const again = await call("StartMigrateJob");
    expect(again.json.Response.Error.Code).toBe("FailedOperation.StatusInConflict");
    expect(again.json.Response.Error.Message).toMatch(/already started/);
    expect(s.startCount(JOB)).toBe(1);
    expect((await call("CreateMigrateCheckJob")).json.Response.Error.Code).toBe("FailedOperation.StatusInConflict");
    expect(s.startCount(OTHER_JOB)).toBe(0);
  });

  it("a pass still shown during the lag cannot be started: the new check has not passed", async () => {
    const { sim: s, clock, call, describeJob } = await setup({ scenario: "pass", createLagMs: 300 });
    await describeJob();
    s.finishCheck(JOB);
    await call("CreateMigrateCheckJob");
    const stale = await describeJob();
    expect(stale.CheckFlag).toBe("checkPass");
    const refused = await call("StartMigrateJob");
    expect(refused.json.Response.Error.Code).toBe("FailedOperation.StatusInConflict");
    expect(s.startCount(JOB)).toBe(0);
    clock.advance(300 + 13 * STEP);
    expect((await call("StartMigrateJob")).json.Response.Error).toBeUndefined();
  });

  it("freezes a running check's view during the lag; the last scenario of a list repeats", async () => {
    const { sim: s, clock, call, describeJob } = await setup({ jobs: { [JOB]: ["pass"] }, createLagMs: 1000 });
    await describeJob();
    clock.advance(3 * STEP);
    await call("CreateMigrateCheckJob");
    const frozen = statuses(await describeJob());
    expect(frozen.slice(0, 4)).toEqual(["pass", "pass", "pass", "notStarted"]);
    clock.advance(900);
    expect(statuses(await describeJob())).toEqual(frozen);
    s.finishCheck(JOB);
    expect((await describeJob()).CheckFlag).toBe("checkPass");
    await call("CreateMigrateCheckJob");
    s.finishCheck(JOB);
    expect((await describeJob()).CheckFlag).toBe("checkPass");
  });

  it("a job first seen through CreateMigrateCheckJob shows notStarted during the lag", async () => {
    const { clock, call, describeJob } = await setup({ scenario: "not-pass", createLagMs: 200 });
    await call("CreateMigrateCheckJob");
    const before = await describeJob();
    expect(before.Status).toBe("notStarted");
    expect(statuses(before)).toEqual(Array(13).fill("notStarted"));
    clock.advance(200 + 13 * STEP);
    expect((await describeJob()).CheckFlag).toBe("checkNotPass");
  });

  it("finishCheck refuses a job the simulator does not have", async () => {
    const { sim: s } = await setup({ jobs: { [JOB]: "pass" } });
    expect(() => s.finishCheck(OTHER_JOB)).toThrow(/no job dts-abcdefgh/);
  });

  it("rejects bad options clearly", async () => {
    await expect(startSimulator({ scenario: "nope" as ScenarioName })).rejects.toThrow(/unknown scenario "nope"/);
    await expect(startSimulator({ jobs: { "job-1": "pass" } })).rejects.toThrow(/not a DTS job id/);
    await expect(startSimulator({ jobs: { [JOB]: [] } })).rejects.toThrow(/empty scenario list/);
    await expect(startSimulator({ stepMs: -1 })).rejects.toThrow(/stepMs/);
  });
});
