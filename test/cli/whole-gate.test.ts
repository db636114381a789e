import { describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/index.js";
import { runCaptured } from "../helpers/cli.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";

const JOB = "dts-1ewjspuw";
const OTHER = "dts-abcdefgh";
const simulator = simulatorsClosedAfterEach({ stepMs: 10 });

const wait = (sim: Simulator, ids: string[], ...extra: string[]) =>
  runCaptured(["wait", ...ids, "--endpoint", sim.url, "--interval", "0.05", "--request-timeout", "0.5", ...extra]);
const actions = (sim: Simulator, jobId?: string) =>
  sim.arrivals.filter((arrival) => jobId === undefined || arrival.jobId === jobId).map((arrival) => arrival.action);

describe("--create-check", () => {
  it("creates the check before any describe, and never takes the stale checkNotPass for the new verdict", async () => {
    const sim = await simulator({ jobs: { [JOB]: ["not-pass", "pass"] }, createLagMs: 300 });
    const before = await wait(sim, [JOB]);
    expect(before.code).toBe(1);
    const arrivalsBefore = sim.arrivals.length;

    const after = await wait(sim, [JOB], "--create-check", "--output", "json");
    expect(after.code).toBe(0);
    const ownActions = actions(sim).slice(arrivalsBefore);
    expect(ownActions[0]).toBe("CreateMigrateCheckJob");
    expect(ownActions.slice(1).every((action) => action === "DescribeMigrationCheckJob")).toBe(true);
    // The lag showed the old checkNotPass for a while; it was polled, and not taken.
    expect(ownActions.length).toBeGreaterThan(5);
    const [job] = JSON.parse(after.stdout).jobs;
    expect(job.created.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(job).toMatchObject({ outcome: "pass", checkFlag: "checkPass" });
  });

  it("reports the created check in text", async () => {
    const sim = await simulator({ jobs: { [JOB]: "pass" } });
    const run = await wait(sim, [JOB], "--create-check");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/check created \(RequestId [0-9a-f-]{36}\)/);
  });
});

describe("--start", () => {
  it("on pass: exactly one StartMigrateJob per job, after the verdict", async () => {
    const sim = await simulator({ jobs: { [JOB]: "pass", [OTHER]: "pass" } });
    const run = await wait(sim, [JOB, OTHER], "--start", "--output", "json");
    expect(run.code).toBe(0);
    for (const jobId of [JOB, OTHER]) {
      const own = actions(sim, jobId);
      expect(own.filter((action) => action === "StartMigrateJob")).toHaveLength(1);
      expect(own.at(-1)).toBe("StartMigrateJob");
      expect(sim.startCount(jobId)).toBe(1);
    }
    const lastDescribe = Math.max(
      ...sim.arrivals.filter((a) => a.action === "DescribeMigrationCheckJob").map((a) => a.atMs),
    );
    const firstStart = Math.min(...sim.arrivals.filter((a) => a.action === "StartMigrateJob").map((a) => a.atMs));
    expect(firstStart).toBeGreaterThanOrEqual(lastDescribe);
    const document = JSON.parse(run.stdout);
    expect(document.jobs.map((job: { started: { requestId: string } }) => job.started.requestId)).toHaveLength(2);
    expect(document.reason).toContain("migration started for 2 jobs");
  });

  it("on not-pass: no start, exit 1; one pass and one not-pass: no start at all", async () => {
    const single = await simulator({ jobs: { [JOB]: "not-pass" } });
    expect((await wait(single, [JOB], "--start")).code).toBe(1);
    expect(actions(single)).not.toContain("StartMigrateJob");

    const mixed = await simulator({ jobs: { [JOB]: "pass", [OTHER]: "not-pass" } });
    expect((await wait(mixed, [JOB, OTHER], "--start")).code).toBe(1);
    expect(actions(mixed)).not.toContain("StartMigrateJob");
    expect(mixed.startCount(JOB)).toBe(0);
  });

  it("a StartMigrateJob whose answer never arrives is not sent again, and says what to check", async () => {
    const sim = await simulator({ jobs: { [JOB]: "pass" }, faults: [{ kind: "stall", action: "StartMigrateJob" }] });
    // The stall lasts the request timeout: a short one (a poll cut by it is only retried).
    const run = await wait(sim, [JOB], "--start", "--request-timeout", "0.2");
    expect(run.code).toBe(4);
    expect(actions(sim).filter((action) => action === "StartMigrateJob")).toHaveLength(1);
    expect(sim.startCount(JOB)).toBe(1);
    expect(run.stdout).toContain("StartOutcomeUnknown");
    expect(run.stdout).toContain("DescribeMigrationDetail");
  });

  it("a refused start exits 4 with the API's message", async () => {
    const sim = await simulator({ jobs: { [JOB]: "pass" } });
    expect((await wait(sim, [JOB], "--start")).code).toBe(0);
    const again = await wait(sim, [JOB], "--start");
    expect(again.code).toBe(4);
    expect(again.stdout).toContain("FailedOperation.StatusInConflict");
  });
});

describe("--fail-on-warning", () => {
  it("closes the gate on the warning scenario and names the items; without it the gate opens", async () => {
    const sim = await simulator({ scenario: "warning" });
    const strict = await wait(sim, [JOB], "--fail-on-warning");
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain("gate closed: --fail-on-warning and dts-1ewjspuw has 1 warning");
    expect(strict.stdout).toContain("1 warning: Source instance permission check");
    const lenient = await wait(sim, [JOB]);
    expect(lenient.code).toBe(0);
  });
});
