import { beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/index.js";
import { DEMO_ENV, jobIds, maxInSlidingWindow, runCaptured } from "../helpers/cli.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";

const JOB = "dts-1ewjspuw";
/** Far above what a loaded machine adds to a run, far below what a broken mechanism would cost. */
const LOADED_MACHINE_MS = 5_000;
const simulator = simulatorsClosedAfterEach({ stepMs: 10 });

const waitArgs = (sim: Simulator, ...extra: string[]) => [
  "wait",
  JOB,
  "--endpoint",
  sim.url,
  "--interval",
  "0.05",
  "--request-timeout",
  "1",
  ...extra,
];

describe("dts-gate wait: exit codes", () => {
  // The commands' chunk loaded once, so that no run's time counts the first import: a run that
  // ended before its deadline could hide behind it.
  beforeAll(async () => {
    await import("../../src/cli/commands.js");
  });

  it.each([
    ["pass", 0, "gate open"],
    ["warning", 0, "gate open"],
    ["not-pass", 1, "did not pass"],
    ["failed", 1, "check task of dts-1ewjspuw failed"],
  ] as const)("scenario %s exits %i", async (scenario, code, reason) => {
    const sim = await simulator({ scenario });
    const run = await runCaptured(waitArgs(sim));
    expect(run.code).toBe(code);
    expect(run.stdout).toContain(reason);
  });

  it("a stuck check with --timeout 1 exits 3 at the deadline, not before", async () => {
    const sim = await simulator({ scenario: "stuck" });
    const run = await runCaptured(waitArgs(sim, "--timeout", "1"));
    expect(run.code).toBe(3);
    // How soon after the deadline the run ends is a figure of `npm run bench` (the stop rows); here
    // only that the deadline ends it, on a machine as loaded as it may be.
    expect(run.ms).toBeGreaterThanOrEqual(1_000);
    expect(run.ms).toBeLessThan(1_000 + LOADED_MACHINE_MS);
    expect(run.stdout).toContain("TIMED OUT");
  });

  it("an unknown job exits 4 after one request", async () => {
    const sim = await simulator({ jobs: { "dts-abcdefgh": "pass" } });
    const run = await runCaptured(waitArgs(sim));
    expect(run.code).toBe(4);
    expect(run.stdout).toContain("ResourceNotFound");
    expect(sim.arrivals).toHaveLength(1);
  });

  it("a wrong secret key exits 4 after one request", async () => {
    const sim = await simulator();
    const run = await runCaptured(waitArgs(sim), { env: { ...DEMO_ENV, TENCENTCLOUD_SECRET_KEY: "wrong-key-value" } });
    expect(run.code).toBe(4);
    expect(run.stdout).toContain("AuthFailure.SignatureFailure");
    expect(sim.arrivals).toHaveLength(1);
  });

  it.each([
    ["a bad job id", ["wait", "dts-BAD", "--endpoint", "http://127.0.0.1:9"], /invalid job id "dts-BAD"/],
    ["plain http to a remote host", ["wait", JOB, "--endpoint", "http://example.com"], /only for loopback/],
    ["a zero interval", ["wait", JOB, "--interval", "0"], /--interval must be a duration > 0 .*, not "0"/],
    ["an unknown option", ["wait", JOB, "--colour"], /Unknown argument/],
    ["no job id", ["wait"], /give at least one job id/],
    ["a bad output", ["wait", JOB, "--output", "xml"], /--output must be text or json, not "xml"/],
  ])("%s exits 2 before any request", async (_name, args, message) => {
    const sim = await simulator();
    const run = await runCaptured(args.map((arg) => (arg === "http://127.0.0.1:9" ? sim.url : arg)));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(sim.arrivals).toHaveLength(0);
  });

  it("no credentials exits 2 before any request, saying what to set", async () => {
    const sim = await simulator();
    const run = await runCaptured(waitArgs(sim), { env: {} });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY");
    expect(sim.arrivals).toHaveLength(0);
  });
});

describe("dts-gate wait: faults still end in the right verdict", () => {
  // Each fault kind alone, on polls and on StartMigrateJob: test/cli/fault-matrix.test.ts.
  it("flaky, and every fault mixed, end in the pass verdict", async () => {
    const flaky = await simulator({ scenario: "flaky" });
    expect((await runCaptured(waitArgs(flaky))).code).toBe(0);
    const faults = (
      ["throttle", "reset", "http502", "stall", "invalidJson", "emptyBody", "truncated", "internal"] as const
    ).map((kind, i) => ({ kind, after: i * 2, count: 1 }));
    const mixed = await simulator({ scenario: "not-pass", stepMs: 30, faults });
    const run = await runCaptured(waitArgs(mixed, "--request-timeout", "0.3"));
    expect(run.code).toBe(1);
  });

  it("a stalled response is cut by the per-request timeout and retried", async () => {
    const sim = await simulator({ scenario: "pass", faults: [{ kind: "stall", count: 1 }] });
    const run = await runCaptured(waitArgs(sim, "--request-timeout", "0.3", "--verbose"));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/RequestTimeout \(transient\): attempt 1, next try in [\d.]+ s/);
    // Cut at 0.3 s, not at the default request timeout of 10 s.
    expect(run.ms).toBeLessThan(10_000);
  });

  it("a simulator clock 10 minutes ahead costs one SignatureExpire, then passes", async () => {
    const sim = await simulator({ scenario: "pass", clockOffsetSec: 600 });
    const run = await runCaptured(waitArgs(sim));
    expect(run.code).toBe(0);
    expect(sim.arrivals.filter((arrival) => arrival.code === "AuthFailure.SignatureExpire")).toHaveLength(1);
  });
});

