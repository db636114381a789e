import type { Argv } from "yargs";
import { parseDuration } from "../app/duration.js";
import { ConfigError } from "../tencent/errors.js";
import type { DemoOptions } from "./demo.js";
import {
  DEMO_MIGRATE_MS,
  DEMO_SCENARIOS,
  DEMO_SETTLE_MS,
  DEMO_STEP_MS,
  demoPlan,
  isDemoScenario,
} from "./demo-plan.js";
import { migrateMsOption, parseMigrateMs, parseStepMs, scenarioOption, stepMsOption } from "./simulate-options.js";
import { lastValue, reportOptions, toReportConfig, type WaitArgs } from "./wait-options.js";

/** The demo polls faster than a real wait: its simulated check takes a few seconds. */
const DEMO_INTERVAL_SECONDS = 0.5;

/** `demo`'s options: its own, and those of `wait` that say how the run is polled and reported. */
export function demoOptions<T>(parser: Argv<T>) {
  return reportOptions(parser, DEMO_INTERVAL_SECONDS)
    .option("scenario", { ...scenarioOption, choices: DEMO_SCENARIOS })
    .option("timeout", {
      type: "string",
      requiresArg: true,
      describe: "give up after this long (seconds, or 30s, 5m) [default: 30s for cutover, else 15s]",
    })
    .coerce("timeout", lastValue)
    .option("keyless", {
      type: "boolean",
      default: false,
      describe: "no keys: a web identity token exchanged with the simulated STS, as in a TKE pod",
    })
    .option("step-ms", { ...stepMsOption, default: String(DEMO_STEP_MS) })
    .option("migrate-ms", {
      ...migrateMsOption,
      default: String(DEMO_MIGRATE_MS),
      describe: `${migrateMsOption.describe}; the demo settles half as long, at most ${DEMO_SETTLE_MS / 1000} s`,
    })
    .coerce(["step-ms", "migrate-ms"], lastValue)
    .example([
      ["$0 demo", "a check that passes with a warning: exit 0"],
      ["$0 demo --keyless", "the same with temporary credentials from STS AssumeRoleWithWebIdentity"],
      ["$0 demo --scenario not-pass", "a check that does not pass: exit 1"],
      ["$0 demo --scenario stuck --timeout 5s", "a check that never ends: exit 3 after 5 s"],
      ["$0 demo --scenario cutover", "check, start, wait until ready, cut over, wait until done: exit 0"],
      ["$0 demo --scenario migrate-failed", "a migration that fails while loading: exit 1"],
      ["$0 demo --scenario cutover --step-ms 20 --migrate-ms 1000", "the same pipeline at a faster pace"],
      ["$0 demo --output json --junit demo.xml", "the JSON document and a JUnit report, as a pipeline gets them"],
    ]);
}

/** Checks demo's options before the simulator starts; throws ConfigError with what is wrong. */
export function toDemoOptions(args: WaitArgs): DemoOptions {
  const scenario = String(args.scenario);
  if (!isDemoScenario(scenario)) throw new ConfigError(`--scenario: no scenario ${JSON.stringify(scenario)}`);
  return {
    ...toReportConfig(args),
    scenario,
    stepMs: parseStepMs(String(args["step-ms"])),
    migrateMs: parseMigrateMs(String(args["migrate-ms"])),
    timeoutMs:
      args.timeout === undefined
        ? demoPlan(scenario).timeoutMs
        : parseDuration("--timeout", String(args.timeout), { allowZero: true }),
    keyless: args.keyless === true,
  };
}
