import { neutraliseLine } from "../gate/safe-text.js";

export type StopSignal = "SIGINT" | "SIGTERM";

/** What a command may touch of the world; tests pass their own. */
export interface CliIO {
  readonly stdout: { write(text: string): void; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): void; readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir?: string;
  /** Calls `handler` on SIGINT/SIGTERM until the returned function is called. */
  onSignal(handler: (signal: StopSignal) => void): () => void;
}

export const processIO: CliIO = {
  stdout: process.stdout,
  stderr: process.stderr,
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
