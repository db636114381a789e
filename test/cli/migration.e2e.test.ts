import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_ENV, expectNothingSecret } from "../helpers/cli.js";
import { CLI, describeRun, runCliProcess } from "../helpers/process.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";

/* The migration and the cut-over through the bundle built from the sources, as real processes. */

const JOB = "dts-1ewjspuw";
const children: ChildProcess[] = [];
// Registered first, so that it closes the simulators after the hook below killed the children.
const simulator = simulatorsClosedAfterEach();
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

function start(args: string[]) {
  const run = runCliProcess(CLI, args, DEMO_ENV, 45_000);
  children.push(run.child);
  return run;
}

describe("the bundled CLI takes a migration to its cut-over", () => {
  it("demo --scenario cutover at its default pace: exit 0 within its own 30 s timeout, every phase shown in order", async () => {
    // The one run of the demo at the pace a person watches: every other test of demo runs faster.
    const run = await start(["demo", "--scenario", "cutover"]);
    expectNothingSecret(run.stdout + run.stderr);
    expect(run.code, describeRun(run)).toBe(0);
    // The default pace is not said; the settle is the demo's longest.
    expect(run.stderr).toMatch(/^dts-gate demo: simulated DTS at \S+ \(scenario cutover, demo credentials\)\n/);
    expect(run.stderr).toContain("--timeout 30s --create-check --start --until done --settle 2s --compare --complete");
    // The phases in their order: a line of each.
    const marks = [
      "check created",
      "dts-1ewjspuw PASSED",
      "migration started",
      "migrate · running · dumper",
      "migrate · readyComplete",
      "dts-1ewjspuw READY",
      "consistency check success, same",
      "cut-over sent: CompleteMigrateJob",
      "complete · completing",
      "dts-1ewjspuw DONE",
    ];
    const positions = marks.map((mark) => run.stderr.indexOf(mark));
    expect(
      positions.every((position) => position >= 0),
      run.stderr,
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(run.stdout).toContain("migration: success");
    expect(run.stdout).toMatch(/cut-over: CompleteMigrateJob sent \(RequestId [0-9a-f-]{36}\)/);
    expect(run.stdout).toContain("gate open: the migration is done");
  }, 60_000);

  it("SIGTERM to the process while CompleteMigrateJob is in flight: exit 143, CompleteOutcomeUnknown", async () => {
    const sim = await simulator({
      stepMs: 10,
      migrateMs: 200,
      jobs: { [JOB]: "migrate" },
      faults: [{ kind: "stall", action: "CompleteMigrateJob" }],
    });
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
