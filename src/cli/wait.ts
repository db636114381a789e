import { systemClock } from "../gate/clock.js";
import { createProgress } from "../gate/progress.js";
import { renderReport, toJsonDocument } from "../gate/report.js";
import { type RunConfig, runWithRealClock } from "../gate/run.js";
import { logSafeJson } from "../gate/safe-text.js";
import { EXIT_CODES, exitCodeOfSignal } from "../gate/verdict.js";
import { safeWriter } from "../shared/safe-output.js";
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
  try {
    credentials =
      config.credentials ??
      (await resolveCredentials({ env: io.env, ...(io.homeDir ? { homeDir: io.homeDir } : {}) })).credentials;
  } catch (error) {
    if (isConfigError(error)) {
      io.stderr.write(`dts-gate: ${error.message}\n`);
      return EXIT_CODES.usage;
    }
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

  const progress = createProgress({
    write: stderr,
    live: config.output === "text" && io.stderr.isTTY === true,
    style: { color: useColor(io, io.stderr) },
    now: systemClock.now,
    verbose: config.verbose,
  });
  try {
    const result = await runWithRealClock(
      { ...config, credentials },
      {
        interrupt: interrupt.signal,
        onEvent: progress.onEvent,
        // The client builds a redacted copy of every exchange only for --verbose.
        ...(config.verbose ? { onTrace: progress.onTrace } : {}),
        onNotice: (text) => stderr(`${text}\n`),
      },
    );
    progress.finish();
    if (config.output === "json") {
      stdout(`${logSafeJson(toJsonDocument(result), 2)}\n`);
      stderr(`${result.reason}\n`);
    } else {
      stdout(`\n${renderReport(result, { color: useColor(io, io.stdout) })}`);
    }
    if (stopSignal) return exitCodeOfSignal(stopSignal);
    return result.exitCode;
  } catch (error) {
    // Found only as the run starts (an unreachable --redis-url): still before any request.
    if (!isConfigError(error)) throw error;
    progress.finish();
    stderr(`dts-gate: ${error.message}\n`);
    return EXIT_CODES.usage;
  } finally {
    unsubscribe();
  }
}
