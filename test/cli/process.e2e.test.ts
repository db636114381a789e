import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/index.js";
import { DEMO_ENV, expectNothingSecret, jobIds } from "../helpers/cli.js";
import { CLI, runCliProcess, waitFor } from "../helpers/process.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";

// These run the bundle built from the sources, as a user on a fresh clone runs the committed one.
const children: ChildProcess[] = [];
/** Far above what a loaded machine adds to an exit, far below what a broken mechanism would cost. */
const LOADED_MACHINE_MS = 5_000;
// Registered first, so that it closes the simulators after the hook below killed the children.
const simulator = simulatorsClosedAfterEach({ stepMs: 10 });

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

function start(args: string[], env: Record<string, string> = DEMO_ENV) {
  const run = runCliProcess(CLI, args, env, 30_000);
  children.push(run.child);
  const finished = run.then((result) => {
    // simulate names the public demo pair it accepts on stderr, by design; nothing else may.
    expectNothingSecret(args[0] === "simulate" ? result.stdout : result.stdout + result.stderr);
    return result;
  });
  return { child: run.child, finished, output: run.output };
}

describe("the bundled CLI as a process", () => {
  it("demo exits 0 for its default scenario, 1 for --scenario not-pass", async () => {
    // At a fast pace: the default pace, and its deadline, is the cutover's test (migration.e2e) and
    // the installed package's (package.e2e); how long the demo takes is a figure of `npm run bench`.
    const fast = ["--step-ms", "5", "--interval", "0.05"];
    const [passing, failing] = await Promise.all([
      start(["demo", ...fast]).finished,
      start(["demo", "--scenario", "not-pass", ...fast]).finished,
    ]);
    expect(passing.code).toBe(0);
    expect(passing.stdout).toContain("gate open");
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain("Target instance content conflict check");
  }, 60_000);

  it("simulate prints one listening line, serves, and exits 0 on SIGTERM", async () => {
    const { child, finished, output } = start(["simulate", "--port", "0", "--scenario", "pass", "--step-ms", "10"], {});
    await waitFor(() => output().includes("\n"), "the listening line", 5_000);
    const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+))\n$/.exec(output());
    expect(match).not.toBeNull();
    const url = match?.[1] ?? "";
    const waited = await start(["wait", "dts-1ewjspuw", "--endpoint", url, "--interval", "0.05"]).finished;
    expect(waited.code).toBe(0);
    child.kill("SIGTERM");
    const result = await finished;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(match?.[0]);
    expect(result.stderr).toMatch(/accepts TENCENTCLOUD_SECRET_ID=\S+ TENCENTCLOUD_SECRET_KEY=\S+/);
  });

  it("prints --help to stdout", async () => {
    // A reader of stdout that has gone: test/cli/write-failures.e2e.test.ts.
    const help = await start(["--help"]).finished;
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("wait [jobIds..]");
    expect(help.stderr).toBe("");
  });

  it("exits 2 with one JSON document for a usage error under --output json", async () => {
    const result = await start(["wait", "dts-1ewjspuw", "--output", "json", "--interval"]).finished;
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ passed: false, error: { code: "UsageError" }, jobs: [] });
    expect(result.stderr).toContain("interval");
  });

  it("simulate rejects bad options with exit 2", async () => {
    const result = await start(["simulate", "--job", "dts-1ewjspuw=sideways"], {}).finished;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("scenario one of pass, warning");
  });

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("wait on %s exits %i during a request that never ends, with what is known", async (signal, code) => {
    // The fourth poll is never answered and may take a minute: only a signal that cuts the
    // request in flight ends the run in time. How soon is a figure of `npm run bench`.
    const sim = await simulator({ scenario: "stuck", faults: [{ kind: "stall", after: 3 }] });
    const { child, finished } = start([
      "wait",
      "dts-1ewjspuw",
      "--endpoint",
      sim.url,
      "--interval",
      "0.05",
      "--request-timeout",
      "60",
    ]);
    await waitFor(() => sim.arrivals.length >= 4, "four polls", LOADED_MACHINE_MS * 4);
    const sentAt = performance.now();
    child.kill(signal);
    const result = await finished;
    expect(result.code).toBe(code);
    expect(performance.now() - sentAt).toBeLessThan(LOADED_MACHINE_MS);
    expect(sim.arrivals).toHaveLength(4);
    expect(result.stdout).toContain("interrupted");
    expect(result.stdout).toContain("Binlog parameter check");
  });

  it("1,000 jobs waiting for the limiter: the deadline and SIGTERM end the run long before the queue would", async () => {
    // At 20 requests a second the first round of 1,000 polls alone takes 50 s: a run that ends in
    // a few seconds did not wait for the queue, and its report names every job. The two runs go at
    // once, each against a simulator of its own.
    const [timed, signalled] = await Promise.all([0, 1].map(() => simulator({ scenario: "stuck", rate: 1_000 })));
    if (!timed || !signalled) throw new Error("no simulator");
    const ids = jobIds(1_000, "q");
    const args = (sim: Simulator) => ["wait", ...ids, "--endpoint", sim.url, "--interval", "1", "--output", "json"];
    const deadline = start([...args(timed), "--timeout", "1"]).finished;
    const interrupted = start([...args(signalled), "--timeout", "60"]);

    const timedOut = await deadline;
    expect(timedOut.code).toBe(3);
    expect(timedOut.ms).toBeLessThan(20_000);
    expect(JSON.parse(timedOut.stdout).jobs).toHaveLength(1_000);

    await waitFor(() => signalled.arrivals.length >= 45, "45 polls", LOADED_MACHINE_MS * 4);
    const sentAt = performance.now();
    interrupted.child.kill("SIGTERM");
    const result = await interrupted.finished;
    expect(result.code).toBe(143);
    expect(performance.now() - sentAt).toBeLessThan(20_000);
    expect(JSON.parse(result.stdout).jobs).toHaveLength(1_000);
  }, 60_000);

  it("exits as soon as the verdict is known: no timer or socket keeps it alive", async () => {
    const sim = await simulator({ scenario: "pass", faults: [{ kind: "stall", after: 2 }] });
    const run = start([
      "wait",
      "dts-1ewjspuw",
      "--endpoint",
      sim.url,
      "--interval",
      "0.05",
      "--request-timeout",
      "0.3",
      "--timeout",
      "30",
    ]);
    // Timed from the verdict's line on stdout to the exit, so the start-up of a loaded machine
    // does not count: a 30 s timeout, a 10 s keep-alive or the stalled socket holding the process
    // would each cost 10 s or more.
    let verdictAt = 0;
    run.child.stdout?.on("data", () => {
      if (verdictAt === 0 && run.output().includes("gate open")) verdictAt = performance.now();
    });
    const result = await run.finished;
    expect(result.code).toBe(0);
    expect(verdictAt).toBeGreaterThan(0);
    expect(performance.now() - verdictAt).toBeLessThan(LOADED_MACHINE_MS);
  });
});
