import { logSafeJson } from "../gate/safe-text.js";

/**
 * What `--output json` prints for a usage or configuration error (exit 2): one document of the
 * shape of a run's, with no job in it. runCli and runWait (credentials found missing) print it.
 */
export function usageErrorDocument(message: string): string {
  return `${logSafeJson({ passed: false, reason: message, error: { code: "UsageError", message }, jobs: [] }, 2)}\n`;
}
