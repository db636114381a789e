import { describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/index.js";
import { DEMO_ENV, runCaptured } from "../helpers/cli.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";

/* `wait --quiet`, and what a pass with warnings shows under --fail-on-warning, against the simulator. */

const PASSING = "dts-1ewjspuw";
const FAILING = "dts-aaaaaaaa";
const WARNED = "dts-bbbbbbbb";
const simulator = simulatorsClosedAfterEach({
  stepMs: 5,
  jobs: { [PASSING]: "pass", [FAILING]: "not-pass", [WARNED]: "warning" },
});

const wait = (sim: Simulator, ...args: string[]) =>
  runCaptured(["wait", ...args, "--endpoint", sim.url, "--interval", "0.02"], { env: DEMO_ENV });

describe("wait --quiet", () => {
  it("prints only the failures and the verdict line: no progress, no passing job", async () => {
    const run = await wait(await simulator(), PASSING, FAILING, "--quiet", "--no-fail-fast");
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("");
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(new RegExp(`^${FAILING} {2}NOT PASSED {2}`));
    expect(lines).toContain("  ✗ Target instance content conflict check: failed");
    expect(run.stdout).not.toContain(PASSING);
    expect(run.stdout).not.toContain("Database connection check");
    expect(lines.at(-1)).toMatch(/^gate closed/);
  });

  it("an open gate: the verdict line alone", async () => {
    const run = await wait(await simulator(), PASSING, "--quiet");
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout.split("\n")).toHaveLength(2);
    expect(run.stdout).toMatch(/^gate open/);
  });
});

describe("a pass with warnings under --fail-on-warning", () => {
  const CLOSED = "PASSED WITH WARNINGS, GATE CLOSED (--fail-on-warning)";

  it("is shown as the closed gate it is, in the report and with --quiet", async () => {
    const sim = await simulator();
    const report = await wait(sim, WARNED, "--fail-on-warning");
    expect(report.code).toBe(1);
    expect(report.stdout).toContain(`${WARNED}  ${CLOSED}`);
    expect(report.stderr).toContain(`${WARNED} ${CLOSED}`);
    const quiet = await wait(sim, WARNED, "--fail-on-warning", "--quiet");
    expect(quiet.stdout.split("\n")[0]).toMatch(new RegExp(`^${WARNED} {2}${CLOSED.replace(/[()]/g, "\\$&")}`));
    expect(quiet.stdout).toContain("  ! Source instance permission check: warning");
    // Without the option the same check passes, and says so plainly.
    const open = await wait(sim, WARNED);
    expect(open.code).toBe(0);
    expect(open.stdout).toContain(`${WARNED}  PASSED`);
    expect(open.stdout).not.toContain("GATE CLOSED");
  });
});

describe("wait --quiet on migrations", () => {
  const MIGRATING = "dts-cccccccc";
  const BROKEN = "dts-dddddddd";
  const migrations = simulatorsClosedAfterEach({
    stepMs: 5,
    migrateMs: 300,
    jobs: { [MIGRATING]: "migrate", [BROKEN]: "migrate-failed" },
  });

  it("a ready job is no failure; a failed migration shows its state, the failed step and why", async () => {
    const sim = await migrations();
    const run = await wait(
      sim,
      MIGRATING,
      BROKEN,
      "--start",
      "--until",
      "ready",
      "--settle",
      "0.1s",
      "--no-fail-fast",
      "--quiet",
    );
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain(MIGRATING);
    expect(run.stdout).toContain(`${BROKEN}  GATE CLOSED: MIGRATION failed`);
    expect(run.stdout).toContain("  failed at: loader (Import the data into the target)");
    expect(run.stdout).toContain("ErrorInfo: LoaderError.DuplicateEntry");
  });
});
