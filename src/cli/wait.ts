import { type RunConfig, runWithRealClock } from "../app/run.js";
import { findRunCredentials } from "../app/run-credentials.js";
import { RunScope } from "../app/run-scope.js";
import { runWaitInScope } from "../app/wait-run.js";
import { systemClock } from "../core/clock.js";
import { describeUnexpected } from "../core/job-record.js";
import { clean } from "../core/text.js";
import type { GateResult } from "../core/types.js";
import { EXIT_CODES } from "../core/verdict.js";
import { createProgress } from "../output/progress.js";
import { renderFailures, renderReport, toJsonDocument, usageErrorDocument } from "../output/report.js";
import { environmentSecrets, redact, redactDeep, type Secrets, safeWriter } from "../output/safe-output.js";
import { logSafeJson } from "../output/safe-text.js";
import { writeFileSafely } from "../output/write-file.js";
import { resolveRegion } from "../tencent/credential-chain.js";
import type { Credentials } from "../tencent/credentials.js";
import type { CliIO } from "./io.js";

export interface WaitConfig extends Omit<RunConfig, "credentials" | "budgetKey" | "credentialSource"> {
  readonly output: "text" | "json";
  readonly verbose: boolean;
  /** `--profile NAME` of the profile files (else TCCLI_PROFILE, else default). */
  readonly profile?: string;
  /** `--junit FILE`: written whenever the gate ran (any exit but 2). */
  readonly junitPath?: string;
  /** Set by `demo`; `wait` resolves them from the environment and profiles. */
  readonly credentials?: Credentials;
  /** `--quiet`: only the verdict line and the failures. */
  readonly quiet?: boolean;
}

/**
 * Colour as the conventions say: FORCE_COLOR (non-empty, not 0 or false) forces it, NO_COLOR counts
 * only when non-empty (no-color.org), a dumb terminal gets none, else a terminal gets it.
 */
export function useColor(env: CliIO["env"], stream: { readonly isTTY?: boolean }): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "" && force !== "0" && force.toLowerCase() !== "false") return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return stream.isTTY === true && env.TERM !== "dumb";
}

/** Live lines move the cursor: only on a terminal that can, and only for the text report. */
export function useLiveLines(env: CliIO["env"], stream: { readonly isTTY?: boolean }, output: string): boolean {
  return output === "text" && stream.isTTY === true && env.TERM !== "dumb";
}

/** `dts-gate wait`: the gate. Returns the exit code; never calls process.exit. */
export async function runWait(config: WaitConfig, io: CliIO): Promise<number> {
  // Armed before anything else: a signal or the deadline at any moment still ends with every output.
  const scope = new RunScope({ timeoutMs: config.timeoutMs, onSignal: (handler) => io.onSignal(handler) });
  let secrets: () => readonly string[] = () => environmentSecrets(io.env);
  // Temporary credentials change as they are renewed: every line is redacted of all seen so far.
  const stderr = (text: string) => writersFor(io, secrets()).stderr(text);
  const live = !config.quiet && useLiveLines(io.env, io.stderr, config.output);
  const progress = createProgress({
    write: config.quiet ? () => {} : stderr,
    size: () => io.stderr,
    failOnWarning: config.failOnWarning,
    jobIds: config.jobIds,
    live,
    style: { color: useColor(io.env, io.stderr) },
    now: systemClock.now,
    verbose: config.verbose,
  });
  // On a terminal the live lines keep time between polls.
  const ticker = live ? setInterval(() => progress.tick(), 1000) : undefined;
  ticker?.unref();
  try {
    const sources = {
      env: io.env,
      proxyEnv: io.env,
      ...(io.homeDir ? { homeDir: io.homeDir } : {}),
      ...(config.profile ? { profile: config.profile } : {}),
    };
    let region = config.region;
    const ended = await runWaitInScope(
      {
        jobIds: config.jobIds,
        outputFiles: config.junitPath === undefined ? [] : [{ path: config.junitPath, what: "--junit" }],
        async findCredentials(signal) {
          region ??= await resolveRegion(sources);
          const demo = config.credentials ? { credentials: config.credentials, source: "the demo pair" } : undefined;
          return findRunCredentials({ ...sources, ...(region ? { region } : {}), signal }, demo);
        },
        onCredentials(found) {
          secrets = () => found.credentials.secrets();
          if (!config.quiet) stderr(`credentials from ${found.credentialSource}\n`);
        },
        configOf: (found) => ({ ...config, ...found, ...(region ? { region } : {}), proxyEnv: io.env }),
        run: runWithRealClock,
        hooks: {
          onEvent: progress.onEvent,
          // The client builds a redacted copy of every exchange only for --verbose.
          ...(config.verbose ? { onTrace: progress.onTrace } : {}),
          onNotice: (text) => stderr(`${clean(text)}\n`),
        },
        writeFiles: async (result) => {
          clearInterval(ticker);
          progress.finish();
          if (config.junitPath === undefined) return undefined;
          return writeJunit(config.junitPath, redactResult(result, secrets), stderr);
        },
      },
      scope,
    );
    clearInterval(ticker);
    progress.finish();
    if (ended.kind === "usage") return usageFailure(config, io, ended.message, secrets());
    writeReport(config, io, redactResult(ended.result, secrets), writersFor(io, secrets()));
    return ended.exitCode;
  } finally {
    clearInterval(ticker);
    scope.close();
  }
}

/** API text was cleaned when it was read: secrets are redacted from it as it will be shown. */
function redactResult(result: GateResult, secrets: () => readonly string[]): GateResult {
  return redactDeep(result, (text) => redact(text, secrets()));
}

/** Writes the JUnit report whole; resolves to why not, or undefined. */
async function writeJunit(
  path: string,
  result: GateResult,
  stderr: (text: string) => void,
): Promise<string | undefined> {
  // Only a run with --junit loads the XML writer (xmlbuilder2 and its DOM): every other run
  // would compile it for nothing.
  const { renderJunit } = await import("../output/junit.js");
  const outcome = await writeFileSafely(path, () => renderJunit(result));
  if (outcome.written) return undefined;
  const why = `cannot write the JUnit report ${path}: ${describeUnexpected(outcome.error)}`;
  stderr(`dts-gate: ${why}\n`);
  return why;
}

/** Exit 2: the message on stderr and, for --output json, the one JSON document on stdout. */
function usageFailure(config: WaitConfig, io: CliIO, message: string, secrets: Secrets = []): number {
  const { stdout, stderr } = writersFor(io, secrets);
  if (config.output === "json") stdout(`${logSafeJson(usageErrorDocument(message), 2)}\n`);
  stderr(`dts-gate: ${clean(message)}\n`);
  return EXIT_CODES.usage;
}

interface Writers {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

function writersFor(io: CliIO, secrets: Secrets): Writers {
  return {
    stdout: safeWriter((text) => io.stdout.write(text), secrets),
    stderr: safeWriter((text) => io.stderr.write(text), secrets),
  };
}

/** The report (or the JSON document) on stdout, the reason on stderr after JSON. */
function writeReport(config: WaitConfig, io: CliIO, result: GateResult, writers: Writers): void {
  const { stdout, stderr } = writers;
  if (config.output === "json") {
    stdout(`${logSafeJson(toJsonDocument(result), 2)}\n`);
    stderr(`${result.reason}\n`);
  } else {
    const style = { color: useColor(io.env, io.stdout) };
    stdout(config.quiet ? renderFailures(result, style) : `\n${renderReport(result, style)}`);
  }
}
