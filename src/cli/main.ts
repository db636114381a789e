import yargs, { type Argv } from "yargs";
import packageJson from "../../package.json" with { type: "json" };
import { EXIT_CODES } from "../gate/verdict.js";
import { isConfigError } from "../tencent/errors.js";
import type { CliIO } from "./io.js";

export { processIO } from "./io.js";

import { DEFAULTS, parseEndpoint, parseJobIds, parseRate, parseRedisUrl, parseSeconds } from "./options.js";
import type { WaitConfig } from "./wait.js";

const SCENARIOS = ["pass", "warning", "not-pass", "failed", "stuck", "flaky"] as const;

function waitOptions<T>(parser: Argv<T>) {
  return parser
    .option("endpoint", {
      type: "string",
      default: DEFAULTS.endpoint,
      describe: "API endpoint (http:// only on loopback)",
    })
    .option("region", { type: "string", describe: "sent as X-TC-Region [default: $TENCENTCLOUD_REGION]" })
    .option("interval", {
      type: "number",
      default: DEFAULTS.intervalSeconds,
      describe: "seconds between two polls of a job",
    })
    .option("timeout", {
      type: "number",
      default: DEFAULTS.timeoutSeconds,
      describe: "give up after this many seconds; 0: one look",
    })
    .option("rate", { type: "number", default: DEFAULTS.rate, describe: "most requests per second of this process" })
    .option("output", {
      choices: ["text", "json"] as const,
      default: "text" as const,
      describe: "json: one document on stdout",
    })
    .option("fail-on-warning", {
      type: "boolean",
      default: false,
      describe: "a check that passes with warnings closes the gate",
    })
    .option("create-check", {
      type: "boolean",
      default: false,
      describe: "run CreateMigrateCheckJob first, then wait for that check",
    })
    .option("start", { type: "boolean", default: false, describe: "StartMigrateJob for every job once all passed" })
    .option("redis-url", { type: "string", describe: "share the --rate budget through this Redis" })
    .option("request-timeout", {
      type: "number",
      default: DEFAULTS.requestTimeoutSeconds,
      describe: "seconds one request may take",
    })
    .option("verbose", {
      type: "boolean",
      default: false,
      describe: "every request and response on stderr (secrets redacted)",
    })
    .coerce(SCALAR_WAIT_OPTIONS, lastValue);
}

const SCALAR_WAIT_OPTIONS = [
  "endpoint",
  "region",
  "interval",
  "timeout",
  "rate",
  "output",
  "redis-url",
  "request-timeout",
];

/** A repeated scalar option means "the last one wins", as in most tools, not an array. */
function lastValue(value: unknown): unknown {
  return Array.isArray(value) ? value.at(-1) : value;
}

type WaitArgs = Awaited<ReturnType<typeof waitOptions>["argv"]> & { jobIds?: (string | number)[] };

/** Checks every option before any request; throws ConfigError with what is wrong. */
export function toWaitConfig(args: WaitArgs, env: Readonly<Record<string, string | undefined>>): WaitConfig {
  const redisUrl = args["redis-url"] === undefined ? undefined : parseRedisUrl(args["redis-url"]);
  const region = (args.region ?? env.TENCENTCLOUD_REGION)?.trim();
  return {
    jobIds: parseJobIds((args.jobIds ?? []).map(String)),
    endpoint: parseEndpoint(args.endpoint),
    ...(region ? { region } : {}),
    intervalMs: parseSeconds("interval", args.interval, { allowZero: false }) * 1000,
    timeoutMs: parseSeconds("timeout", args.timeout, { allowZero: true }) * 1000,
    requestTimeoutMs: parseSeconds("request-timeout", args["request-timeout"], { allowZero: false }) * 1000,
    rate: parseRate(args.rate),
    output: args.output,
    failOnWarning: args["fail-on-warning"],
    createCheck: args["create-check"],
    start: args.start,
    verbose: args.verbose,
    ...(redisUrl ? { redisUrl } : {}),
  };
}

