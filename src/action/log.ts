import { randomBytes } from "node:crypto";
import { withoutFormatCharacters } from "../core/text.js";
import { quietly } from "../output/safe-output.js";
import { neutralise } from "../output/safe-text.js";

/*
 * Blocks of API text are fenced with `::stop-commands::TOKEN` … `::TOKEN::` (an unguessable token)
 * on top of `neutralise`, so that even a line that slipped through is not processed.
 */

export interface SafeLog {
  /** Logs text of any origin, line by line, neutralised (and redacted). */
  text(text: string): void;
  /** Runs `fn` with workflow commands switched off: nothing `fn` logs can be a command. */
  fenced<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * `info` writes one line as is (core.info); `redact` removes secrets. Logging never throws: a
 * line that cannot be written (a closed pipe, a full disk) is lost, not the run's verdict.
 */
export function createSafeLog(
  write: (line: string) => void,
  redact: (text: string) => string,
  token: () => string = () => randomBytes(16).toString("hex"),
): SafeLog {
  const info = quietly(write);
  return {
    text(text) {
      // Cleaned first, then redacted: cleaning may change a secret's characters (see safeText).
      for (const line of neutralise(withoutFormatCharacters(text))) info(redact(line));
    },
    async fenced(fn) {
      const stop = token();
      info(`::stop-commands::${stop}`);
      try {
        return await fn();
      } finally {
        info(`::${stop}::`);
      }
    },
  };
}
