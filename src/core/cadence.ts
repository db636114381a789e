import { type Forecast, ProgressTracker, type Sighting } from "./forecast.js";

export type { ProgressSignal, Sighting } from "./forecast.js";

/**
 * A measured end is aimed past by this share of its uncertainty (expected less earliest): a poll just
 * before the end costs a whole interval more, one just after it only the time past.
 */
const END_MARGIN = 0.5;

/** `--max-interval` unless given: six times the interval. */
export const MAX_INTERVAL_FACTOR = 6;

/** The shortest and longest gap of a run: the longest six intervals unless given, never below the shortest. */
export function pollGaps(options: { readonly intervalMs: number; readonly maxIntervalMs?: number }): {
  readonly intervalMs: number;
  readonly maxIntervalMs: number;
} {
  const { intervalMs, maxIntervalMs = MAX_INTERVAL_FACTOR * intervalMs } = options;
  return { intervalMs, maxIntervalMs: Math.max(intervalMs, maxIntervalMs) };
}

/** The bounds of one job's polling. */
export interface CadenceLimits {
  /** The shortest gap between two polls of the job (`--interval`). */
  readonly intervalMs: number;
  /** The longest gap (`--max-interval`); equal to the interval: plain fixed polling. */
  readonly maxIntervalMs: number;
  /** The last moment a poll may start. */
  readonly deadlineAt: number;
}

/**
 * When to poll one job next, for one phase. Requests are spent where the answer that matters is
 * likely to come: sparsely far from the forecast end, at the interval near it. A poll is never
 * sooner than the interval after the last one started (save the deadline's), never later than the
 * longest gap, never past the deadline.
 */
export class Cadence {
  readonly #limits: CadenceLimits;
  readonly #tracker = new ProgressTracker();
  #forecast: Forecast = { expectedMs: Number.POSITIVE_INFINITY, earliestMs: 0, measured: false };

  constructor(limits: CadenceLimits) {
    this.#limits = limits;
  }

  /** Takes in one answer of the job. */
  see(sighting: Sighting): void {
    this.#tracker.see(sighting);
    this.#forecast = this.#tracker.forecast();
  }

  /** When the next poll should start, the last one having started at `pollStartedAt`. */
  nextPollAt(pollStartedAt: number): number {
    const { intervalMs, maxIntervalMs, deadlineAt } = this.#limits;
    const soonest = pollStartedAt + intervalMs;
    const latest = pollStartedAt + Math.max(intervalMs, maxIntervalMs);
    const seenAt = this.#tracker.last?.at ?? pollStartedAt;
    const { earliestMs, expectedMs, measured } = this.#forecast;
    let wanted = seenAt + earliestMs;
    // A measured end due before the poll after next: aim just past it, not up to an interval short of it.
    const endAt = seenAt + expectedMs;
    if (measured && endAt < Math.max(wanted, soonest) + intervalMs)
      wanted = Math.max(wanted, endAt + END_MARGIN * (expectedMs - earliestMs));
    return Math.min(Math.max(soonest, Math.min(wanted, latest)), deadlineAt);
  }

  /**
   * How near the job's end is: the forecast ms from `now` to it (Infinity when nothing tells).
   * Lower goes first: when many jobs share a short budget, the ones about to end are polled first.
   */
  priority(now: number): number {
    const seenAt = this.#tracker.last?.at;
    if (seenAt === undefined) return Number.POSITIVE_INFINITY;
    return Math.max(0, seenAt + this.#forecast.expectedMs - now);
  }

  /**
   * The priority as the limiter's queue takes it, 0 (first) to 9: a job whose end is due within an
   * interval is 0, within 2, 4, 8 and 16 intervals 1 to 4; one whose end nothing tells yet keeps the
   * queue's default 5 (a first poll never waits behind every job that has a forecast), and a job
   * whose end is further still is 6.
   */
  queuePriority(now: number): number {
    const endInIntervals = this.priority(now) / this.#limits.intervalMs;
    if (!Number.isFinite(endInIntervals)) return DEFAULT_QUEUE_PRIORITY;
    const level = QUEUE_LEVELS.findIndex((intervals) => endInIntervals <= intervals);
    return level === -1 ? DEFAULT_QUEUE_PRIORITY + 1 : level;
  }
}

/** The limiter queue's default priority, and the bounds (in intervals to the end) of levels 0 to 4. */
const DEFAULT_QUEUE_PRIORITY = 5;
const QUEUE_LEVELS = [1, 2, 4, 8, 16];
