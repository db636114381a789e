import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseJunit } from "junit2json";
import { afterAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/index.js";
import { DEMO_ENV, runCaptured } from "../helpers/cli.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";

/* The habits of good command-line tools, against the real simulator over loopback HTTP. */

const PASSING = "dts-1ewjspuw";
const FAILING = "dts-aaaaaaaa";
const STUCK = "dts-bbbbbbbb";
const simulator = simulatorsClosedAfterEach({ stepMs: 5 });

const wait = (sim: Simulator, ...args: string[]) => ["wait", ...args, "--endpoint", sim.url, "--interval", "0.02"];
const scratches: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), "dts-gate-habits-"));
  scratches.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of scratches) rmSync(dir, { recursive: true, force: true });
});

describe("--fail-fast", () => {
  it("is on by default: once a job closed the gate, the others are cancelled at once", async () => {
    const sim = await simulator({ jobs: { [FAILING]: "not-pass", [STUCK]: "stuck" } });
    const run = await runCaptured([...wait(sim, FAILING, STUCK), "--output", "json"]);
    expect(run.code).toBe(1);
    const outcomes = JSON.parse(run.stdout).jobs.map((job: { outcome: string }) => job.outcome);
    expect(outcomes).toEqual(["notPass", "cancelled"]);
  });

  it("--no-fail-fast waits for every job (here: until the timeout)", async () => {
    const sim = await simulator({ jobs: { [FAILING]: "not-pass", [STUCK]: "stuck" } });
    const run = await runCaptured([...wait(sim, FAILING, STUCK), "--no-fail-fast", "--timeout", "0.5"]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain("TIMED OUT");
  });
});

describe("--junit FILE", () => {
  it("writes a JUnit report a JUnit parser reads, one suite per job and one case per step", async () => {
    const sim = await simulator({ scenario: "warning" });
    const file = join(scratch(), "report.xml");
    const run = await runCaptured([...wait(sim, PASSING), "--junit", file]);
    expect(run.code).toBe(0);
    const report = await parseJunit(readFileSync(file, "utf8"));
    expect(report).toMatchObject({ name: "dts-gate" });
    const suites = (report as { testsuite?: { name?: string; testcase?: unknown[] }[] }).testsuite ?? [];
    expect(suites.map((suite) => suite.name)).toEqual([PASSING]);
    expect(suites[0]?.testcase).toHaveLength(13);
  });

  it("under --fail-on-warning, a warning that closed the gate fails the job's verdict case", async () => {
    const sim = await simulator({ scenario: "warning" });
    const file = join(scratch(), "warned.xml");
    expect((await runCaptured([...wait(sim, PASSING), "--fail-on-warning", "--junit", file])).code).toBe(1);
    const xml = readFileSync(file, "utf8");
    expect(xml).toMatch(/<testcase name="verdict"[^>]*>\s*<failure[^>]*--fail-on-warning closes the gate/);
    expect((await runCaptured([...wait(sim, PASSING), "--junit", file])).code).toBe(0);
    expect(readFileSync(file, "utf8")).not.toContain("<failure");
  });

  it("is written on a closed gate too, and a file that cannot be written never lets the gate pass", async () => {
    const sim = await simulator({ scenario: "not-pass" });
    const file = join(scratch(), "closed.xml");
    expect((await runCaptured([...wait(sim, PASSING), "--junit", file])).code).toBe(1);
    expect(readFileSync(file, "utf8")).toContain("<failure");

    // Found before the first request: a folder that cannot be made (its parent is a file).
    const passing = await simulator({ scenario: "pass" });
    const unwritable = join(file, "report.xml");
    const run = await runCaptured([...wait(passing, PASSING), "--junit", unwritable]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--junit");
    expect(passing.arrivals).toHaveLength(0);
  });
});

describe("errors say what to do next", () => {
  it("ResourceNotFound without a region names the ways to give one", async () => {
    const sim = await simulator({ jobs: { [FAILING]: "pass" } });
    const run = await runCaptured(wait(sim, PASSING));
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/ResourceNotFound.*no region was given.*--region/);
  });

  it("AuthFailure names the credential source", async () => {
    const sim = await simulator({ secretId: "AKIDsomebodyElse000000000000000000000", secretKey: "another-key-0000" });
    const run = await runCaptured(wait(sim, PASSING));
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/AuthFailure.*credentials from/);
    expect(run.stderr).toContain("credentials from");
  });
});

