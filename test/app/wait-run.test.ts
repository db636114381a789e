import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decidingJob } from "../../src/action/run.js";
import { JobRecord } from "../../src/core/job-record.js";
import type { GateResult } from "../../src/core/types.js";
import { DEMO_ENV, runCaptured } from "../helpers/cli.js";
import { type FaultyServer, startFaultyServer } from "../helpers/faulty-server.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";
import { tempFolder } from "../helpers/temp-folder.js";

const JOB = "dts-1ewjspuw";
const ROLE_ARN = "qcs::cam::uin/100000000001:roleName/dts-gate-ci";
const simulator = simulatorsClosedAfterEach({ scenario: "pass", stepMs: 10 });

const servers: FaultyServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Credentials through STS AssumeRole at an STS that accepts and never answers. */
async function silentSts(): Promise<{ env: Record<string, string>; sts: FaultyServer }> {
  const sts = await startFaultyServer("hang");
  servers.push(sts);
  return { env: { ...DEMO_ENV, TENCENTCLOUD_ROLE_ARN: ROLE_ARN, TENCENTCLOUD_STS_ENDPOINT: sts.url }, sts };
}

/** Calls `then` once `ready()` holds (checked every 5 ms). */
function once(ready: () => boolean, then: () => void) {
  const watch = setInterval(() => {
    if (!ready()) return;
    clearInterval(watch);
    then();
  }, 5);
}

describe("one run scope: the signal and the deadline bound the search for credentials", () => {
  it("SIGTERM while STS never answers: exit 143 at once, the JSON document and the JUnit file written", async () => {
    const { env, sts } = await silentSts();
    const junit = join(tempFolder(), "junit.xml");
    let raisedAt = 0;
    const run = await runCaptured(
      ["wait", JOB, "--endpoint", "http://127.0.0.1:9", "--output", "json", "--junit", junit],
      {
        env,
        withSignal: (raise) =>
          once(
            () => sts.connections() > 0,
            () => {
              raisedAt = performance.now();
              raise("SIGTERM");
            },
          ),
      },
    );
    expect(run.code).toBe(143);
    expect(raisedAt).toBeGreaterThan(0);
    expect(performance.now() - raisedAt).toBeLessThan(1_000);
    const document = JSON.parse(run.stdout);
    expect(document).toMatchObject({ passed: false, jobs: [{ jobId: JOB, error: { code: "Interrupted" } }] });
    expect(readFileSync(junit, "utf8")).toContain(JOB);
  });

  it("the deadline while STS never answers: exit 3 at the deadline, not a request timeout later", async () => {
    const { env } = await silentSts();
    const run = await runCaptured(
      ["wait", JOB, "--endpoint", "http://127.0.0.1:9", "--output", "json", "--timeout", "1"],
      {
        env,
      },
    );
    expect(run.code).toBe(3);
    expect(run.ms).toBeLessThan(1_000 + 1_000);
    expect(JSON.parse(run.stdout)).toMatchObject({ passed: false, jobs: [{ jobId: JOB, outcome: "timeout" }] });
  });
});

describe("output paths are checked before the first request", () => {
  it("--junit into a missing folder: the folder is made and the report written, the migration started once", async () => {
    const sim = await simulator();
    const junit = join(tempFolder(), "reports", "deep", "junit.xml");
    const run = await runCaptured([
      "wait",
      JOB,
      "--endpoint",
      sim.url,
      "--interval",
      "0.05",
      "--start",
      "--junit",
      junit,
    ]);
    expect(run.code).toBe(0);
    expect(readFileSync(junit, "utf8")).toContain(JOB);
  });

  it("--junit at a folder: exit 2 with the usage document, and no request sent", async () => {
    const sim = await simulator();
    const folder = tempFolder();
    const run = await runCaptured([
      "wait",
      JOB,
      "--endpoint",
      sim.url,
      "--output",
      "json",
      "--start",
      "--junit",
      folder,
    ]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ passed: false, error: { code: "UsageError" } });
    expect(run.stderr).toContain("--junit");
    expect(sim.arrivals).toHaveLength(0);
  });

  it("a JUnit file that cannot be written at the end: the document fails with the reason, as the exit code does", async () => {
    const sim = await simulator({ stepMs: 20 });
    const folder = join(tempFolder(), "reports");
    const junit = join(folder, "junit.xml");
    const removed = new Promise<void>((resolve) =>
      once(
        () => sim.arrivals.length > 0,
        () => {
          // A missing folder would be made again: a file in its place cannot be.
          rmSync(folder, { recursive: true, force: true });
          writeFileSync(folder, "");
          resolve();
        },
      ),
    );
    const run = await runCaptured([
      "wait",
      JOB,
      "--endpoint",
      sim.url,
      "--interval",
      "0.05",
      "--output",
      "json",
      "--junit",
      junit,
    ]);
    await removed;
    expect(run.code).toBe(4);
    const document = JSON.parse(run.stdout);
    expect(document.passed).toBe(false);
    expect(document.reason).toContain("cannot write the JUnit report");
    expect(existsSync(junit)).toBe(false);
  });
});

describe("the Action's job outputs", () => {
  const job = (jobId: string, outcome: "pass" | "timeout" | "notPass") => {
    const record = new JobRecord(jobId);
    record.fail(outcome, undefined);
    return record.report();
  };
  const result = (jobs: GateResult["jobs"]): GateResult => ({
    passed: false,
    exitCode: 3,
    interrupted: false,
    failOnWarning: false,
    reason: "",
    jobs,
  });

  it("describe the job that decided the gate, the worst outcome, not the first job", () => {
    const jobs = [job("dts-aaaaaaaa", "pass"), job("dts-bbbbbbbb", "notPass"), job("dts-cccccccc", "timeout")];
    expect(decidingJob(result(jobs))?.jobId).toBe("dts-cccccccc");
    expect(decidingJob(result(jobs.slice(0, 2)))?.jobId).toBe("dts-bbbbbbbb");
    expect(decidingJob(result([]))).toBeUndefined();
  });
});