describe("dts-gate wait: rate, fairness and latency", () => {
  it("21 jobs at --interval 0.05 (420 polls a second asked) stay within 20 per sliding second", async () => {
    // The throughput reached under this excess demand and the fairness between jobs are figures of
    // `npm run bench`; that the limiter uses its whole budget is proven on virtual time
    // (test/pacing/limiter.test.ts). Here: the server never sees more than its limit.
    // Each job's check starts at its first poll and outlasts it: at least two polls a job, 42 in
    // all, over two seconds of the budget at least.
    const sim = await simulator({ scenario: "pass", stepMs: 50 });
    const ids = jobIds(21);
    // Fixed polling (--max-interval equal to --interval): a demand far above the budget throughout.
    const run = await runCaptured([
      "wait",
      ...ids,
      "--endpoint",
      sim.url,
      "--interval",
      "0.05",
      "--max-interval",
      "0.05",
      "--output",
      "json",
    ]);
    expect(run.code).toBe(0);
    expect(sim.arrivals.length).toBeGreaterThan(40);
    expect(maxInSlidingWindow(sim.arrivals.map((arrival) => arrival.atMs))).toBeLessThanOrEqual(20);
    expect(sim.arrivals.filter((arrival) => arrival.code === "RequestLimitExceeded")).toHaveLength(0);
  });

  it("reports the verdict from the first poll after the check turned terminal", async () => {
    // The latency itself (interval plus how long) is a figure of `npm run bench`; here the order of
    // events, on the simulator's clock: polls while running, then exactly one that sees the end.
    // The check ends halfway to the poll after the first: neither poll can be taken for the other.
    const stepMs = 20;
    const sim = await simulator({ scenario: "pass", stepMs });
    const run = await runCaptured(["wait", JOB, "--endpoint", sim.url, "--interval", "0.5"]);
    expect(run.code).toBe(0);
    const times = sim.arrivals.map((arrival) => arrival.atMs);
    const terminalAt = (times[0] ?? 0) + 13 * stepMs;
    expect(times.at(-1)).toBeGreaterThanOrEqual(terminalAt);
    expect(times.at(-2)).toBeLessThan(terminalAt);
  });
});

