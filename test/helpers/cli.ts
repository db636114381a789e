import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import type { CliIO, StopSignal } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/main.js";
import { DEMO_SECRET_ID, DEMO_SECRET_KEY } from "../../src/simulator/index.js";

export const DEMO_ENV = { TENCENTCLOUD_SECRET_ID: DEMO_SECRET_ID, TENCENTCLOUD_SECRET_KEY: DEMO_SECRET_KEY };
/** A home without credential files, so the developer's own profile never leaks into a test. */
export const EMPTY_HOME = mkdtempSync(join(tmpdir(), "dts-gate-home-"));

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Fails the test if anything secret was printed: the key, a token, or a hex signature. */
export function expectNothingSecret(text: string, secrets: readonly string[] = [DEMO_SECRET_KEY]) {
  for (const secret of secrets) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/Signature=[0-9a-f]{64}/);
}

export interface RunOptions {
  readonly env?: Record<string, string | undefined>;
  readonly tty?: boolean;
  /** The home the profile files are read from; default an empty one. */
  readonly homeDir?: string;
  /** Receives a function that raises a signal, as the process would. */
  readonly withSignal?: (raise: (signal: StopSignal) => void) => void;
}

/**
 * A CliIO that keeps what is written: `stdout()` and `stderr()` so far (`clear()` forgets them),
 * and `raise(signal)` as the process would on SIGINT/SIGTERM.
 */
export function capturingIO(options: RunOptions = {}) {
  const written = { stdout: "", stderr: "" };
  const handlers = new Set<(signal: StopSignal) => void>();
  const io: CliIO = {
    stdout: {
      write: (text) => {
        written.stdout += text;
      },
      isTTY: options.tty ?? false,
    },
    stderr: {
      write: (text) => {
        written.stderr += text;
      },
      isTTY: options.tty ?? false,
    },
    env: options.env ?? DEMO_ENV,
    homeDir: options.homeDir ?? EMPTY_HOME,
    onSignal(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
  return {
    io,
    stdout: () => written.stdout,
    stderr: () => written.stderr,
    clear() {
      written.stdout = "";
      written.stderr = "";
    },
    raise(signal: StopSignal) {
      for (const handler of handlers) handler(signal);
    },
  };
}

/** Runs the command line in this process with captured output. */
export async function runCaptured(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  const captured = capturingIO(options);
  options.withSignal?.((signal) => captured.raise(signal));
  const started = performance.now();
  const code = await runCli(args, captured.io, () => import("../../src/cli/commands.js"));
  const run = { code, stdout: captured.stdout(), stderr: captured.stderr(), ms: performance.now() - started };
  expectNothingSecret(run.stdout + run.stderr);
  return run;
}

/** Largest number of timestamps inside any window of `windowMs` (sliding, both ends in). */
export function maxInSlidingWindow(timestamps: readonly number[], windowMs = 1000): number {
  const sorted = [...timestamps].sort((a, b) => a - b);
  let max = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

/** n distinct valid job ids. */
export function jobIds(count: number, prefix = "j"): string[] {
  return Array.from({ length: count }, (_, i) => `dts-${prefix}${String(i).padStart(7, "0")}`.slice(0, 12));
}
