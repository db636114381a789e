import yargs from "yargs";
import packageJson from "../../package.json" with { type: "json" };
import { EXIT_CODES } from "../core/verdict.js";
import { usageErrorDocument } from "../output/report.js";
import { environmentSecrets, safeWriter } from "../output/safe-output.js";
import { logSafeJson } from "../output/safe-text.js";
import { ConfigError } from "../tencent/errors.js";
import { asksForJson, secretsOfArgv, spellBooleans } from "./argv.js";
import { demoOptions, toDemoOptions } from "./demo-options.js";
import {
  asksForHelp,
  COMMAND_NAMES,
  commandOf,
  helpCommandAsOption,
  helpHint,
  nearestName,
  optionNamesTyped,
} from "./help.js";
import type { CliIO } from "./io.js";
import { simulateOptions } from "./simulate-options.js";
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
  // yargs renders a command's whole help after running it, in case it must be shown: laid out
  // without wrapping that costs less, and only --help shows it.
  const width = asksForHelp(argv) ? Math.min(110, io.stdout.columns ?? 100) : null;
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
    .command("demo", "run `wait` against the embedded simulator: no account needed", demoOptions, (args) => {
      nothingAfterDashes(args);
      const demo = toDemoOptions(args);
      setRun(async () => (await load()).runDemo(demo, io));
    })
    .command("help [command]", "show the options of a command (as dts-gate COMMAND --help)")
    .completion("completion", "print a bash or zsh completion script: dts-gate completion >> ~/.bashrc")
    .demandCommand(1, "name a command: wait, simulate, demo or completion")
    .recommendCommands()
    .strict()
    .help()
    .alias("help", "h")
    .version(packageJson.version)
    .wrap(width)
    .exitProcess(false)
    .fail((message, error) => {
      throw error instanceof ConfigError ? error : new UsageError(message ?? error?.message ?? "invalid usage");
    });
}

/** The option of yargs' completion: the shell's completion script calls `dts-gate --get-yargs-completions WORD...`. */
const COMPLETION_REQUEST = "--get-yargs-completions";

/** What yargs prints for this command line (help, version, completions), and the command it picked. */
async function parse(argv: readonly string[], io: CliIO, loadCommands: () => Promise<Commands>) {
  let run: (() => Promise<number>) | undefined;
  let shown = "";
  // A partial word being completed is no command line to check.
  const spelt = argv.includes(COMPLETION_REQUEST) ? [...argv] : spellBooleans(argv);
  const parser = buildParser(
    spelt,
    io,
    (command) => {
      run = command;
    },
    loadCommands,
  );
  // With a callback, yargs hands over what it prints (--help, --version, completions) instead of
  // writing it to process.stdout itself: all output goes through `io`. It may call back more than
  // once (completion parses again inside), so every part is kept.
  await parser.parseAsync(spelt, {}, (_error, _args, output) => {
    shown += output;
  });
  return { shown, run };
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
  const asHelp = helpCommandAsOption(argv);
  const named = asHelp?.[0];
  if (named !== undefined && named !== "--help" && !(COMMAND_NAMES as readonly string[]).includes(named)) {
    const near = nearestName(named, COMMAND_NAMES);
    return usageError(`no command ${JSON.stringify(named)}${near ? ` (did you mean ${near}?)` : ""}`, argv, io);
  }
  let parsed: Awaited<ReturnType<typeof parse>>;
  try {
    parsed = await parse(asHelp ?? argv, io, loadCommands);
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof UsageError)) throw error;
    return usageError(`${error.message}${await optionSuggestions(argv, io)}`, argv, io);
  }
  if (parsed.shown !== "") io.stdout.write(`${parsed.shown}\n`);
  return parsed.run ? parsed.run() : EXIT_CODES.open;
}

/**
 * " (did you mean --timeout?)" for each option typed that the command does not know and that is
 * near one it does; the command's options are those yargs' completion offers.
 */
async function optionSuggestions(argv: readonly string[], io: CliIO): Promise<string> {
  const command = commandOf(argv);
  const completions = await parse([COMPLETION_REQUEST, ...(command ? [command] : []), "--"], io, async () => {
    throw new Error("completion runs no command");
  });
  // zsh and fish completions carry a description after ":" or a tab.
  const known = completions.shown
    .split("\n")
    .filter((line) => line.startsWith("--"))
    .map((line) => line.slice(2).split(/[:\t]/, 1)[0] ?? "");
  const unknown = optionNamesTyped(argv).filter(
    (name) => !known.includes(name) && !(name.startsWith("no-") && known.includes(name.slice(3))),
  );
  return unknown
    .map((name) => nearestName(name, known))
    .filter((near) => near !== undefined)
    .map((near) => ` (did you mean --${near}?)`)
    .join("");
}

/** Exit 2: the message on stderr, and with `--output json` the one document on stdout. */
function usageError(message: string, argv: readonly string[], io: CliIO): number {
  const secrets = [...secretsOfArgv(argv), ...environmentSecrets(io.env)];
  const hint = helpHint(commandOf(argv));
  safeWriter((text) => io.stderr.write(text), secrets)(`dts-gate: ${message}\n${hint}\n`);
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
