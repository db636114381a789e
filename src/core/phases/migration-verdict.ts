import type { MigrationView } from "./migration-answer.js";

/** States a migration cannot leave without a person: the gate closes at once. */
const CLOSING_STATUSES = new Set(["failed", "canceled", "stopping", "error", "pausing", "manualPaused"]);
const CLOSING_TRADE_STATUSES = new Set(["isolating", "isolated", "offlining", "offlined"]);
/** DTS retries such jobs on its own: reported, and waited through. */
export const SELF_HEALING_STATUSES = new Set(["resumableErr", "resuming"]);
/** A job in these states has not been started: a gate that only watches cannot wait for it. */
const NOT_STARTED_STATUSES = new Set(["creating", "created", "checking", "checkPass", "checkNotPass"]);
const KNOWN_STATUSES = new Set([
  ...CLOSING_STATUSES,
  ...SELF_HEALING_STATUSES,
  ...NOT_STARTED_STATUSES,
  "readyRun",
  "running",
  "readyComplete",
  "completing",
  "success",
  "unknown",
]);

export interface ReadyLimits {
  readonly maxLagSeconds: number;
  readonly maxGapMB: number;
}

/** Why the gate must close on this answer, in words, or undefined. */
export function closingOf(view: MigrationView): string | undefined {
  const { status, tradeStatus } = view;
  const closing =
    status !== null && CLOSING_STATUSES.has(status)
      ? `the migration is ${status}`
      : tradeStatus !== null && CLOSING_TRADE_STATUSES.has(tradeStatus)
        ? `the job is ${tradeStatus} (TradeStatus; migration status ${status ?? "unknown"})`
        : undefined;
  return closing && `${closing}${errorsOf(view)}`;
}

/** Why a job that only is watched cannot get anywhere: it was never started. */
export function notStartedOf(view: MigrationView): string | undefined {
  if (view.status === null || !NOT_STARTED_STATUSES.has(view.status)) return undefined;
  return `the migration has not been started (status ${view.status}): start it first, or run with --start`;
}

/** What keeps this one answer from showing a job ready to cut over; undefined when nothing does. */
export function notReadyBecause(view: MigrationView, limits: ReadyLimits): string | undefined {
  if (view.status !== "readyComplete") return `status ${view.status ?? "unknown"}, not readyComplete`;
  if (view.allowedActionsMalformed) return "Action.AllowedAction is not a list";
  if (view.allowedActions !== null && !view.allowedActions.includes("complete")) {
    return "completing is not among the allowed actions";
  }
  if (!known(view.lagSeconds)) return "the lag is unknown";
  if (view.lagSeconds > limits.maxLagSeconds)
    return `the lag is ${view.lagSeconds} s (at most ${limits.maxLagSeconds})`;
  if (!known(view.gapMB)) return "the gap is unknown";
  if (view.gapMB > limits.maxGapMB) return `the gap is ${view.gapMB} MB (at most ${limits.maxGapMB})`;
  return undefined;
}

/** -1 (not valid) and any negative value say nothing of the lag or the gap. */
function known(value: number | null): value is number {
  return value !== null && value >= 0;
}

export function isKnownStatus(status: string | null): boolean {
  return status === null || KNOWN_STATUSES.has(status);
}

function errorsOf(view: MigrationView): string {
  const shown = view.errors
    .slice(0, 3)
    .map((error) => [error.code, error.errorLog, error.solution].filter((part) => part).join(": "))
    .filter((text) => text.length > 0);
  if (shown.length > 0) return ` (ErrorInfo: ${shown.join("; ")})`;
  return view.briefMsg ? ` (${view.briefMsg})` : "";
}
