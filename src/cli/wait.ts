import { systemClock } from "../gate/clock.js";
import { createProgress } from "../gate/progress.js";
import { renderReport, toJsonDocument } from "../gate/report.js";
import { type RunConfig, runWithRealClock } from "../gate/run.js";
import { EXIT_CODES } from "../gate/verdict.js";
import { type Credentials, resolveCredentials } from "../tencent/credentials.js";
import { ConfigError } from "../tencent/errors.js";
import { type CliIO, type StopSignal, safeWriter } from "./io.js";

export interface WaitConfig extends Omit<RunConfig, "credentials"> {
  readonly output: "text" | "json";
  readonly verbose: boolean;
  /** Set by `demo`; `wait` resolves them from the environment and profiles. */
  readonly credentials?: Credentials;
}

function useColor(io: CliIO, stream: { readonly isTTY?: boolean }): boolean {
  return stream.isTTY === true && io.env.NO_COLOR === undefined && io.env.TERM !== "dumb";
}

/**
 * JSON whose strings cannot break a log line (U+0085, U+2028, U+2029 are line breaks to some
 * readers) nor hold "##[" (a legacy workflow command anywhere in a line): all escaped, same value.
 */
export function logSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 2)
    .replace(/[\u0085\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replaceAll("##[", "#\\u0023[");
}

/** `dts-gate wait`: the gate. Returns the exit code; never calls process.exit. */
export async function runWait(config: WaitConfig, io: CliIO): Promise<number> {
  let credentials: Credentials;
  try {
    credentials =
      config.credentials ??
      (await resolveCredentials({ env: io.env, ...(io.homeDir ? { homeDir: io.homeDir } : {}) })).credentials;
  } catch (error) {
    if (error instanceof ConfigError) {
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
      stdout(`${logSafeJson(toJsonDocument(result))}\n`);
      stderr(`${result.reason}\n`);
    } else {
      stdout(`\n${renderReport(result, { color: useColor(io, io.stdout) })}`);
    }
    if (stopSignal) return stopSignal === "SIGINT" ? EXIT_CODES.sigint : EXIT_CODES.sigterm;
    return result.exitCode;
  } catch (error) {
    // Found only as the run starts (an unreachable --redis-url): still before any request.
    if (!(error instanceof ConfigError)) throw error;
    progress.finish();
    stderr(`dts-gate: ${error.message}\n`);
    return EXIT_CODES.usage;
  } finally {
    unsubscribe();
  }
}