class UsageError extends Error {}

/** The commands' implementations (undici, bottleneck, p-retry, the simulator), loaded on demand. */
export type Commands = typeof import("./commands.js");

/**
 * Runs the command line; resolves to the exit code. `loadCommands` is called only once a command
 * runs: the entry (src/cli/index.ts) knows where the commands' file is.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIO,
  loadCommands: () => Promise<Commands>,
): Promise<number> {
  let run: (() => Promise<number>) | undefined;
  const parser = yargs([...argv])
    .scriptName("dts-gate")
    .usage("$0 <command> [options]\n\nGate a pipeline on the Tencent Cloud DTS pre-migration check.")
    .command(
      "wait <jobIds..>",
      "wait for the migration checks of these jobs and exit with the verdict",
      (command) =>
        waitOptions(command)
          .positional("jobIds", { type: "string", array: true, describe: "job ids, as dts-1ewjspuw" })
          .epilog(
            "Credentials: TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY (+ TENCENTCLOUD_SESSION_TOKEN), else ~/.tencentcloud/credentials or ~/.tccli/default.credential.\nExit codes: 0 passed, 1 gate closed, 2 usage, 3 timeout, 4 API error, 130/143 interrupted.",
          ),
      (args) => {
        const config = toWaitConfig(args as WaitArgs, io.env);
        run = async () => (await loadCommands()).runWait(config, io);
      },
    )
    .command(
      "simulate",
      "serve a local stand-in for dts.tencentcloudapi.com until SIGINT/SIGTERM",
      (command) =>
        command
          .option("port", { type: "number", default: 0, describe: "0 picks a free port" })
          .option("host", { type: "string", default: "127.0.0.1" })
          .option("scenario", { choices: SCENARIOS, default: "warning" as const, describe: "scenario of every job" })
          .option("job", {
            type: "string",
            array: true,
            describe: "ID=SCENARIO[,SCENARIO…]: this job's checks (others: ResourceNotFound)",
          })
          .option("step-ms", { type: "number", default: 300, describe: "how long each of the 13 check steps takes" })
          .option("secret-id", { type: "string", describe: "the only SecretId accepted [default: the demo pair]" })
          .option("secret-key", { type: "string", describe: "the only SecretKey accepted" })
          .option("rate", {
            type: "number",
            default: 20,
            describe: "per-action requests per second before RequestLimitExceeded",
          })
          .option("clock-offset", { type: "number", default: 0, describe: "seconds the simulator's clock runs ahead" })
          .option("fault", { type: "string", array: true, describe: "inject a fault: KIND[:JOB_ID][@AFTER][xCOUNT]" }),
      (args) => {
        run = async () => (await loadCommands()).runSimulate(args, io);
      },
    )
    .command(
      "demo",
      "run `wait` against the embedded simulator: no account needed",
      (command) => command.option("scenario", { choices: SCENARIOS, default: "warning" as const }),
      (args) => {
        run = async () => (await loadCommands()).runDemo(args.scenario, io);
      },
    )
    .demandCommand(1, "name a command: wait, simulate or demo")
    .strict()
    .help()
    .alias("help", "h")
    .version(packageJson.version)
    .wrap(Math.min(110, io.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      throw isConfigError(error) ? error : new UsageError(message ?? error?.message ?? "invalid usage");
    });

  let shown = "";
  try {
    // With a callback, yargs hands over what --help and --version print instead of writing it to
    // process.stdout itself: all output goes through `io`.
    await parser.parseAsync([...argv], {}, (_error, _args, output) => {
      shown = output;
    });
  } catch (error) {
    if (isConfigError(error) || error instanceof UsageError) {
      io.stderr.write(`dts-gate: ${error.message}\nRun dts-gate --help for the options.\n`);
      return EXIT_CODES.usage;
    }
    throw error;
  }
  if (shown !== "") io.stdout.write(`${shown}\n`);
  return run ? run() : EXIT_CODES.open;
}
