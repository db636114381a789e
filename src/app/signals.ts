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
