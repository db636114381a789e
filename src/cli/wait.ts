import { type RunConfig, runWithRealClock } from "../app/run.js";
import { findRunCredentials, type RunCredentials } from "../app/run-credentials.js";
import { systemClock } from "../core/clock.js";
import { describeUnexpected, failedRun, jobErrorOf, unexpectedFailure } from "../core/job-record.js";
import { clean } from "../core/text.js";
import type { GateResult } from "../core/types.js";
import { EXIT_CODES, exitCodeOfSignal } from "../core/verdict.js";
import { renderJunit } from "../output/junit.js";
import { createProgress } from "../output/progress.js";
import { renderFailures, renderReport, toJsonDocument, usageErrorDocument } from "../output/report.js";
import { environmentSecrets, redact, redactDeep, type Secrets, safeWriter } from "../output/safe-output.js";
import { logSafeJson } from "../output/safe-text.js";
import { writeFileSafely } from "../output/write-file.js";
import { resolveRegion } from "../tencent/credential-chain.js";
import type { Credentials } from "../tencent/credentials.js";
import { ApiError, ConfigError } from "../tencent/errors.js";
import type { CliIO, StopSignal } from "./io.js";

export interface WaitConfig extends Omit<RunConfig, "credentials" | "budgetKey" | "credentialSource"> {
  readonly output: "text" | "json";
  readonly verbose: boolean;
  /** `--quiet`: only the verdict line and the failures. */
  readonly quiet?: boolean;
  /** `--profile NAME` of the profile files (else TCCLI_PROFILE, else default). */
  readonly profile?: string;
  /** `--junit FILE`: written whenever the gate ran (any exit but 2). */
  readonly junitPath?: string;
  /** Set by `demo`; `wait` resolves them from the environment and profiles. */
  readonly credentials?: Credentials;
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
  let found: RunCredentials;
  let region = config.region;
  try {
    const sources = {
      env: io.env,
      proxyEnv: io.env,
      ...(io.homeDir ? { homeDir: io.homeDir } : {}),
      ...(config.profile ? { profile: config.profile } : {}),
    };
    region ??= await resolveRegion(sources);
    const demo = config.credentials ? { credentials: config.credentials, source: "the demo pair" } : undefined;
    found = await findRunCredentials({ ...sources, ...(region ? { region } : {}) }, demo);
  } catch (error) {
    const known = environmentSecrets(io.env);
    if (error instanceof ConfigError) return usageFailure(config, io, error.message, known);
    // STS refused or could not be reached: nothing was asked of DTS, but the run cannot go on.
    if (!(error instanceof ApiError)) throw error;
    return finish(config, io, failedRun(config.jobIds, jobErrorOf(error)), () => known);
  }
  // Temporary credentials change as they are renewed: every line is redacted of all seen so far.
  const secrets = () => found.credentials.secrets();
  const { stderr } = writersFor(io, secrets);

  const interrupt = new AbortController();
  let stopSignal: StopSignal | undefined;
  const unsubscribe = io.onSignal((signal) => {
    stopSignal ??= signal;
    interrupt.abort();
  });

  if (!config.quiet) stderr(`credentials from ${found.credentialSource}\n`);
  const live = !config.quiet && useLiveLines(io.env, io.stderr, config.output);
  const progress = createProgress({
    write: config.quiet ? () => {} : stderr,
    size: () => io.stderr,
    failOnWarning: config.failOnWarning,
    live,
    style: { color: useColor(io.env, io.stderr) },
    now: systemClock.now,
    verbose: config.verbose,
  });
  // On a terminal the live lines keep time between polls.
  const ticker = live ? setInterval(() => progress.tick(), 1000) : undefined;
  ticker?.unref();
  let result: GateResult;
  try {
    result = await runWithRealClock(
      { ...config, ...found, ...(region ? { region } : {}), proxyEnv: io.env },
      {
        interrupt: interrupt.signal,
        onEvent: progress.onEvent,
        // The client builds a redacted copy of every exchange only for --verbose.
        ...(config.verbose ? { onTrace: progress.onTrace } : {}),
        onNotice: (text) => stderr(`${clean(text)}\n`),
      },
    );
  } catch (error) {
    // Found only as the run starts (an unreachable --redis-url): still before any request.
    if (error instanceof ConfigError) {
      progress.finish();
      return usageFailure(config, io, error.message, secrets);
    }
    // The last line of defence: whatever failed, the report is still written (exit 4).
    result = unexpectedFailure(config.jobIds, error);
  } finally {
    clearInterval(ticker);
    unsubscribe();
    await found.stop();
  }
  progress.finish();
  const code = await finish(config, io, result, secrets);
  return stopSignal ? exitCodeOfSignal(stopSignal) : code;
}

/** The JUnit file (when asked for) and the report of a run that ran; its exit code. */
async function finish(config: WaitConfig, io: CliIO, result: GateResult, secrets: () => readonly string[]) {
  const writers = writersFor(io, secrets);
  // API text was cleaned when it was read: secrets are redacted from it as it will be shown.
  const shown = redactDeep(result, (text) => redact(text, secrets()));
  const written = config.junitPath === undefined || (await writeJunit(config.junitPath, shown, writers.stderr));
  writeReport(config, io, shown, writers);
  // A report the pipeline expects and cannot find must not pass silently.
  return !written && result.exitCode === EXIT_CODES.open ? EXIT_CODES.error : result.exitCode;
}

/** Writes the JUnit report whole, or says why not; true when written. */
async function writeJunit(path: string, result: GateResult, stderr: (text: string) => void): Promise<boolean> {
  const outcome = await writeFileSafely(path, () => renderJunit(result));
  if (!outcome.written)
    stderr(`dts-gate: cannot write the JUnit report ${path}: ${describeUnexpected(outcome.error)}\n`);
  return outcome.written;
}

/** Exit 2: the message on stderr and, for --output json, the contract's one document on stdout. */
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

/** The report (or the JSON document) on stdout, the reason on stderr after JSON; the exit code. */
function writeReport(config: WaitConfig, io: CliIO, result: GateResult, writers: Writers): number {
  const { stdout, stderr } = writers;
  if (config.output === "json") {
    stdout(`${logSafeJson(toJsonDocument(result), 2)}\n`);
    stderr(`${result.reason}\n`);
  } else {
    const style = { color: useColor(io.env, io.stdout) };
    stdout(config.quiet ? renderFailures(result, style) : `\n${renderReport(result, style)}`);
  }
  return result.exitCode;
}
