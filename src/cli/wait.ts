import { systemClock } from "../gate/clock.js";
import { unexpectedFailure } from "../gate/job-record.js";
import { createProgress } from "../gate/progress.js";
import { renderReport, toJsonDocument, usageErrorDocument } from "../gate/report.js";
import { type RunConfig, runWithRealClock } from "../gate/run.js";
import { logSafeJson } from "../gate/safe-text.js";
import type { GateResult } from "../gate/types.js";
import { EXIT_CODES, exitCodeOfSignal } from "../gate/verdict.js";
import { redact, redactDeep, safeWriter } from "../shared/safe-output.js";
import { type Credentials, resolveCredentials } from "../tencent/credentials.js";
import { isConfigError } from "../tencent/errors.js";
import type { CliIO, StopSignal } from "./io.js";

export interface WaitConfig extends Omit<RunConfig, "credentials"> {
  readonly output: "text" | "json";
  readonly verbose: boolean;
  /** Set by `demo`; `wait` resolves them from the environment and profiles. */
  readonly credentials?: Credentials;
}

function useColor(io: CliIO, stream: { readonly isTTY?: boolean }): boolean {
  return stream.isTTY === true && io.env.NO_COLOR === undefined && io.env.TERM !== "dumb";
}

/** `dts-gate wait`: the gate. Returns the exit code; never calls process.exit. */
export async function runWait(config: WaitConfig, io: CliIO): Promise<number> {
  let credentials: Credentials;
  let credentialSource: string;
  try {
    const resolved = config.credentials
      ? { credentials: config.credentials, source: "the demo pair" }
      : await resolveCredentials({ env: io.env, ...(io.homeDir ? { homeDir: io.homeDir } : {}) });
    credentials = resolved.credentials;
    credentialSource = resolved.source;
  } catch (error) {
    if (isConfigError(error)) return usageFailure(config, io, error.message);
    throw error;
  }
  const secrets = credentials.secrets();
  const stdout = safeWriter((text) => io.stdout.write(text), secrets);
  const stderr = safeWriter((text) => io.stderr.write(text), secrets);

  const interrupt = new AbortController();
  let stopSignal: StopSignal | undefined;
  const unsubscribe = io.onSignal((signal) => {
    stopSignal ??= signal;
    interrupt.abort();
  });

  stderr(`credentials from ${credentialSource}\n`);
  const progress = createProgress({
    write: stderr,
    live: config.output === "text" && io.stderr.isTTY === true,
    style: { color: useColor(io, io.stderr) },
    now: systemClock.now,
    verbose: config.verbose,
  });
  let result: GateResult;
  try {
    result = await runWithRealClock(
      { ...config, credentials, credentialSource, proxyEnv: io.env },
      {
        interrupt: interrupt.signal,
        onEvent: progress.onEvent,
        // The client builds a redacted copy of every exchange only for --verbose.
        ...(config.verbose ? { onTrace: progress.onTrace } : {}),
        onNotice: (text) => stderr(`${text}\n`),
      },
    );
  } catch (error) {
    // Found only as the run starts (an unreachable --redis-url): still before any request.
    if (isConfigError(error)) {
      progress.finish();
      return usageFailure(config, io, error.message, secrets);
    }
    // The last line of defence: whatever failed, the report is still written (exit 4).
    result = unexpectedFailure(config.jobIds, error);
  } finally {
    unsubscribe();
  }
  progress.finish();
  // API text was cleaned when it was read: secrets are redacted from it as it will be shown.
  writeReport(
    config,
    io,
    redactDeep(result, (text) => redact(text, secrets)),
    { stdout, stderr },
  );
  return stopSignal ? exitCodeOfSignal(stopSignal) : result.exitCode;
}

/** Exit 2: the message on stderr and, for --output json, the contract's one document on stdout. */
function usageFailure(config: WaitConfig, io: CliIO, message: string, secrets: readonly string[] = []): number {
  const stderr = safeWriter((text) => io.stderr.write(text), secrets);
  if (config.output === "json") {
    safeWriter((text) => io.stdout.write(text), secrets)(`${logSafeJson(usageErrorDocument(message), 2)}\n`);
  }
  stderr(`dts-gate: ${message}\n`);
  return EXIT_CODES.usage;
}

/** The report (or the JSON document) on stdout, the reason on stderr after JSON. */
function writeReport(
  config: WaitConfig,
  io: CliIO,
  result: GateResult,
  writers: { stdout: (text: string) => void; stderr: (text: string) => void },
) {
  const { stdout, stderr } = writers;
  if (config.output === "json") {
    stdout(`${logSafeJson(toJsonDocument(result), 2)}\n`);
    stderr(`${result.reason}\n`);
  } else {
    stdout(`\n${renderReport(result, { color: useColor(io, io.stdout) })}`);
  }
}
