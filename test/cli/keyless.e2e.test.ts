import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/index.js";
import { DEMO_ENV, runCaptured } from "../helpers/cli.js";
import { CLI, describeRun, runCliProcess, waitFor } from "../helpers/process.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";

/* Every keyless source through the CLI, the simulator as DTS, STS and the metadata service at once. */

const JOB = "dts-1ewjspuw";
const ROLE_ARN = "qcs::cam::uin/100000000001:roleName/dts-gate-ci";
const TOKEN = "tke-projected-token-0123";
const simulator = simulatorsClosedAfterEach({ scenario: "pass", stepMs: 5, oidcTokens: [TOKEN] });

const wait = (sim: Simulator, ...extra: string[]) => [
  "wait",
  JOB,
  "--endpoint",
  sim.url,
  "--interval",
  "0.05",
  ...extra,
];
const services = (sim: Simulator) =>
  sim.arrivals.filter((arrival) => arrival.service).map((arrival) => arrival.action || arrival.path);

function tkeEnv(sim: Simulator, token = TOKEN): Record<string, string> {
  const file = join(mkdtempSync(join(tmpdir(), "dts-gate-tke-")), "token");
  writeFileSync(file, token);
  return {
    TKE_PROVIDER_ID: "tke-provider",
    TKE_ROLE_ARN: ROLE_ARN,
    TKE_WEB_IDENTITY_TOKEN_FILE: file,
    TENCENTCLOUD_STS_ENDPOINT: sim.url,
  };
}

describe("keyless sources through the CLI", () => {
  it("TKE web identity: the token file exchanged with AssumeRoleWithWebIdentity, then DTS with the token", async () => {
    const sim = await simulator();
    const run = await runCaptured(wait(sim), { env: tkeEnv(sim) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/credentials from web identity/);
    expect(services(sim)).toEqual(["AssumeRoleWithWebIdentity"]);
  });

  it("a token STS does not know is exit 4 and says so; an empty token file is exit 2", async () => {
    const sim = await simulator();
    const junit = join(mkdtempSync(join(tmpdir(), "dts-gate-junit-")), "report.xml");
    const refused = await runCaptured(wait(sim, "--output", "json", "--junit", junit), {
      env: tkeEnv(sim, "someone-elses-token"),
    });
    expect(refused.code).toBe(4);
    expect(JSON.parse(refused.stdout).jobs[0].error.code).toBe("InvalidParameter.WebIdentityTokenError");
    // The gate could not run, but it was not a usage error: the JUnit file says why.
    expect(readFileSync(junit, "utf8")).toMatch(/<error [^>]*type="InvalidParameter.WebIdentityTokenError"/);
    const empty = await runCaptured(wait(sim), { env: tkeEnv(sim, "") });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/TKE_WEB_IDENTITY_TOKEN_FILE/);
  });

  it("the CVM instance role from the metadata service, tried last", async () => {
    const sim = await simulator({ cvmRole: "dts-runner" });
    const run = await runCaptured(wait(sim), { env: { TENCENTCLOUD_METADATA_ENDPOINT: sim.url } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/credentials from .*dts-runner/);
    expect(services(sim).length).toBeGreaterThanOrEqual(2);
  });

  it("no source at all is exit 2 listing every source tried, within a couple of seconds", async () => {
    const sim = await simulator();
    const run = await runCaptured(wait(sim), { env: { TENCENTCLOUD_METADATA_ENDPOINT: "http://127.0.0.1:9" } });
    expect(run.code).toBe(2);
    for (const source of ["environment", "web identity", "profile", "CVM"]) expect(run.stderr).toContain(source);
    expect(run.ms).toBeLessThan(5_000);
  });

  it("role chaining: TENCENTCLOUD_ROLE_ARN makes the keys found assume the role", async () => {
    const sim = await simulator();
    const run = await runCaptured(wait(sim), {
      env: { ...DEMO_ENV, TENCENTCLOUD_ROLE_ARN: ROLE_ARN, TENCENTCLOUD_STS_ENDPOINT: sim.url },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(services(sim)).toEqual(["AssumeRole"]);
    expect(run.stderr).toMatch(/role .*dts-gate-ci/);
  });

  it("demo --keyless: no keys anywhere, the demo's token exchanged with its simulated STS", async () => {
    const run = await runCaptured(["demo", "--keyless", "--scenario", "pass", "--step-ms", "5", "--interval", "0.05"], {
      env: {},
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/ \(scenario pass, --step-ms 5\); no keys anywhere:\n/);
    expect(run.stderr).toMatch(/credentials from web identity/);
    expect(run.stdout).toContain("gate open");
  });

  it("renews temporary credentials before they expire, mid-wait (a real process): the renewed ones signed and accepted", async () => {
    // A lifetime of 303 s (ExpiredTime in whole seconds: 302 to 303 s left) comes inside the
    // 5-minute renewal margin within three seconds; credentials read later than that by a loaded
    // machine would already be inside it, and refused. The run is stopped once DTS has answered
    // requests signed with a renewed token, however long the machine took to get there.
    const sim = await simulator({ scenario: "stuck", credentialTtlSec: 303, keepRequests: true });
    const dts = () => sim.arrivals.filter((arrival) => !arrival.service);
    const tokens = () => dts().map((arrival) => arrival.request?.headers["x-tc-token"]);
    // Two DTS requests in a row with a token other than the first.
    const renewedTokenUsed = () => {
      const [first, ...later] = tokens();
      return later.slice(-2).filter((token) => token !== first).length === 2;
    };
    const running = runCliProcess(CLI, [...wait(sim), "--output", "json"], tkeEnv(sim), 20_000);
    // An early exit ends the wait too: the exit code and stderr then say why.
    await waitFor(() => renewedTokenUsed() || running.child.exitCode !== null, "a renewed token used, or the exit");
    running.child.kill("SIGTERM");
    const run = await running;
    expect(run.code, describeRun(run)).toBe(143);
    expect(services(sim).length).toBeGreaterThanOrEqual(2);
    const refused = dts().filter((arrival) => arrival.code?.startsWith("AuthFailure"));
    expect(refused).toEqual([]);
  }, 30_000);
});
