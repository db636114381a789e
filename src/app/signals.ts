export type StopSignal = "SIGINT" | "SIGTERM";

/** Calls `handler` on SIGINT/SIGTERM of this process until the returned function is called. */
export function onProcessSignal(handler: (signal: StopSignal) => void): () => void {
  const onInt = () => handler("SIGINT");
  const onTerm = () => handler("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return () => {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  };
}

export interface ProcessSignals {
  /** As onProcessSignal; a signal that came before anyone listened is told to the first listener. */
  readonly onSignal: (handler: (signal: StopSignal) => void) => () => void;
  /** Stops listening: from then on SIGINT/SIGTERM have their default effect again. */
  readonly stop: () => void;
}

/**
 * Listens to SIGINT/SIGTERM from the very start of the process, before the commands are loaded, so
 * that a signal while they load still ends the run with its exit code and outputs (the default
 * effect would kill the process with nothing written). The first signal is kept for the first listener.
 */
export function listenForSignalsEarly(): ProcessSignals {
  const listeners = new Set<(signal: StopSignal) => void>();
  let early: StopSignal | undefined;
  const stop = onProcessSignal((signal) => {
    if (listeners.size === 0) early ??= signal;
    for (const listener of listeners) listener(signal);
  });
  return {
    onSignal(handler) {
      listeners.add(handler);
      const missed = early;
      early = undefined;
      if (missed) queueMicrotask(() => handler(missed));
      return () => listeners.delete(handler);
    },
    stop,
  };
}

/** How long output may drain once the exit code is known. */
const DRAIN_MS = 500;

/**
 * Ends the process with `code` once its output drained: a wait the run gave up on at its deadline
 * or a signal (a socket that never answers, a file that never opens) must not hold the exit.
 */
export function exitAfterDrain(code: number, signals: ProcessSignals): void {
  signals.stop();
  process.exitCode = code;
  setTimeout(() => process.exit(), DRAIN_MS).unref();
}
