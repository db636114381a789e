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

/** Replaces every occurrence of a secret, wherever it came from: the last line of defence. */
export function redactingWriter(write: (text: string) => void, secrets: readonly string[]) {
  const values = secrets.filter((secret) => secret.length >= 4);
  return (text: string) => {
    let safe = text;
    for (const secret of values) safe = safe.split(secret).join("***");
    write(safe);
  };
}
