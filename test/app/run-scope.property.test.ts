import { execFileSync } from "node:child_process";
import { closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { EXIT_CODES } from "../../src/core/verdict.js";
import { startSimulator } from "../../src/simulator/index.js";
import { DEMO_ENV, runCaptured } from "../helpers/cli.js";
import { type Misbehaviour, startFaultyServer } from "../helpers/faulty-server.js";
import { propertyOptions } from "../helpers/property.js";

/*
 * Fault injection: one of the run's outside parties (STS, the metadata service, Redis, the HTTP
 * proxy to DTS, the credential file) hangs, drips or closes at a random moment, and a signal or the
 * deadline comes at a random moment. Whatever the mix, the run ends soon after the signal or the
 * deadline (well before any party could hold it), with the exit code that implies (or an earlier verdict of its own: a refusal,
 * a usage error), and every output written: the one JSON document and the JUnit file.
 */

const JOB = "dts-1ewjspuw";
/** Far above what a loaded machine adds to a run, far below the 10 s a party could hold it. */
const LOADED_MACHINE_MS = 5_000;
const ROLE_ARN = "qcs::cam::uin/100000000001:roleName/dts-gate-ci";
type Party = "sts" | "metadata" | "redis" | "proxy" | "credentialFile";
type End = "SIGINT" | "SIGTERM" | "deadline";

interface Case {
  readonly party: Party;
  readonly misbehaviour: Misbehaviour;
  readonly afterMs: number;
  readonly end: End;
  readonly endAtMs: number;
}

/**
 * The run reaches its party within about 100 ms (in this process); the moments span the few hundred
 * ms after, so that the party misbehaves before or after the end comes. Every case waits for its
 * end: a longer span would cost time and cover nothing more.
 */
const cases = fc.record({
  party: fc.constantFrom<Party>("sts", "metadata", "redis", "proxy", "credentialFile"),
  misbehaviour: fc.constantFrom<Misbehaviour>("hang", "drip", "close"),
  afterMs: fc.integer({ min: 0, max: 150 }),
  end: fc.constantFrom<End>("SIGINT", "SIGTERM", "deadline"),
  endAtMs: fc.integer({ min: 100, max: 400 }),
});

const IMPLIED: Record<End, number> = { SIGINT: 130, SIGTERM: 143, deadline: EXIT_CODES.timeout };

/** A credential file nobody ever writes: a FIFO, whose open blocks until `release`. */
function blockingCredentialFile(home: string): () => void {
  const folder = join(home, ".tencentcloud");
  mkdirSync(folder);
  const fifo = join(folder, "credentials");
  execFileSync("mkfifo", [fifo]);
  return () => {
    // A reader still waiting in open() gets an end of file; none waiting: nothing to release.
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {}
  };
}

async function runCase(c: Case) {
  const folder = mkdtempSync(join(tmpdir(), "dts-gate-fault-"));
  const home = join(folder, "home");
  mkdirSync(home);
  const faulty = await startFaultyServer(c.misbehaviour, c.afterMs);
  const sim = await startSimulator({ scenario: "stuck", stepMs: 10 });
  let release = () => {};
  try {
    let env: Record<string, string> = DEMO_ENV;
    let endpoint = sim.url;
    const extra: string[] = [];
    if (c.party === "sts")
      env = { ...DEMO_ENV, TENCENTCLOUD_ROLE_ARN: ROLE_ARN, TENCENTCLOUD_STS_ENDPOINT: faulty.url };
    if (c.party === "metadata") env = { TENCENTCLOUD_METADATA_ENDPOINT: faulty.url };
    if (c.party === "redis") extra.push("--redis-url", `redis://127.0.0.1:${faulty.port}`);
    if (c.party === "proxy") env = { ...DEMO_ENV, HTTP_PROXY: faulty.url };
    if (c.party === "proxy") endpoint = "http://127.0.0.1:9";
    if (c.party === "credentialFile") {
      env = {};
      release = blockingCredentialFile(home);
    }
    if (c.end === "deadline") extra.push("--timeout", (c.endAtMs / 1000).toFixed(3));
    const junit = join(folder, "reports", "junit.xml");
    const args = ["wait", JOB, "--endpoint", endpoint, "--interval", "0.05", "--output", "json", "--junit", junit];
    let startedAt = 0;
    const run = await runCaptured([...args, ...extra], {
      env,
      homeDir: home,
      withSignal: (raise) => {
        startedAt = performance.now();
        if (c.end !== "deadline") setTimeout(() => raise(c.end as "SIGINT" | "SIGTERM"), c.endAtMs);
      },
    });
    const endedAfterMs = performance.now() - startedAt;
    return { run, endedAfterMs, junitWritten: existsSync(junit) };
  } finally {
    release();
    await Promise.all([faulty.close(), sim.close()]);
    rmSync(folder, { recursive: true, force: true });
  }
}

describe("fault injection: every party misbehaving, a signal or the deadline at any moment", () => {
  // The commands' chunk loaded once, so that no case's moment counts the first import.
  beforeAll(async () => {
    await import("../../src/cli/commands.js");
  });

  it("ends soon after the signal or deadline, with its exit code and every output", async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const { run, endedAfterMs, junitWritten } = await runCase(c);
        const context = `${JSON.stringify(c)} → exit ${run.code} after ${Math.round(endedAfterMs)} ms\n${run.stderr}`;
        // Bounded by the scope, not by a party: a hanging one would hold the run for the request
        // timeout (10 s) or for ever. How soon after the end (within a second) is a figure of
        // `npm run bench`; a loaded machine may add seconds here.
        expect(endedAfterMs, context).toBeLessThan(c.endAtMs + LOADED_MACHINE_MS);
        const document = JSON.parse(run.stdout) as { passed: boolean };
        expect(document.passed, context).toBe(false);
        // An earlier end of the run's own (no credentials, a refusal) is allowed; else the implied code.
        if (run.code !== EXIT_CODES.usage && run.code !== EXIT_CODES.error)
          expect(run.code, context).toBe(IMPLIED[c.end]);
        if (run.code !== EXIT_CODES.usage) expect(junitWritten, context).toBe(true);
      }),
      // A failure is reported as found (with its seed, to replay): shrinking real-time cases takes minutes.
      { ...propertyOptions(12), endOnFailure: true },
    );
  }, 60_000);
});
