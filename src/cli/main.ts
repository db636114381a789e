import yargs from "yargs";
import packageJson from "../../package.json" with { type: "json" };
import { parseDuration } from "../app/duration.js";
import { EXIT_CODES } from "../core/verdict.js";
import { usageErrorDocument } from "../output/report.js";
import { environmentSecrets, safeWriter } from "../output/safe-output.js";
import { logSafeJson } from "../output/safe-text.js";
import { ConfigError } from "../tencent/errors.js";
import { asksForJson, secretsOfArgv, spellBooleans } from "./argv.js";
import type { CliIO } from "./io.js";
import { scenarioOption, simulateOptions } from "./simulate-options.js";
import { toWaitConfig, type WaitArgs, waitOptions } from "./wait-options.js";

export { processIO } from "./io.js";

/** What yargs reports (unknown option, missing value, no command). */
class UsageError extends Error {}

/** The commands' implementations (undici, bottleneck, p-retry, the simulator), loaded on demand. */
export type Commands = typeof import("./commands.js");

/** Strict: no camelCase twins, no `a.b` objects, and what follows `--` apart (job ids). */
const PARSER_CONFIGURATION = {
  "camel-case-expansion": false,
  "dot-notation": false,
  "populate--": true,
} as const;

/** Only `wait` takes words after `--` (job ids). */
function nothingAfterDashes(args: { readonly [name: string]: unknown }): void {
  const rest = Array.isArray(args["--"]) ? args["--"] : [];
  if (rest.length > 0) throw new UsageError(`unexpected arguments after --: ${rest.map(String).join(" ")}`);
}

function buildParser(
  argv: readonly string[],
  io: CliIO,
  setRun: (run: () => Promise<number>) => void,
  load: () => Promise<Commands>,
) {
  return yargs([...argv])
    .parserConfiguration(PARSER_CONFIGURATION)
    .scriptName("dts-gate")
    .usage("$0 <command> [options]\n\nGate a pipeline on the Tencent Cloud DTS pre-migration check.")
    .command(
      "wait [jobIds..]",
      "wait for the migration checks of these jobs and exit with the verdict",
      (command) =>
        waitOptions(command)
          .positional("jobIds", { type: "string", array: true, describe: "job ids, as dts-1ewjspuw (also after --)" })
          .example([
            ["$0 wait dts-1ewjspuw", "wait for one check; exit 0 only if it passed"],
            ["$0 wait dts-1ewjspuw dts-2abcdefg --timeout 30m --junit report.xml", "two jobs, a JUnit report"],
            ["$0 wait dts-1ewjspuw --create-check --start", "re-run the check, then start the migration"],
            ["$0 wait dts-1ewjspuw --output json > result.json", "one JSON document for machines"],
          ])
          .epilog(
            "Booleans also take =true/false/yes/no/on/off/1/0.\nCredentials, the first source that has them: TENCENTCLOUD_SECRET_ID + TENCENTCLOUD_SECRET_KEY (+ TENCENTCLOUD_SESSION_TOKEN); TKE web identity (TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN); the profile files (--profile); the CVM instance role. TENCENTCLOUD_ROLE_ARN chains through AssumeRole.\nExit codes: 0 passed, 1 gate closed, 2 usage, 3 timeout, 4 API error, 130/143 interrupted.",
          ),
      (args) => {
        const config = toWaitConfig(args as unknown as WaitArgs, io.env);
        setRun(async () => (await load()).runWait(config, io));
      },
    )
    .command(
      "simulate",
      "serve a local stand-in for dts.tencentcloudapi.com until SIGINT/SIGTERM",
      simulateOptions,
      (args) => {
        nothingAfterDashes(args);
        setRun(async () => (await load()).runSimulate(args, io));
      },
    )
    .command(
      "demo",
      "run `wait` against the embedded simulator: no account needed",
      (command) =>
        command
          .option("scenario", scenarioOption)
          .option("timeout", {
            type: "string",
            requiresArg: true,
            default: "15s",
            describe: "give up after this long (seconds, or 30s, 5m)",
          })
          .option("keyless", {
            type: "boolean",
            default: false,
            describe: "no keys: a web identity token exchanged with the simulated STS, as in a TKE pod",
          })
          .example([
            ["$0 demo", "a check that passes with a warning: exit 0"],
            ["$0 demo --keyless", "the same with temporary credentials from STS AssumeRoleWithWebIdentity"],
            ["$0 demo --scenario not-pass", "a check that does not pass: exit 1"],
            ["$0 demo --scenario stuck --timeout 5s", "a check that never ends: exit 3 after 5 s"],
          ]),
      (args) => {
        nothingAfterDashes(args);
        const timeoutMs = parseDuration("--timeout", String(args.timeout), { allowZero: true });
        const demo = { scenario: args.scenario, timeoutMs, keyless: args.keyless === true };
        setRun(async () => (await load()).runDemo(demo, io));
      },
    )
    .demandCommand(1, "name a command: wait, simulate or demo")
    .recommendCommands()
    .strict()
    .help()
    .alias("help", "h")
    .version(packageJson.version)
    .wrap(Math.min(110, io.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      throw error instanceof ConfigError ? error : new UsageError(message ?? error?.message ?? "invalid usage");
    });
}

/**
 * Runs the command line; resolves to the exit code, never throws for what the command line holds.
 * `loadCommands` is called only once a command runs: the entry (src/cli/index.ts) knows where the
 * commands' file is.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIO,
  loadCommands: () => Promise<Commands>,
): Promise<number> {
  let run: (() => Promise<number>) | undefined;
  let shown = "";
  try {
    const spelt = spellBooleans(argv);
    const parser = buildParser(
      spelt,
      io,
      (command) => {
        run = command;
      },
      loadCommands,
    );
    // With a callback, yargs hands over what --help and --version print instead of writing it to
    // process.stdout itself: all output goes through `io`.
    await parser.parseAsync(spelt, {}, (_error, _args, output) => {
      shown = output;
    });
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof UsageError)) throw error;
    return usageError(error.message, argv, io);
  }
  if (shown !== "") io.stdout.write(`${shown}\n`);
  return run ? run() : EXIT_CODES.open;
}

/** Exit 2: the message on stderr, and with `--output json` the one document on stdout. */
function usageError(message: string, argv: readonly string[], io: CliIO): number {
  const secrets = [...secretsOfArgv(argv), ...environmentSecrets(io.env)];
  safeWriter((text) => io.stderr.write(text), secrets)(`dts-gate: ${message}\nRun dts-gate --help for the options.\n`);
  if (asksForJson(argv))
    safeWriter((text) => io.stdout.write(text), secrets)(`${logSafeJson(usageErrorDocument(message), 2)}\n`);
  return EXIT_CODES.usage;
}

/**
 * A failure runCli could not turn into a result (a bug, not a verdict): exit 4, the message on
 * stderr and, when `--output json` was asked for, still exactly one JSON document on stdout.
 */
export function reportUnexpected(error: unknown, argv: readonly string[], io: CliIO): number {
  const message = `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  const secrets = [...secretsOfArgv(argv), ...environmentSecrets(io.env)];
  if (asksForJson(argv)) {
    const document = { ...usageErrorDocument(message), error: { code: "UnexpectedError", message } };
    safeWriter((text) => io.stdout.write(text), secrets)(`${logSafeJson(document, 2)}\n`);
  }
  safeWriter((text) => io.stderr.write(text), secrets)(`dts-gate: ${message}\n`);
  return EXIT_CODES.error;
}
