import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { DEMO_ENV, expectNothingSecret } from "../helpers/cli.js";
import { CLI, runCliProcess } from "../helpers/process.js";

/* The migration and the cut-over through the bundle built from the sources, as real processes. */

const JOB = "dts-1ewjspuw";
const children: ChildProcess[] = [];
const simulators: Simulator[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await Promise.all(simulators.splice(0).map((simulator) => simulator.close()));
});

function start(args: string[]) {
  const run = runCliProcess(CLI, args, DEMO_ENV, 45_000);
  children.push(run.child);
  return run;
}

describe("the bundled CLI takes a migration to its cut-over", () => {
  it("demo --scenario cutover exits 0 (its own timeout is 30 s), every phase shown; migrate-failed exits 1", async () => {
    const [cutover, failed] = await Promise.all([
      start(["demo", "--scenario", "cutover"]),
      start(["demo", "--scenario", "migrate-failed"]),
    ]);
    expectNothingSecret(cutover.stdout + cutover.stderr + failed.stdout + failed.stderr);
    expect(cutover.code).toBe(0);
    for (const mark of ["PASSED", "migration started", "migrate · readyComplete", "READY", "cut-over sent", "DONE"]) {
      expect(cutover.stderr).toContain(mark);
    }
    expect(cutover.stdout).toContain("gate open: the migration is done");
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("failed at: loader");
    expect(failed.stdout).toContain("LoaderError.DuplicateEntry");
  }, 60_000);

  it("SIGTERM to the process while CompleteMigrateJob is in flight: exit 143, CompleteOutcomeUnknown", async () => {
    const sim = await startSimulator({
      stepMs: 10,
      migrateMs: 1000,
      jobs: { [JOB]: "migrate" },
      faults: [{ kind: "stall", action: "CompleteMigrateJob" }],
    });
    simulators.push(sim);
    const args = ["wait", JOB, "--endpoint", sim.url, "--interval", "0.1", "--settle", "0.2s"];
    const run = start([...args, "--start", "--complete", "--request-timeout", "60", "--output", "json"]);
    // Signalled once the stalled CompleteMigrateJob has reached the simulator.
    const watcher = setInterval(() => {
      if (sim.arrivals.some((arrival) => arrival.action === "CompleteMigrateJob")) {
        clearInterval(watcher);
        run.child.kill("SIGTERM");
      }
    }, 10);
    const result = await run;
    clearInterval(watcher);
    expect(result.code).toBe(143);
    const document = JSON.parse(result.stdout);
    expect(document.reason).toMatch(/^CompleteOutcomeUnknown: /);
    expect(document.jobs[0]).toMatchObject({ error: { code: "CompleteOutcomeUnknown" }, complete: { sent: true } });
    expect(sim.completeCount(JOB)).toBe(1);
  }, 60_000);
});
