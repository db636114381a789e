import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULTS } from "../app/defaults.js";
import { DEMO_SECRET_ID, DEMO_SECRET_KEY, startSimulator } from "../simulator/index.js";
import { Credentials } from "../tencent/credentials.js";
import { DEMO_MIGRATE_MS, DEMO_STEP_MS, type DemoPlan, type DemoScenario, demoPlan } from "./demo-plan.js";
import type { CliIO } from "./io.js";
import { runWait, type WaitConfig } from "./wait.js";

export const DEMO_JOB_ID = "dts-1ewjspuw";
/** What `demo --keyless` plays: a TKE pod's projected token, trusted by the simulated STS. */
const DEMO_OIDC_TOKEN = "dts-gate-demo-oidc-token";
const DEMO_ROLE_ARN = "qcs::cam::uin/100000000001:roleName/dts-gate-demo";

/** The demo's own options, and those of `wait` that say how the run is polled and reported. */
export interface DemoOptions
  extends Pick<WaitConfig, "intervalMs" | "output" | "failOnWarning" | "verbose" | "junitPath"> {
  readonly scenario: DemoScenario;
  /** The simulator's pace, as `simulate --step-ms --migrate-ms`. */
  readonly stepMs: number;
  readonly migrateMs: number;
  readonly timeoutMs: number;
  /** No keys at all: a web identity token exchanged with the simulated STS for temporary credentials. */
  readonly keyless: boolean;
}

/** A word as a shell would need it: quoted only when it holds more than a plain path. */
function shellWord(word: string): string {
  return /^[\w./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The `wait` command line the demo runs, as the user would type it. */
function commandLine(options: DemoOptions, plan: DemoPlan, endpoint: string): string {
  const words = ["dts-gate", "wait", DEMO_JOB_ID, "--endpoint", endpoint];
  words.push("--interval", String(options.intervalMs / 1000), "--timeout", `${options.timeoutMs / 1000}s`);
  if (plan.createCheck) words.push("--create-check");
  if (plan.start) words.push("--start");
  if (plan.until !== "check") words.push("--until", plan.until, "--settle", `${plan.settleMs / 1000}s`);
  if (plan.compare) words.push("--compare");
  if (plan.complete) words.push("--complete");
  if (options.output !== "text") words.push("--output", options.output);
  if (options.failOnWarning) words.push("--fail-on-warning");
  if (options.junitPath !== undefined) words.push("--junit", shellWord(options.junitPath));
  if (options.verbose) words.push("--verbose");
  return words.join(" ");
}

/**
 * The simulator's scenario and, where it is not the demo's default, its pace: said in the first
 * line, as they are no options of the `wait` command line printed after it.
 */
function simulatorWords({ scenario, stepMs, migrateMs }: DemoOptions): string {
  const pace = [
    ...(stepMs === DEMO_STEP_MS ? [] : [`--step-ms ${stepMs}`]),
    ...(migrateMs === DEMO_MIGRATE_MS ? [] : [`--migrate-ms ${migrateMs}`]),
  ].join(" ");
  return pace === "" ? `scenario ${scenario}` : `scenario ${scenario}, ${pace}`;
}

/** `dts-gate demo`: the simulator in-process and a real `wait` against it. */
export async function runDemo(options: DemoOptions, io: CliIO): Promise<number> {
  const { scenario, keyless } = options;
  const plan = demoPlan(scenario, options.migrateMs);
  const simulator = await startSimulator({
    scenario: plan.simulatorScenario,
    stepMs: options.stepMs,
    migrateMs: options.migrateMs,
    oidcTokens: [DEMO_OIDC_TOKEN],
  });
  const scratch = keyless ? await mkdtemp(join(tmpdir(), "dts-gate-demo-")) : undefined;
  try {
    const config: WaitConfig = {
      jobIds: [DEMO_JOB_ID],
      endpoint: new URL(simulator.url),
      intervalMs: options.intervalMs,
      timeoutMs: options.timeoutMs,
      requestTimeoutMs: DEFAULTS.requestTimeoutSeconds * 1000,
      rate: DEFAULTS.rate,
      output: options.output,
      failOnWarning: options.failOnWarning,
      createCheck: plan.createCheck,
      start: plan.start,
      until: plan.until,
      complete: plan.complete,
      compare: plan.compare,
      settleMs: plan.settleMs,
      verbose: options.verbose,
      ...(options.junitPath === undefined ? {} : { junitPath: options.junitPath }),
      ...(keyless ? {} : { credentials: new Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY) }),
    };
    const command = commandLine(options, plan, simulator.url);
    if (!scratch) {
      io.stderr.write(
        `dts-gate demo: simulated DTS at ${simulator.url} (${simulatorWords(options)}, demo credentials)\n`,
      );
      io.stderr.write(`$ ${command}\n\n`);
      return await runWait(config, io);
    }
    // Keyless: nothing of the caller's credentials, only what a TKE pod is given.
    const tokenFile = join(scratch, "token");
    await writeFile(tokenFile, DEMO_OIDC_TOKEN);
    const env = {
      TKE_PROVIDER_ID: "dts-gate-demo-provider",
      TKE_ROLE_ARN: DEMO_ROLE_ARN,
      TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      TENCENTCLOUD_STS_ENDPOINT: simulator.url,
      ...(io.env.NO_COLOR === undefined ? {} : { NO_COLOR: io.env.NO_COLOR }),
      ...(io.env.TERM === undefined ? {} : { TERM: io.env.TERM }),
    };
    io.stderr.write(
      `dts-gate demo --keyless: simulated DTS and STS at ${simulator.url} (${simulatorWords(options)}); no keys anywhere:\n` +
        "the web identity token in TKE_WEB_IDENTITY_TOKEN_FILE is exchanged with STS AssumeRoleWithWebIdentity\n" +
        `for temporary credentials of ${DEMO_ROLE_ARN}, renewed before they expire.\n` +
        `$ ${Object.entries(env)
          .filter(([name]) => name.startsWith("TKE_") || name.startsWith("TENCENTCLOUD_"))
          .map(([name, value]) => `${name}=${value}`)
          .join(" ")} ${command}\n\n`,
    );
    return await runWait(config, { ...io, env, homeDir: scratch });
  } finally {
    await simulator.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
