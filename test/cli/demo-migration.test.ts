import { describe, expect, it } from "vitest";
import { runCaptured } from "../helpers/cli.js";

/*
 * The demo of a migration at a fast pace. The cutover at the default pace, every phase in order, is
 * run once, as a process: test/cli/migration.e2e.test.ts.
 */

/** The simulator's pace for these runs: a check of 65 ms, a migration of 200 ms (settling 100 ms). */
const FAST = ["--step-ms", "5", "--migrate-ms", "200"];

describe("demo of a migration", () => {
  it("--scenario migrate-failed: exit 1, naming the failed step and its ErrorInfo", async () => {
    const run = await runCaptured(["demo", "--scenario", "migrate-failed", ...FAST, "--interval", "0.05"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("failed at: loader (Import the data into the target)");
    expect(run.stdout).toMatch(
      /gate closed: dts-1ewjspuw: the migration is failed \(ErrorInfo: LoaderError\.DuplicateEntry: /,
    );
  });
});

describe("demo's pace: --step-ms and --migrate-ms, as simulate's", () => {
  it("a fast pace is honoured: the check, the migration and the settle each end within one poll", async () => {
    // At the default interval (0.5 s) every phase here ends before the next poll: at most two polls
    // for the check and three for the migration (started, readyComplete, settled). At the default
    // pace the same run polls 15 times; with either option ignored, 9 or more.
    const run = await runCaptured(["demo", "--scenario", "migrate", ...FAST, "--output", "json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/ \(scenario migrate, --step-ms 5 --migrate-ms 200, demo credentials\)\n/);
    expect(run.stderr).toContain("--until ready --settle 0.1s");
    const [job] = JSON.parse(run.stdout).jobs;
    expect(job.outcome).toBe("ready");
    expect(job.polls).toBeLessThanOrEqual(6);
  });

  it("a bad value is exit 2 before the simulator starts, quoting it as typed", async () => {
    for (const [option, value, limit] of [
      ["--step-ms", "-5", "0 to 3600000"],
      ["--step-ms", "3600001", "0 to 3600000"],
      ["--migrate-ms", "1.5", "0 to 86400000"],
      ["--migrate-ms", "", "0 to 86400000"],
    ] as const) {
      const run = await runCaptured(["demo", `${option}=${value}`, "--output", "json"]);
      expect(run.code, `${option}=${value}`).toBe(2);
      expect(run.stderr).toContain(`${option} must be a whole number from ${limit}, not "${value}"`);
      expect(JSON.parse(run.stdout)).toMatchObject({ passed: false, error: { code: "UsageError" }, jobs: [] });
      expect(run.stderr).not.toContain("simulated DTS");
    }
    const missing = await runCaptured(["demo", "--step-ms"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("step-ms");
  });
});
