import type { GateEvent } from "../core/types.js";

/** One look at a migration's lag: when (from the run's start) and the lag, null when not known. */
export interface LagPoint {
  readonly atMs: number;
  readonly lagSeconds: number | null;
}

/** Points kept per job while waiting; a full list is halved, so a wait of any length costs this much. */
const KEPT_MAX = 120;
/** Points drawn per chart: more makes the labels unreadable. */
export const CHART_POINTS_MAX = 60;
/** A lag beyond this (about 31 years) is drawn at it: a chart needs plain numbers. */
const LAG_DRAWN_MAX = 1_000_000_000;

/** -1 (not valid), null, a negative or a non-finite value: nothing known of the lag. */
function knownLag(lagSeconds: number | null): number | null {
  return lagSeconds === null || !Number.isFinite(lagSeconds) || lagSeconds < 0 ? null : lagSeconds;
}

/** Two neighbours as one: the first's time, the larger known lag (a peak must not vanish). */
function merged(first: LagPoint, second: LagPoint | undefined): LagPoint {
  if (!second) return first;
  const lags = [first.lagSeconds, second.lagSeconds].filter((lag): lag is number => lag !== null);
  return { atMs: first.atMs, lagSeconds: lags.length > 0 ? Math.max(...lags) : null };
}

function halved(points: readonly LagPoint[]): LagPoint[] {
  const result: LagPoint[] = [];
  for (let index = 0; index < points.length; index += 2)
    result.push(merged(points[index] as LagPoint, points[index + 1]));
  return result;
}

/** At most `max` points, neighbours merged. */
export function downsample(points: readonly LagPoint[], max: number): LagPoint[] {
  let result = [...points];
  while (result.length > max) result = halved(result);
  return result;
}

/** The lag of every migration over the wait, bounded per job, fed from the gate's events. */
export class LagHistory {
  readonly #points = new Map<string, LagPoint[]>();

  onEvent(event: GateEvent) {
    if (event.type !== "migrationPoll") return;
    const points = this.#points.get(event.jobId) ?? [];
    points.push({ atMs: event.elapsedMs, lagSeconds: knownLag(event.migration.lagSeconds) });
    this.#points.set(event.jobId, points.length > KEPT_MAX ? halved(points) : points);
  }

  of(jobId: string): readonly LagPoint[] {
    return this.#points.get(jobId) ?? [];
  }
}

/** Elapsed time as a label: `m:ss` under an hour, `h:mm` above. */
function elapsedLabel(ms: number, long: boolean): string {
  const totalSeconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(totalSeconds / 60);
  if (long) return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")}`;
  return `${minutes}:${String(totalSeconds % 60).padStart(2, "0")}`;
}

/**
 * A Mermaid `xychart-beta` of the lag over the wait (the points where it was known), which GitHub
 * draws in a job summary; undefined when the lag was never known. The job id is a validated id.
 */
export function lagChart(jobId: string, points: readonly LagPoint[]): string | undefined {
  const known = points.flatMap((point) => {
    const lag = knownLag(point.lagSeconds);
    return lag === null ? [] : [{ atMs: point.atMs, lagSeconds: lag }];
  });
  if (known.length === 0) return undefined;
  const drawn = downsample(known, CHART_POINTS_MAX);
  const long = (drawn.at(-1)?.atMs ?? 0) >= 3_600_000;
  const values = drawn.map((point) => Math.round(Math.min(point.lagSeconds ?? 0, LAG_DRAWN_MAX)));
  const top = values.reduce((highest, value) => Math.max(highest, value), 1);
  const labels = drawn.map((point) => `"${elapsedLabel(point.atMs, long)}"`);
  return [
    "```mermaid",
    "xychart-beta",
    `  title "${jobId.replace(/[^\w-]/g, "")}: lag behind the source (s)"`,
    `  x-axis "time waited (${long ? "h:mm" : "m:ss"})" [${labels.join(", ")}]`,
    `  y-axis "lag (s)" 0 --> ${top}`,
    `  line [${values.join(", ")}]`,
    "```",
  ].join("\n");
}
