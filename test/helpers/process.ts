import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { EMPTY_HOME } from "./cli.js";

/** The bundle built from the sources for this run (test/global-setup.ts). */
export function bundled(file: "cli.js" | "action.js"): string {
  const dir = process.env.DTS_GATE_TEST_BUNDLE;
  if (dir === undefined) throw new Error("DTS_GATE_TEST_BUNDLE is unset: run the tests through vitest's global setup");
  return join(dir, file);
}

export const CLI = bundled("cli.js");

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from spawn to exit. */
  readonly ms: number;
}

/** A run as an assertion message: how it ended, and the end of its stderr. */
export function describeRun(run: CliRun): string {
  return `exit ${run.code} (${run.signal ?? "no signal"}) after ${run.ms} ms\n--- stderr ---\n${run.stderr.slice(-3000)}`;
}

/**
 * Runs `node cli.js ...args` with only the given environment (plus PATH, and a HOME without
 * credential files); kills it after `timeoutMs`. `output()` is its stdout so far.
 */
export function runCliProcess(
  cli: string,
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs: number,
  nodeOptions: readonly string[] = [],
): Promise<CliRun> & { readonly child: ChildProcess; output(): string } {
  const started = Date.now();
  const child = spawn(process.execPath, [...nodeOptions, cli, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: EMPTY_HOME, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const done = new Promise<CliRun>((resolve) => {
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
  return Object.assign(done, { child, output: () => stdout });
}

/**
 * Resolves once `condition()` holds, looked at every 5 ms; rejects, saying `what`, after
 * `timeoutMs` (a cap, not a measure).
 */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
