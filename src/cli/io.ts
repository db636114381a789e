import { onProcessSignal, type StopSignal } from "../app/signals.js";

export type { StopSignal } from "../app/signals.js";

export interface OutputStream {
  write(text: string): void;
  readonly isTTY?: boolean;
  /** Width of the terminal, when it is one. */
  readonly columns?: number | undefined;
}

/** What a command may touch of the world; tests pass their own. */
export interface CliIO {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir?: string;
  /** Calls `handler` on SIGINT/SIGTERM until the returned function is called. */
  onSignal(handler: (signal: StopSignal) => void): () => void;
}

/**
 * Node's stdout or stderr. Its writes queue when the descriptor would block (a non-blocking pipe
 * from the parent), and Node drains them before it exits with `process.exitCode`, so the entry
 * sets that rather than calling process.exit. A reader that has gone (EPIPE) gets nothing more
 * and the verdict still ends the process with its exit code (no unhandled 'error' event).
 */
export function processStream(stream: NodeJS.WriteStream): OutputStream {
  // Once the reader has gone Node's stream is destroyed: later writes are dropped, not errors.
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
  return {
    get isTTY() {
      return stream.isTTY === true;
    },
    get columns() {
      return stream.isTTY === true ? stream.columns : undefined;
    },
    write(text) {
      stream.write(text);
    },
  };
}

export const processIO: CliIO = {
  stdout: processStream(process.stdout),
  stderr: processStream(process.stderr),
  env: process.env,
  onSignal: onProcessSignal,
};
