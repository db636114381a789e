import { fstatSync, writeSync } from "node:fs";
import { neutraliseLine } from "../gate/safe-text.js";

export type StopSignal = "SIGINT" | "SIGTERM";

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
 * Standard output or error, written straight to its file descriptor. Creating Node's
 * process.stdout loads its net and stream machinery, milliseconds of every start (--help
 * included), and its writes to files, pipes and terminals are synchronous on Linux anyway, as
 * these are. A descriptor that would block (EAGAIN: a non-blocking one from the parent) hands the
 * rest to Node's stream; a reader that has gone (EPIPE) gets nothing more, and the verdict still
 * ends the process with its exit code.
 */
export function descriptorStream(fd: number, nodeStream: () => NodeJS.WriteStream): OutputStream {
  let fallback: NodeJS.WriteStream | undefined;
  let readerGone = false;
  let isTTY: boolean | undefined;
  const isTerminal = () => {
    // node:tty loads net: asked only of a character device (a terminal, or /dev/null).
    isTTY ??= isCharacterDevice(fd) && process.getBuiltinModule("node:tty").isatty(fd);
    return isTTY;
  };
  return {
    get isTTY() {
      return isTerminal();
    },
    get columns() {
      return isTerminal() ? nodeStream().columns : undefined;
    },
    write(text) {
      if (readerGone) return;
      if (fallback) {
        fallback.write(text);
        return;
      }
      const bytes = Buffer.from(text);
      let offset = 0;
      while (offset < bytes.length) {
        try {
          offset += writeSync(fd, bytes, offset);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === "EPIPE") {
            readerGone = true;
            return;
          }
          if (code !== "EAGAIN") throw error;
          fallback = nodeStream();
          fallback.write(bytes.subarray(offset));
          return;
        }
      }
    },
  };
}

function isCharacterDevice(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return false;
  }
}

export const processIO: CliIO = {
  stdout: descriptorStream(1, () => process.stdout),
  stderr: descriptorStream(2, () => process.stderr),
  env: process.env,
  onSignal(handler) {
    const onInt = () => handler("SIGINT");
    const onTerm = () => handler("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    return () => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
    };
  },
};

/**
 * What every line the CLI prints goes through: every occurrence of a secret is replaced, wherever
 * it came from (the last line of defence), and no line can act as a GitHub workflow command when
 * a workflow runs the CLI.
 */
export function safeWriter(write: (text: string) => void, secrets: readonly string[]) {
  return (text: string) => write(redact(text, secrets).split("\n").map(neutraliseLine).join("\n"));
}

/** Replaces every occurrence of each secret (of 4 characters or more) with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let safe = text;
  for (const secret of secrets) if (secret.length >= 4) safe = safe.split(secret).join("***");
  return safe;
}
