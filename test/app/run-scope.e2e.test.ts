import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { listenForSignalsEarly, type StopSignal } from "../../src/app/signals.js";
import { DEMO_ENV } from "../helpers/cli.js";
import { type FaultyServer, startFaultyServer } from "../helpers/faulty-server.js";
import { CLI, describeRun, runCliProcess } from "../helpers/process.js";
import { tempFolder } from "../helpers/temp-folder.js";

/* The bundle as a process: signals are heard from its first moment, and no wait holds its exit. */

const JOB = "dts-1ewjspuw";
const ROLE_ARN = "qcs::cam::uin/100000000001:roleName/dts-gate-ci";
const servers: FaultyServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe("the CLI process", () => {
  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)(
    "%s while STS never answers: exit %i within a second, the JSON document and the JUnit file",
    async (signal, code) => {
      const sts = await startFaultyServer("hang");
      servers.push(sts);
      const env = { ...DEMO_ENV, TENCENTCLOUD_ROLE_ARN: ROLE_ARN, TENCENTCLOUD_STS_ENDPOINT: sts.url };
      const junit = join(tempFolder(), "reports", "junit.xml");
      const args = ["wait", JOB, "--endpoint", "http://127.0.0.1:9", "--output", "json", "--junit", junit];
      const running = runCliProcess(CLI, args, env, 15_000);
      while (sts.connections() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const signalledAt = Date.now();
      running.child.kill(signal);
      const run = await running;
      expect(run.code, describeRun(run)).toBe(code);
      expect(Date.now() - signalledAt).toBeLessThan(1_000);
      expect(JSON.parse(run.stdout)).toMatchObject({ passed: false, jobs: [{ error: { code: "Interrupted" } }] });
      expect(existsSync(junit)).toBe(true);
    },
  );

  it("a credential file no one ever writes (a FIFO) is refused at once, not waited for", async () => {
    const home = tempFolder();
    mkdirSync(join(home, ".tencentcloud"));
    execFileSync("mkfifo", [join(home, ".tencentcloud", "credentials")]);
    const args = ["wait", JOB, "--endpoint", "http://127.0.0.1:9", "--output", "json"];
    const run = await runCliProcess(CLI, args, { HOME: home }, 15_000);
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toContain("not a regular file");
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: "UsageError" } });
  });
});

describe("signals heard from the process's first moment", () => {
  it("a signal before anyone listens is told to the first listener, once; stop() stops listening", async () => {
    const signals = listenForSignalsEarly();
    try {
      process.emit("SIGTERM");
      const heard: StopSignal[] = [];
      const unsubscribe = signals.onSignal((signal) => heard.push(signal));
      await Promise.resolve();
      expect(heard).toEqual(["SIGTERM"]);
      process.emit("SIGINT");
      expect(heard).toEqual(["SIGTERM", "SIGINT"]);
      unsubscribe();
      const later: StopSignal[] = [];
      signals.onSignal((signal) => later.push(signal));
      await Promise.resolve();
      expect(later).toEqual([]);
    } finally {
      signals.stop();
    }
    expect(process.listenerCount("SIGTERM")).toBe(0);
  });
});
