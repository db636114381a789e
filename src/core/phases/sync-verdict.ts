import type { MigrationView } from "./migration-answer.js";
import type { ReadyLimits } from "./migration-verdict.js";

/** States a data sync job cannot leave without a person: the gate closes at once. */
const CLOSING_STATUSES = new Set(["Failed", "Stopping", "Stopped", "Pausing", "Paused", "Released"]);
/** TradeStatus values of a job being isolated or taken offline, in either case the API writes them. */
const CLOSING_TRADE_STATUSES = new Set(["isolating", "isolated", "offlining", "offlined"]);
/** DTS retries such jobs on its own: reported, and waited through. */
export const SYNC_SELF_HEALING_STATUSES = new Set(["ResumableErr", "Resuming"]);
/** A sync job in these states has not been started: a gate that only watches cannot wait for it. */
const NOT_STARTED_STATUSES = new Set(["UnInitialized", "Initialized", "Checking", "CheckPass", "CheckNotPass"]);
const KNOWN_STATUSES = new Set([
  ...CLOSING_STATUSES,
  ...SYNC_SELF_HEALING_STATUSES,
  ...NOT_STARTED_STATUSES,
  "ReadyRunning",
  "Running",
  "Resetting",
  "Unknown",
]);
/** The step of a sync job that replays the source's changes: the only one in which it can be ready. */
const INCREMENTAL_STEP = "sinker";

/** Why the gate must close on this answer, in words, or undefined. */
export function syncClosingOf(view: MigrationView): string | undefined {
  const { status, tradeStatus } = view;
  const closing =
    status !== null && CLOSING_STATUSES.has(status)
      ? `the sync job is ${status}`
      : tradeStatus !== null && CLOSING_TRADE_STATUSES.has(tradeStatus.toLowerCase())
        ? `the sync job is ${tradeStatus} (TradeStatus; sync status ${status ?? "unknown"})`
        : undefined;
  if (!closing) return undefined;
  const error = view.errors[0];
  const shown = error ? [error.code, error.errorLog, error.solution].filter((part) => part).join(": ") : "";
  return `${closing}${shown ? ` (ErrInfo: ${shown})` : view.briefMsg ? ` (${view.briefMsg})` : ""}`;
}

/** Why a sync job that only is watched cannot get anywhere: it was never started. */
export function syncNotStartedOf(view: MigrationView): string | undefined {
  if (view.status === null || !NOT_STARTED_STATUSES.has(view.status)) return undefined;
  return `the sync job has not been started (status ${view.status}): start it first, or run with --start`;
}

/** The sync job is in its incremental step: `sinker` is the current step, or the last step is. */
function inIncrementalStep(view: MigrationView): boolean {
  const { stepNow, stepAll, steps } = view;
  if (stepNow === null) return false;
  if (stepAll !== null && stepNow === stepAll) return true;
  return steps?.[stepNow - 1]?.stepId === INCREMENTAL_STEP;
}

/** What keeps this one answer from showing a sync job ready; undefined when nothing does. */
export function syncNotReadyBecause(view: MigrationView, limits: ReadyLimits): string | undefined {
  if (view.status !== "Running") return `status ${view.status ?? "unknown"}, not Running`;
  if (!inIncrementalStep(view))
    return `step ${view.stepNow ?? "?"} of ${view.stepAll ?? "?"}, not the incremental step`;
  if (view.lagSeconds === null || view.lagSeconds < 0) return "the lag is unknown";
  if (view.lagSeconds > limits.maxLagSeconds)
    return `the lag is ${view.lagSeconds} s (at most ${limits.maxLagSeconds})`;
  if (view.gapMB === null || view.gapMB < 0) return "the gap is unknown";
  if (view.gapMB > limits.maxGapMB) return `the gap is ${view.gapMB} MB (at most ${limits.maxGapMB})`;
  return undefined;
}

export function isKnownSyncStatus(status: string | null): boolean {
  return status === null || KNOWN_STATUSES.has(status);
}
