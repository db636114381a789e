import { failedRun, JobRecord, jobErrorOf, unexpectedFailure } from "../core/job-record.js";
import { reasonFor } from "../core/reason.js";
import type { GateResult } from "../core/types.js";
import { EXIT_CODES, exitCodeOfSignal } from "../core/verdict.js";
import { ApiError, ConfigError } from "../tencent/errors.js";
import { prepareOutputPath } from "./output-paths.js";
import type { RunConfig, RunHooks } from "./run.js";
import type { RunCredentials } from "./run-credentials.js";
import { type RunScope, type ScopeEnd, ScopeEnded } from "./run-scope.js";
import type { StopSignal } from "./signals.js";

/** After the deadline or a signal, the gate has this long to return what it knows. */
const RESULT_GRACE_MS = 400;
/** Cleaning up (STS's budget, the credential source) never holds the exit longer than this. */
const CLEANUP_GRACE_MS = 300;

/** A file the run writes at its end (`--junit`): checked writable before the first request. */
export interface OutputFile {
  readonly path: string;
  /** What it is, in words: "the JUnit report". */
  readonly what: string;
}

/** What an adapter hands the one run: how it finds credentials, and the run's settings. */
export interface WaitRunSpec {
  readonly jobIds: readonly string[];
  readonly outputFiles: readonly OutputFile[];
  /** The adapter's credential chain; `signal` aborts with the scope (a signal or the deadline). */
  readonly findCredentials: (signal: AbortSignal) => Promise<RunCredentials>;
  /** The gate's settings, once credentials are known. */
  readonly configOf: (found: RunCredentials) => RunConfig;
  /** Told once credentials are found, before the gate runs (a line, masks). */
  readonly onCredentials?: (found: RunCredentials) => void;
  readonly run: (config: RunConfig, hooks: RunHooks) => Promise<GateResult>;
  readonly hooks: Omit<RunHooks, "interrupt" | "ended">;
  /** Writes the run's files; resolves to why one could not be written, or undefined. */
  readonly writeFiles?: (result: GateResult) => Promise<string | undefined>;
}

/** How a run ended: a usage error (exit 2, nothing sent) or a result to report with its exit code. */
export type WaitRunEnd =
  | { readonly kind: "usage"; readonly message: string; readonly found?: RunCredentials }
  | {
      readonly kind: "ran";
      readonly result: GateResult;
      readonly exitCode: number;
      readonly stopSignal?: StopSignal;
      readonly found?: RunCredentials;
    };

/** Every job stopped before the gate could decide it: by the deadline (exit 3) or a signal. */
function stoppedBeforeRun(jobIds: readonly string[], end: ScopeEnd): GateResult {
  const jobs = [...new Set(jobIds)].map((jobId) => {
    const record = new JobRecord(jobId);
    if (end === "deadline") record.fail("timeout", undefined);
    else record.fail("error", { code: "Interrupted", message: "interrupted before a verdict" });
    return record.report();
  });
  const interrupted = end === "interrupt";
  const exitCode = interrupted ? EXIT_CODES.error : EXIT_CODES.timeout;
  return {
    passed: false,
    exitCode,
    interrupted,
    failOnWarning: false,
    reason: reasonFor(jobs, exitCode, false, interrupted),
    jobs,
  };
}

/** A file the pipeline expects could not be written: the result says so, and never passes. */
function withUnwrittenFile(result: GateResult, why: string): GateResult {
  const exitCode = result.exitCode === EXIT_CODES.open ? EXIT_CODES.error : result.exitCode;
  return { ...result, passed: false, exitCode, reason: `${result.reason}; ${why}` };
}

function exitCodeOfRun(result: GateResult, scope: RunScope): number {
  return scope.stopSignal ? exitCodeOfSignal(scope.stopSignal) : result.exitCode;
}

async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/**
 * The one run of both adapters, inside `scope` (its deadline and interrupt armed before this is
 * called): output files checked, credentials found, the gate run, the files written. A setting
 * that is wrong is a usage error; whatever else fails is a result (exit 4) so that every output
 * is written; a signal or the deadline at any moment ends it with what is known.
 */
export async function runWaitInScope(spec: WaitRunSpec, scope: RunScope): Promise<WaitRunEnd> {
  for (const file of spec.outputFiles) {
    const problem = await scope.bound(prepareOutputPath(file.path, file.what)).catch((error: unknown) => {
      if (error instanceof ScopeEnded) return undefined;
      throw error;
    });
    if (problem !== undefined) return { kind: "usage", message: problem };
  }
  const gated = await gatedResult(spec, scope);
  if (gated.kind === "usage") return gated;
  let result = gated.result;
  const unwritten = spec.writeFiles ? await spec.writeFiles(result) : undefined;
  if (unwritten !== undefined) result = withUnwrittenFile(result, unwritten);
  const ended = { kind: "ran", result, exitCode: exitCodeOfRun(result, scope) } as const;
  return {
    ...ended,
    ...(scope.stopSignal ? { stopSignal: scope.stopSignal } : {}),
    ...(gated.found ? { found: gated.found } : {}),
  };
}

type Gated =
  | { readonly kind: "usage"; readonly message: string; readonly found?: RunCredentials }
  | { readonly kind: "ran"; readonly result: GateResult; readonly found?: RunCredentials };

async function gatedResult(spec: WaitRunSpec, scope: RunScope): Promise<Gated> {
  let found: RunCredentials;
  try {
    if (scope.end) return { kind: "ran", result: stoppedBeforeRun(spec.jobIds, scope.end) };
    found = await scope.bound(spec.findCredentials(scope.signal));
  } catch (error) {
    if (error instanceof ScopeEnded) return { kind: "ran", result: stoppedBeforeRun(spec.jobIds, error.end) };
    // The chain heard the scope's signal itself (an STS call aborted): the scope's end explains it.
    if (scope.end) return { kind: "ran", result: stoppedBeforeRun(spec.jobIds, scope.end) };
    if (error instanceof ConfigError) return { kind: "usage", message: error.message };
    return { kind: "ran", result: failedBeforeRun(spec.jobIds, error) };
  }
  spec.onCredentials?.(found);
  try {
    const config = spec.configOf(found);
    const remaining = scope.remainingMs();
    const hooks: RunHooks = { ...spec.hooks, interrupt: scope.interrupt, ended: scope.signal };
    const running = spec.run({ ...config, ...(remaining === undefined ? {} : { timeoutMs: remaining }) }, hooks);
    const result = await scope.bound(running, RESULT_GRACE_MS);
    return { kind: "ran", result, found };
  } catch (error) {
    if (error instanceof ScopeEnded) return { kind: "ran", result: stoppedBeforeRun(spec.jobIds, error.end), found };
    // Found only as the run starts (an unreachable --redis-url): still before any request.
    if (error instanceof ConfigError) return { kind: "usage", message: error.message, found };
    // The last line of defence: whatever failed, every output is still written (exit 4).
    return { kind: "ran", result: unexpectedFailure(spec.jobIds, error), found };
  } finally {
    await settleWithin(found.stop(), CLEANUP_GRACE_MS);
  }
}

/** Credentials could not be had for a reason that is no usage error (STS refused, a bug): exit 4. */
function failedBeforeRun(jobIds: readonly string[], error: unknown): GateResult {
  // STS refused or could not be reached: nothing was asked of DTS, but the run cannot go on.
  return error instanceof ApiError ? failedRun(jobIds, jobErrorOf(error)) : unexpectedFailure(jobIds, error);
}