describe("dts-gate wait: output", () => {
  it("--output json prints exactly the contract's document on stdout and the rest on stderr", async () => {
    const sim = await simulator({ scenario: "warning" });
    const run = await runCaptured(waitArgs(sim, "--output", "json"));
    const document = JSON.parse(run.stdout);
    expect(document.passed).toBe(true);
    expect(document.jobs).toHaveLength(1);
    const [job] = document.jobs;
    expect(job).toMatchObject({
      jobId: JOB,
      outcome: "pass",
      status: "success",
      checkFlag: "checkPass",
      briefMsg: "success",
    });
    expect(job.stepInfo).toHaveLength(13);
    expect(job.stepInfo[12]).toMatchObject({ StepId: "OptimizeCheck", HasSkipped: true, StepStatus: "failed" });
    expect(job.polls).toBeGreaterThan(1);
    expect(job.elapsedMs).toBeGreaterThan(0);
    expect(job.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect("error" in job).toBe(false);
    expect(run.stderr).toContain("gate open");
  });

  it("an error outcome carries the error object in JSON", async () => {
    const sim = await simulator({ jobs: { "dts-abcdefgh": "pass" } });
    const run = await runCaptured(waitArgs(sim, "--output", "json"));
    const [job] = JSON.parse(run.stdout).jobs;
    expect(job.outcome).toBe("error");
    expect(job.error).toMatchObject({ code: "ResourceNotFound" });
    expect(job.status).toBeNull();
  });

  it("the text report shows every step, failed items with reason and solution, skipped steps as skipped", async () => {
    const notPass = await simulator({ scenario: "not-pass" });
    const failed = await runCaptured(waitArgs(notPass));
    expect(failed.stdout).toMatch(/5 {2}Target instance content conflict check +✗ failed/);
    expect(failed.stdout).toMatch(/reason: {3}\S/);
    expect(failed.stdout).toMatch(/solution: \S/);
    expect(failed.stdout).toContain("help:     https://www.tencentcloud.com/document/");
    const warning = await simulator({ scenario: "warning" });
    const passed = await runCaptured(waitArgs(warning));
    expect(passed.stdout).toMatch(/12 {2}Peripheral check +↷ skipped/);
    expect(passed.stdout.match(/^ {2}( \d|\d\d) {2}/gm)).toHaveLength(13);
  });

  it("off a terminal: one line per change, no control characters", async () => {
    const sim = await simulator({ scenario: "pass", stepMs: 30 });
    const run = await runCaptured(waitArgs(sim));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
    expect(run.stdout + run.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    const lines = run.stderr.trim().split("\n");
    expect(new Set(lines.map((line) => line.replace(/^\[[ \d.]+s\] /, ""))).size).toBe(lines.length);
    expect(lines.at(-1)).toMatch(/dts-1ewjspuw PASSED$/);
  });

  it("on a terminal: live lines redrawn in place", async () => {
    const sim = await simulator({ scenario: "pass", stepMs: 30 });
    const run = await runCaptured(waitArgs(sim), { tty: true, env: { ...DEMO_ENV, NO_COLOR: "1" } });
    expect(run.stderr).toContain("\u001b[1A\u001b[0J");
    expect(run.stderr).not.toContain("\u001b[3");
  });

  it("--verbose shows every exchange with the signature and token redacted", async () => {
    const sim = await simulator({ scenario: "pass" });
    const run = await runCaptured(waitArgs(sim, "--verbose"), {
      env: { ...DEMO_ENV, TENCENTCLOUD_SESSION_TOKEN: "token-must-not-show" },
    });
    expect(run.stderr).toContain("→ DescribeMigrationCheckJob");
    expect(run.stderr).toMatch(/← DescribeMigrationCheckJob dts-1ewjspuw HTTP 200 ok RequestId [0-9a-f-]{36}/);
    expect(run.stderr).toContain("Signature=[redacted]");
    expect(run.stderr).toContain("x-tc-token: [redacted]");
    expect(run.stderr).not.toContain("token-must-not-show");
  });

  it("SIGINT and SIGTERM stop the wait in its pause, report what is known and exit 130 / 143", async () => {
    for (const [signal, code] of [
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ] as const) {
      const sim = await simulator({ scenario: "stuck" });
      // Raised once the first poll was answered, while the run pauses for a 60 s interval: a
      // signal that waited for the pause to end would hold the run for a minute.
      let raisedAt = 0;
      const run = await runCaptured(["wait", JOB, "--endpoint", sim.url, "--interval", "60"], {
        withSignal: (raise) => {
          const watch = setInterval(() => {
            if (sim.arrivals.length === 0) return;
            clearInterval(watch);
            raisedAt = performance.now();
            raise(signal);
          }, 10);
        },
      });
      expect(run.code).toBe(code);
      expect(raisedAt).toBeGreaterThan(0);
      expect(performance.now() - raisedAt).toBeLessThan(LOADED_MACHINE_MS);
      expect(sim.arrivals).toHaveLength(1);
      expect(run.stdout).toContain("interrupted");
    }
  });
});
