import { onProcessSignal, type StopSignal } from "../app/signals.js";

export type { StopSignal } from "../app/signals.js";

export interface OutputStream {
  write(text: string): void;
  readonly isTTY?: boolean;
  /** Width of the terminal, when it is one. */
  readonly columns?: number | undefined;
  /** Height of the terminal, when it is one. */
  readonly rows?: number | undefined;
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
 * sets that rather than calling process.exit. Writing never throws: once a write has failed (a
 * reader that has gone, a full disk) the stream gets nothing more, and the verdict still ends the
 * process with its exit code.
 */
export function processStream(stream: NodeJS.WriteStream): OutputStream {
  let failed = false;
  // Without a listener a failed write (EPIPE, ENOSPC, EIO) would be an uncaught 'error' event.
  stream.on("error", () => {
    failed = true;
  });
  return {
    get isTTY() {
      return stream.isTTY === true;
    },
    get columns() {
      return stream.isTTY === true ? stream.columns : undefined;
    },
    get rows() {
      return stream.isTTY === true ? stream.rows : undefined;
    },
    write(text) {
      if (failed || stream.destroyed) return;
      try {
        stream.write(text);
      } catch {
        failed = true;
      }
    },
  };
}

export const processIO: CliIO = {
  stdout: processStream(process.stdout),
  stderr: processStream(process.stderr),
  env: process.env,
  onSignal: onProcessSignal,
};
