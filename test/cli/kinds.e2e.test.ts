import { describe, expect, it } from "vitest";
import { runCaptured } from "../helpers/cli.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";

const startSim = simulatorsClosedAfterEach({ stepMs: 5, migrateMs: 300 });

async function wait(ids: readonly string[], extra: readonly string[], scenario = "migrate") {
  const sim = await startSim({ scenario: scenario as "migrate" });
  const run = await runCaptured([
    "wait",
    ...ids,
    "--endpoint",
    sim.url,
    "--interval",
    "0.05",
    "--settle",
    "0",
    "--timeout",
    "20",
    "--output",
    "json",
    ...extra,
  ]);
  return { ...run, json: JSON.parse(run.stdout), sim };
}

describe("every DTS check behind one gate, against the simulator", () => {
  it("--compare on data that differs: exit 1, outcome different, the differing tables named", async () => {
    const run = await wait(["dts-1ewjspuw"], ["--start", "--compare"], "different");
    const job = run.json.jobs[0];
    expect(run.code).toBe(1);
    expect(job.outcome).toBe("different");
    expect(job.kind).toBe("migration");
    expect(job.compare).toMatchObject({ status: "success", conclusion: "different", differentTables: 24 });
    expect(job.compare.differences).toContainEqual({ db: "shop", table: "orders" });
    expect(run.json.reason).toContain("shop.orders");
  });

  it("--compare on the same data: the gate opens, the data said the same", async () => {
    const run = await wait(["dts-1ewjspuw"], ["--start", "--compare"]);
    expect(run.code).toBe(0);
    expect(run.json.jobs[0].outcome).toBe("ready");
    expect(run.json.jobs[0].compare).toMatchObject({ conclusion: "same", differentTables: 0, differences: [] });
    expect(run.json.reason).toContain("the data is the same");
  });

  it("a sync job through its check, its start and ready", async () => {
    const run = await wait(["sync-1ewjspuw"], ["--start", "--until", "ready"]);
    const job = run.json.jobs[0];
    expect(run.code).toBe(0);
    expect(job).toMatchObject({ kind: "sync", outcome: "ready", status: "success", checkFlag: null });
    expect(job.started).not.toBeNull();
    expect(job.migration).toMatchObject({ status: "Running", lagSeconds: 0, gapMB: 0 });
    expect(run.sim.startCount("sync-1ewjspuw")).toBe(1);
    // A sync job is started, not migrated: the progress says so in its words.
    expect(run.stderr).toContain("sync-1ewjspuw: sync started");
    expect(run.stderr).not.toContain("migration started");
  });

  it("a compare task id is judged as it is", async () => {
    const run = await wait(["dts-1ewjspuw-cmp-37skmii9"], [], "different");
    const job = run.json.jobs[0];
    expect(run.code).toBe(1);
    expect(job).toMatchObject({ kind: "compare", outcome: "different" });
    expect(job.compare.taskId).toBe("dts-1ewjspuw-cmp-37skmii9");
  });

  const TASK = "dts-1ewjspuw-cmp-37skmii9";
  it.each([
    [["sync-1ewjspuw", "--complete"], /--complete cannot apply to the data sync job sync-1ewjspuw/],
    [["sync-1ewjspuw", "--until", "done"], /--until done cannot apply to the data sync job/],
    [["dts-1ewjspuw", "sync-1ewjspuw", "--complete"], /cannot apply to the data sync job sync-1ewjspuw/],
    [[TASK, "--create-check"], /--create-check cannot apply to the consistency check dts-1ewjspuw-cmp-37skmii9/],
    [[TASK, "--start"], /--start cannot apply to the consistency check/],
    [[TASK, "--until", "ready"], /--until cannot apply to the consistency check/],
    [[TASK, "--until", "check"], /--until cannot apply to the consistency check/],
    [[TASK, "--compare"], /--compare cannot apply to the consistency check/],
    [[TASK, "dts-abcdefgh", "--complete"], /--complete cannot apply to the consistency check/],
    [["dts-1ewjspuw-cmp-37SKMII9"], /invalid job id "dts-1ewjspuw-cmp-37SKMII9"/],
  ])("%j exits 2 before any request", async (args, message) => {
    const sim = await startSim();
    const run = await runCaptured(["wait", ...args, "--endpoint", sim.url, "--output", "json"]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error.message).toMatch(message);
    expect(sim.arrivals).toHaveLength(0);
  });
});
