import { describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/index.js";
import { runCaptured } from "../helpers/cli.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";

/*
 * The migration and the cut-over end to end: the command line in this process against the
 * simulator over loopback HTTP with real signatures.
 */

const JOB = "dts-1ewjspuw";
const OTHER = "dts-abcdefgh";
/**
 * Only the order of the states matters here: a 300 ms migration (100 ms a step) and a 0.1 s settle
 * go through the same ones as real minutes, polled every 50 ms.
 */
const simulator = simulatorsClosedAfterEach({ stepMs: 10, migrateMs: 300 });

const ARGS = ["--interval", "0.05", "--request-timeout", "2", "--settle", "0.1s"];
const wait = (sim: Simulator, ids: string[], ...extra: string[]) =>
  runCaptured(["wait", ...ids, "--endpoint", sim.url, ...ARGS, ...extra]);
const json = (stdout: string) => JSON.parse(stdout);
const completes = (sim: Simulator) => sim.arrivals.filter((arrival) => arrival.action === "CompleteMigrateJob");

describe("a migration to ready and to done", () => {
  it("migrate --until ready: the check, the start, then ready to cut over, and no cut-over", async () => {
    const sim = await simulator({ jobs: { [JOB]: "migrate" } });
    const run = await wait(sim, [JOB], "--start", "--until", "ready", "--output", "json");
    expect(run.code).toBe(0);
    const document = json(run.stdout);
    expect(document.passed).toBe(true);
    expect(document.jobs[0]).toMatchObject({
      outcome: "ready",
      kind: "migration",
      phase: "migrate",
      migration: { status: "readyComplete", lagSeconds: 0, gapMB: 0, stepNow: 3, stepAll: 3 },
    });
    expect(document.jobs[0].migration.steps.map((step: { stepId: string }) => step.stepId)).toEqual([
      "dumper",
      "loader",
      "sinker",
    ]);
    expect(document.jobs[0].complete).toBeUndefined();
    expect(sim.completeCount(JOB)).toBe(0);
  });

  it("migrate --complete: CompleteMigrateJob once, then done; the text report shows the cut-over", async () => {
    const sim = await simulator({ jobs: { [JOB]: "migrate" } });
    const run = await wait(sim, [JOB], "--start", "--complete");
    expect(run.code).toBe(0);
    expect(sim.completeCount(JOB)).toBe(1);
    expect(completes(sim)).toHaveLength(1);
    expect(run.stderr).toMatch(/cut-over sent: CompleteMigrateJob \(RequestId [0-9a-f-]{36}\)/);
    expect(run.stdout).toContain("migration: success · step 3 of 3 · lag 0 s · gap 0 MB");
    expect(run.stdout).toMatch(/cut-over: CompleteMigrateJob sent \(RequestId [0-9a-f-]{36}\)/);
    expect(run.stdout).toContain("gate open: the migration is done");
  });

  it("migrate-full: no incremental phase, success without readyComplete: done, and nothing to cut over", async () => {
    const sim = await simulator({ jobs: { [JOB]: "migrate-full" } });
    const run = await wait(sim, [JOB], "--start", "--complete", "--output", "json");
    expect(run.code).toBe(0);
    expect(json(run.stdout).jobs[0]).toMatchObject({
      outcome: "done",
      migration: { status: "success" },
      complete: { sent: false, requestId: null },
    });
    expect(completes(sim)).toHaveLength(0);
  });
});

describe("a migration that closes the gate", () => {
  it("migrate-failed: exit 1, the failed step and its ErrorInfo named; no cut-over sent", async () => {
    const sim = await simulator({ jobs: { [JOB]: "migrate-failed" } });
    const run = await wait(sim, [JOB], "--start", "--complete");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("failed at: loader (Import the data into the target)");
    expect(run.stdout).toContain("ErrorInfo: LoaderError.DuplicateEntry: Error 1062");
    expect(run.stdout).toContain("cut-over: CompleteMigrateJob not sent");
    expect(completes(sim)).toHaveLength(0);
  });

  it("lag-stuck: the timeout's reason names the lag it was stuck at; CompleteMigrateJob never sent", async () => {
    const sim = await simulator({ jobs: { [JOB]: "lag-stuck" } });
    // The lag stops falling about 0.5 s into the run: the deadline leaves a loaded machine a second more.
    const run = await wait(sim, [JOB], "--start", "--complete", "--timeout", "1.5s", "--output", "json");
    expect(run.code).toBe(3);
    const document = json(run.stdout);
    expect(document.jobs[0].outcome).toBe("timeout");
    expect(document.reason).toMatch(/last seen: dts-1ewjspuw \w+, lag 37 s, gap \d+ MB/);
    expect(completes(sim)).toHaveLength(0);
  });

  it("paused: manualPaused closes the gate at once, exit 1", async () => {
    const sim = await simulator({ jobs: { [JOB]: "paused" } });
    const run = await wait(sim, [JOB], "--start", "--until", "ready");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("GATE CLOSED: MIGRATION manualPaused");
    expect(run.stdout).toContain("gate closed: dts-1ewjspuw: the migration is manualPaused");
  });

  it("a job watched without --start that was never started closes the gate and says so", async () => {
    const sim = await simulator({ jobs: { [JOB]: "migrate" } });
    const run = await wait(sim, [JOB], "--until", "ready");
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /the migration has not been started \(status \w+\): start it first, or run with --start/,
    );
    expect(sim.startCount(JOB)).toBe(0);
  });

  it("one job failing keeps CompleteMigrateJob from being sent to the other, ready one", async () => {
    const sim = await simulator({ jobs: { [JOB]: "migrate", [OTHER]: "migrate-failed" } });
    const run = await wait(sim, [JOB, OTHER], "--start", "--complete", "--no-fail-fast", "--output", "json");
    expect(run.code).toBe(1);
    const outcomes = json(run.stdout).jobs.map((job: { jobId: string; outcome: string }) => [job.jobId, job.outcome]);
    expect(outcomes).toEqual([
      [JOB, "ready"],
      [OTHER, "failed"],
    ]);
    expect(completes(sim)).toHaveLength(0);
  });
});

describe("a signal while CompleteMigrateJob is in flight", () => {
  it("SIGTERM: CompleteOutcomeUnknown, exit 143, the reason begins with it", async () => {
    const sim = await simulator({
      jobs: { [JOB]: "migrate" },
      faults: [{ kind: "stall", action: "CompleteMigrateJob" }],
    });
    let watcher: NodeJS.Timeout | undefined;
    const run = await runCaptured(
      [
        "wait",
        JOB,
        "--endpoint",
        sim.url,
        ...ARGS,
        "--start",
        "--complete",
        "--request-timeout",
        "60",
        "--output",
        "json",
      ],
      {
        withSignal: (raise) => {
          // Raised once the stalled CompleteMigrateJob has reached the simulator: it is in flight.
          watcher = setInterval(() => {
            if (completes(sim).length > 0) {
              clearInterval(watcher);
              raise("SIGTERM");
            }
          }, 10);
        },
      },
    );
    clearInterval(watcher);
    expect(run.code).toBe(143);
    const document = json(run.stdout);
    expect(document.reason).toMatch(/^CompleteOutcomeUnknown: CompleteMigrateJob was sent for dts-1ewjspuw/);
    expect(document.jobs[0].error.code).toBe("CompleteOutcomeUnknown");
    expect(document.jobs[0].complete).toEqual({ sent: true, requestId: null });
    expect(completes(sim)).toHaveLength(1);
  });
});
