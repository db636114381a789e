import { describe, expect, it } from "vitest";
import { FAULT_KINDS, type FaultKind, type FaultRule } from "../../src/simulator/index.js";
import { runCaptured } from "../helpers/cli.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";

/**
 * Every fault the simulator can inject, against `wait`: one by one and mixed, on DescribeMigrationCheckJob
 * and on StartMigrateJob. Checks the verdict, the exit code, the requests spent and (runCaptured)
 * that nothing secret is printed. The README's fault table is this file in prose.
 */
const JOB = "dts-1ewjspuw";
const simulator = simulatorsClosedAfterEach({ stepMs: 10, rate: 1000 });

async function run(scenario: "pass" | "not-pass" | "stuck", faults: FaultRule[], ...extra: string[]) {
  const sim = await simulator({ jobs: { [JOB]: scenario }, faults });
  const result = await runCaptured([
    "wait",
    JOB,
    "--endpoint",
    sim.url,
    "--interval",
    "0.02",
    "--rate",
    "100",
    "--request-timeout",
    requestTimeoutFor(faults),
    "--output",
    "json",
    ...extra,
  ]);
  const document = JSON.parse(result.stdout);
  return {
    sim,
    code: result.code,
    job: document.jobs[0],
    faulted: sim.arrivals.filter((a) => a.code === faults[0]?.kind),
  };
}

/** Faults that only the client's per-request timeout ends. */
const CUT_BY_TIMEOUT: readonly FaultKind[] = ["stall", "slowBody"];

/**
 * Long enough that a loaded machine never times out an answer that came (an in-process loopback
 * answer takes milliseconds; an extra request would break every count below), short enough to keep
 * the stalls cheap; 5 s when nothing stalls.
 */
const requestTimeoutFor = (faults: readonly FaultRule[]) =>
  faults.some((fault) => CUT_BY_TIMEOUT.includes(fault.kind)) ? "0.5" : "5";

/**
 * The gateway refusals carry Retry-After 0: the matrix counts requests, and a longer Retry-After
 * would only add its seconds (test/core/integrity.test.ts proves it is honoured, on virtual time).
 */
const withRetryAfter = (kind: FaultKind) => (kind === "http429" || kind === "http503" ? { retryAfter: 0 } : {});

/** Faults that cost a retry; nullFields is a valid answer without a verdict, denied is fatal. */
const POLL_FAULTS = FAULT_KINDS.filter((kind) => kind !== "nullFields" && kind !== "denied");

describe("fault matrix: DescribeMigrationCheckJob", () => {
  it.each(
    POLL_FAULTS.flatMap((kind) => [
      [kind, "pass", 0, "pass"],
      [kind, "not-pass", 1, "notPass"],
    ]) as [FaultKind, "pass" | "not-pass", number, string][],
  )("%s on %s: exit %i, outcome %s, one extra request per fault", async (kind, scenario, code, outcome) => {
    // Three faults, each after a good answer: every one costs exactly one retry (one for those the
    // request timeout cuts: each costs a whole timeout).
    const faults = (CUT_BY_TIMEOUT.includes(kind) ? [1] : [1, 3, 5]).map((after) => ({
      kind,
      after,
      count: 1,
      action: "DescribeMigrationCheckJob" as const,
      ...withRetryAfter(kind),
    }));
    const { job, code: exitCode, faulted } = await run(scenario, faults);
    expect(exitCode).toBe(code);
    expect(job.outcome).toBe(outcome);
    // How many of the three fire before the check ends depends on backoff; each costs one request.
    expect(faulted.length).toBeGreaterThanOrEqual(1);
    expect(job.requests).toBe(job.polls + faulted.length);
  });

  it("nullFields answers are polls without a verdict, never a crash", async () => {
    const { job, code, faulted } = await run("pass", [{ kind: "nullFields", after: 1, count: 3 }]);
    expect(code).toBe(0);
    expect(faulted).toHaveLength(3);
    expect(job.requests).toBe(job.polls);
  });

  it("denied (UnauthorizedOperation) ends the wait at once: exit 4, never retried", async () => {
    const { job, code, faulted } = await run("pass", [{ kind: "denied", after: 3 }]);
    expect(code).toBe(4);
    expect(job.outcome).toBe("error");
    expect(job.error.code).toBe("UnauthorizedOperation");
    expect(faulted).toHaveLength(1);
    expect([job.polls, job.requests]).toEqual([3, 4]);
  });

  it("all faults mixed, between good answers, still end in the scenario's verdict", async () => {
    const faults = [...POLL_FAULTS, "nullFields" as const].map((kind, i) => ({
      kind,
      after: 1 + 2 * i,
      count: 1,
      ...withRetryAfter(kind),
    }));
    const { job, code, sim } = await run("not-pass", faults);
    expect(code).toBe(1);
    expect(job.outcome).toBe("notPass");
    const spent = sim.arrivals.filter((a) => a.code !== undefined && a.code !== "nullFields").length;
    expect(job.requests).toBe(job.polls + spent);
  });

  it("all faults mixed, then denied: each recoverable one costs a request, denied ends the wait", async () => {
    const recoverable = [...POLL_FAULTS, "nullFields" as const].map((kind, i) => ({
      kind,
      after: 1 + 2 * i,
      count: 1,
      ...withRetryAfter(kind),
    }));
    const faults = [...recoverable, { kind: "denied" as const, after: 1 + 2 * recoverable.length, count: 1 }];
    const { job, code, sim } = await run("stuck", faults);
    expect(code).toBe(4);
    expect(job.error.code).toBe("UnauthorizedOperation");
    const codes = sim.arrivals.map((a) => a.code).filter((c) => c !== undefined);
    expect(codes).toEqual(faults.map((fault) => fault.kind));
    // Every fault but nullFields (a valid answer) was a request without a poll.
    expect(job.requests).toBe(job.polls + faults.length - 1);
  }, 30_000);
});

describe("fault matrix: StartMigrateJob is never resent once it may have been applied", () => {
  it.each([
    ["throttle", 0, 2, 1],
    // Refused by the server, but the client cannot know that from a 5xx-like answer.
    ["internal", 4, 1, 0],
    ["http502", 4, 1, 0],
    // Refused, and fatal: the gate reports it as it is.
    ["denied", 4, 1, 0],
    ["reset", 4, 1, 1],
    ["stall", 4, 1, 1],
    ["truncated", 4, 1, 1],
    ["invalidJson", 4, 1, 1],
    ["emptyBody", 4, 1, 1],
  ] as [FaultKind, number, number, number][])(
    "%s: exit %i, %i StartMigrateJob sent, %i applied",
    async (kind, code, sent, applied) => {
      const { sim, code: exitCode, job } = await run("pass", [{ kind, action: "StartMigrateJob" }], "--start");
      expect(exitCode).toBe(code);
      expect(sim.arrivals.filter((a) => a.action === "StartMigrateJob")).toHaveLength(sent);
      expect(sim.startCount(JOB)).toBe(applied);
      if (kind === "denied") expect(job.error.code).toBe("UnauthorizedOperation");
      else if (code === 4) expect(job.error.code).toBe("StartOutcomeUnknown");
      else expect(job.started.requestId).toMatch(/^[0-9a-f-]{36}$/);
    },
  );
});