describe("colour and terminals", () => {
  it("NO_COLOR counts only when non-empty; FORCE_COLOR forces colour; TERM=dumb gets no cursor movement", async () => {
    const sim = await simulator({ scenario: "pass" });
    const colored = (text: string) => text.includes("\u001b[32m");
    const emptyNoColor = await runCaptured(wait(sim, PASSING), { tty: true, env: { ...DEMO_ENV, NO_COLOR: "" } });
    expect(colored(emptyNoColor.stdout)).toBe(true);
    const noColor = await runCaptured(wait(sim, PASSING), { tty: true, env: { ...DEMO_ENV, NO_COLOR: "1" } });
    expect(colored(noColor.stdout)).toBe(false);
    const forced = await runCaptured(wait(sim, PASSING), { tty: false, env: { ...DEMO_ENV, FORCE_COLOR: "1" } });
    expect(colored(forced.stdout)).toBe(true);
    const dumb = await runCaptured(wait(sim, PASSING), { tty: true, env: { ...DEMO_ENV, TERM: "dumb" } });
    expect(dumb.stderr).not.toContain("\u001b[1A");
    const smart = await runCaptured(wait(sim, PASSING), { tty: true, env: { ...DEMO_ENV, TERM: "xterm" } });
    expect(smart.stderr).toContain("\u001b[1A");
  });
});

describe("help and commands", () => {
  it("wait --help and demo --help end with examples; a mistyped command suggests the right one", async () => {
    for (const command of ["wait", "demo"]) {
      const help = await runCaptured([command, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/Examples:[\s\S]*dts-gate [a-z]+/);
      // Wrapped to the terminal (100 columns when it is not one), however it is asked for.
      for (const shown of [help, await runCaptured(["help", command]), await runCaptured([command, "-h"])])
        expect(Math.max(...shown.stdout.split("\n").map((line) => [...line].length))).toBeLessThanOrEqual(100);
    }
    const typo = await runCaptured(["wiat", PASSING]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("Did you mean wait?");
  });

  it("demo takes wait's output options: one JSON document, a JUnit file, --fail-on-warning closing the gate", async () => {
    const file = join(scratch(), "demo.xml");
    const options = ["--output", "json", "--junit", file, "--fail-on-warning", "--interval", "0.1", "--verbose"];
    const argv = ["demo", "--step-ms", "5", ...options];
    const run = await runCaptured(argv);
    expect(run.code).toBe(1);
    const document = JSON.parse(run.stdout);
    expect(document).toMatchObject({ passed: false, jobs: [{ jobId: PASSING, outcome: "pass" }] });
    expect(document.reason).toContain("warning");
    expect(readFileSync(file, "utf8")).toMatch(/<testcase name="verdict"[^>]*>\s*<failure/);
    // The command line it ran says so, and --verbose shows the requests.
    expect(run.stderr).toContain(
      `--interval 0.1 --timeout 15s --output json --fail-on-warning --junit ${file} --verbose`,
    );
    expect(run.stderr).toContain("DescribeMigrationCheckJob");
  });

  it("demo takes --timeout: a stuck check ends with exit 3", async () => {
    const run = await runCaptured(["demo", "--scenario", "stuck", "--timeout", "0.2s"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("--timeout 0.2s");
  });
});

describe("--profile", () => {
  it("reads the named profile of ~/.tencentcloud/credentials and says where the credentials came from", async () => {
    const sim = await simulator({ scenario: "pass" });
    const home = scratch();
    mkdirSync(join(home, ".tencentcloud"));
    writeFileSync(
      join(home, ".tencentcloud", "credentials"),
      `[default]\nsecret_id = AKIDwrong000000000000000000000000000\nsecret_key = wrong\n\n[ci]\nsecret_id = ${DEMO_ENV.TENCENTCLOUD_SECRET_ID}\nsecret_key = ${DEMO_ENV.TENCENTCLOUD_SECRET_KEY}\n`,
    );
    const run = await runCaptured([...wait(sim, PASSING), "--profile", "ci"], { env: {}, homeDir: home });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/credentials from .*credentials.*ci/);
    const viaEnv = await runCaptured(wait(sim, PASSING), { env: { TCCLI_PROFILE: "ci" }, homeDir: home });
    expect(viaEnv.code).toBe(0);
  });

  it("a profile that is not there is exit 2, naming the files looked at", async () => {
    const sim = await simulator({ scenario: "pass" });
    const run = await runCaptured([...wait(sim, PASSING), "--profile", "nightly", "--output", "json"], { env: {} });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("nightly");
    expect(run.stderr).toContain(".tencentcloud/credentials");
    expect(JSON.parse(run.stdout).error.code).toBe("UsageError");
  });

  it("takes the region of tccli's NAME.configure when neither --region nor TENCENTCLOUD_REGION says", async () => {
    const sim = await simulator({ scenario: "pass", expectRegion: "ap-chengdu" });
    const home = scratch();
    mkdirSync(join(home, ".tccli"));
    writeFileSync(join(home, ".tccli", "ci.configure"), JSON.stringify({ _sys_param: { region: "ap-chengdu" } }));
    // A profile named explicitly is used alone: its credentials are tccli's too.
    const keys = { secretId: DEMO_ENV.TENCENTCLOUD_SECRET_ID, secretKey: DEMO_ENV.TENCENTCLOUD_SECRET_KEY };
    writeFileSync(join(home, ".tccli", "ci.credential"), JSON.stringify(keys));
    const run = await runCaptured([...wait(sim, PASSING), "--profile", "ci"], { homeDir: home });
    expect(run.code).toBe(0);
    const without = await runCaptured(wait(sim, PASSING), { homeDir: home });
    expect(without.code).toBe(4);
  });
});
