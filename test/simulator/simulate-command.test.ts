import { describe, expect, it } from "vitest";
import { runSimulate, simulatorOptions } from "../../src/cli/simulate.js";
import { DEMO_SECRET_ID, DEMO_SECRET_KEY } from "../../src/simulator/index.js";
import { capturingIO } from "../helpers/cli.js";
import { errorCode, post, simulateArgsOf, until } from "./helpers.js";

// `dts-gate simulate`: --migrate-ms, --seed, sync ids and the new scenarios in --job, and the
// credentials it accepts printed beside the listening line.

describe("simulate's options", () => {
  it("takes --migrate-ms, --seed, and --job with sync ids and the lifecycle scenarios", async () => {
    const argv = ["--migrate-ms", "2500", "--seed", "7", "--job", "sync-1ewjspuw=paused"];
    const options = simulatorOptions(await simulateArgsOf([...argv, "--job", "dts-1ewjspuw=migrate-failed,migrate"]));
    expect(options).toMatchObject({
      migrateMs: 2500,
      seed: 7,
      jobs: { "sync-1ewjspuw": ["paused"], "dts-1ewjspuw": ["migrate-failed", "migrate"] },
    });
    const plain = simulatorOptions(await simulateArgsOf(["--scenario", "lag-stuck"]));
    expect(plain).toMatchObject({ migrateMs: 5000, scenario: "lag-stuck" });
    expect("seed" in plain).toBe(false);
  });

  it("takes the last value of a repeated option, as wait and demo do", async () => {
    const argv = ["--step-ms", "1", "--step-ms", "2", "--scenario", "pass", "--scenario", "stuck", "--rate", "5"];
    const options = simulatorOptions(await simulateArgsOf([...argv, "--rate", "7", "--port", "0", "--port", "0"]));
    expect(options).toMatchObject({ stepMs: 2, scenario: "stuck", rate: 7 });
  });

  it.each([
    [["--migrate-ms", "soon"], '--migrate-ms must be a whole number from 0 to 86400000, not "soon"'],
    [["--seed", "-3"], '--seed must be a whole number from 0 to 4294967295, not "-3"'],
    [["--job", "sync-BAD=pass"], '"sync-BAD" is not a job id (as dts-1ewjspuw or sync-1ewjspuw)'],
    [["--job", "dts-1ewjspuw=sideways"], "scenario one of pass, warning, not-pass, failed, stuck, flaky, migrate,"],
  ])("refuses %j, quoting it", async (argv, message) => {
    const args = await simulateArgsOf(argv);
    expect(() => simulatorOptions(args)).toThrow(message);
  });
});

/** Runs `simulate` with these options until its listening line, then stops it; what it wrote, and its answers. */
async function listen(argv: readonly string[], probe: (url: string) => Promise<unknown>) {
  const captured = capturingIO();
  const args = await simulateArgsOf(["--port", "0", ...argv]);
  const running = runSimulate(args, captured.io);
  await until(() => captured.stdout().includes("\n"));
  const url = /^listening on (\S+)\n$/.exec(captured.stdout())?.[1] ?? "";
  const probed = await probe(url);
  captured.raise("SIGTERM");
  expect(await running).toBe(0);
  return { stdout: captured.stdout(), stderr: captured.stderr(), probed };
}

describe("simulate says which credentials it accepts", () => {
  it("prints the demo pair on stderr, stdout keeping exactly the listening line", async () => {
    const { stdout, stderr, probed } = await listen([], (url) => errorCode(url));
    expect(stdout).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    expect(stderr).toBe(
      `accepts TENCENTCLOUD_SECRET_ID=${DEMO_SECRET_ID} TENCENTCLOUD_SECRET_KEY=${DEMO_SECRET_KEY} (the public demo pair)\n`,
    );
    expect(probed).toBeUndefined();
  });

  it("prints the pair it was given, which is the one it accepts", async () => {
    const pair = { secretId: "AKIDrehearsal000000000000000000000001", secretKey: "rehearsalKey0000000000000000001" };
    const { stderr, probed } = await listen(["--secret-id", pair.secretId, "--secret-key", pair.secretKey], (url) =>
      post(url, pair),
    );
    expect(stderr).toBe(
      `accepts TENCENTCLOUD_SECRET_ID=${pair.secretId} TENCENTCLOUD_SECRET_KEY=${pair.secretKey} (given by --secret-id and --secret-key)\n`,
    );
    expect((probed as { json: { Response: { Status: string } } }).json.Response.Status).toBe("running");
  });
});
