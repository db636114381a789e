/**
 * When a job's phase is likely to end, from what its answers showed: the steps done and how long
 * they took between the looks, the percent of the step under way and its slope, the lag and its trend, a due time the
 * phase knows itself. Pure: time comes in with each sighting.
 */

/** How far a job has come, as one answer shows it. A phase fills what its answer tells; all optional. */
export interface ProgressSignal {
  /** Steps finished, and all the steps of the phase. */
  readonly stepsDone?: number;
  readonly stepsAll?: number;
  /** Percent (0-100) of the step under way. */
  readonly stepPercent?: number;
  /** Seconds the target is behind the source, when the answer gives a valid lag. */
  readonly lagSeconds?: number;
  /** When the phase itself knows its verdict is due (the end of a settle), on the gate's clock. */
  readonly endsAt?: number;
}

/** One answer of a job, as the cadence needs it. */
export interface Sighting {
  /** When the answer was taken, on the gate's clock. */
  readonly at: number;
  /** The answer differs from the previous one. */
  readonly changed: boolean;
  readonly progress: ProgressSignal;
}

/** Ms from the last sighting: the likely end (Infinity: nothing tells) and the earliest plausible one. */
export interface Forecast {
  readonly expectedMs: number;
  readonly earliestMs: number;
  /** The end follows from a pace measured in the step under way (or a due time), not from typical steps. */
  readonly measured: boolean;
}

/**
 * Steps are uneven: the longest may take five times the shortest, so one step may take as little as
 * a fifth of a typical one. Several steps together are less likely all to be short: n of them take
 * at least n·n/(n + SHORT_STEPS) typical steps (a fifth for one, near all of them for many).
 */
const SHORT_STEPS = 4;
/** A percent or a lag measured falling at a steady pace may finish this much sooner than that pace says. */
const PACE_TRUST = 0.8;
/** With nothing to go by, the next change is expected no sooner than half the time since the last one. */
const UNCHANGED_SHARE = 0.5;

const UNKNOWN: Forecast = { expectedMs: Number.POSITIVE_INFINITY, earliestMs: 0, measured: false };
/** Nothing is left to wait for but the verdict itself. */
const DUE: Forecast = { expectedMs: 0, earliestMs: 0, measured: true };

interface Sample {
  readonly at: number;
  readonly value: number;
}

/** Accumulates one phase's sightings of one job and forecasts its end. */
export class ProgressTracker {
  #origin: { at: number; stepsDone: number } | undefined;
  #stepsDone = -1;
  /** First sighting of the step under way, and the last one before it (the step began in between). */
  #stepSeenAt = 0;
  #stepBeganAfter: number | undefined;
  /** A typical step's ms, from when the steps were seen to end during this phase. */
  #typicalSeenMs: number | undefined;
  #percentBase: Sample | undefined;
  #lagBase: Sample | undefined;
  #lastChangeAt = 0;
  #last: Sighting | undefined;

  get last(): Sighting | undefined {
    return this.#last;
  }

  see(seen: Sighting): void {
    const previous = this.#last;
    const sighting = { ...seen, progress: sane(seen.progress) };
    const { at, progress } = sighting;
    this.#last = sighting;
    if (previous === undefined || sighting.changed) this.#lastChangeAt = at;
    const done = progress.stepsDone;
    if (done === undefined) return;
    if (this.#origin === undefined || done < this.#stepsDone) {
      // The first look, or the job went back (a new run): what came before says nothing of it.
      this.#origin = { at, stepsDone: done };
      this.#typicalSeenMs = undefined;
      this.#enterStep(done, at, undefined);
    } else if (done > this.#stepsDone) {
      const beganAfter = previous?.at ?? at;
      const endedAbout = (beganAfter + at) / 2;
      this.#typicalSeenMs = (endedAbout - this.#origin.at) / (done - this.#origin.stepsDone);
      this.#enterStep(done, at, beganAfter);
    }
    this.#percentBase = nextBase(this.#percentBase, progress.stepPercent, at, (base, value) => value < base);
    this.#lagBase = nextBase(this.#lagBase, progress.lagSeconds, at, (base, value) => value > base);
  }

  #enterStep(done: number, at: number, beganAfter: number | undefined): void {
    this.#stepsDone = done;
    this.#stepSeenAt = at;
    this.#stepBeganAfter = beganAfter;
    this.#percentBase = undefined;
    this.#lagBase = undefined;
  }

  /** The forecast as of the last sighting. */
  forecast(): Forecast {
    const last = this.#last;
    if (last === undefined) return UNKNOWN;
    const { at, progress } = last;
    if (progress.endsAt !== undefined) {
      const dueMs = Math.max(0, progress.endsAt - at);
      return { expectedMs: dueMs, earliestMs: dueMs, measured: true };
    }
    return this.#fromSteps(last) ?? { ...UNKNOWN, earliestMs: this.#sinceChange(at) };
  }

  #sinceChange(at: number): number {
    return UNCHANGED_SHARE * (at - this.#lastChangeAt);
  }

  #fromSteps({ at, progress }: Sighting): Forecast | undefined {
    const all = progress.stepsAll;
    if (all === undefined || all <= 0 || this.#stepsDone < 0) return undefined;
    // Every step done and still no verdict: the verdict is due any moment.
    if (this.#stepsDone >= all) return DUE;
    const later = all - this.#stepsDone - 1;
    const known = this.#typicalSeenMs;
    const current = this.#currentStep(at, progress, later === 0, known ?? this.#stepSoFar(at, undefined));
    if (current === undefined) return undefined;
    if (later === 0) return current;
    const typical = known ?? this.#stepSoFar(at, current);
    if (typical === undefined) return { ...UNKNOWN, earliestMs: current.earliestMs };
    return {
      expectedMs: current.expectedMs + later * typical,
      earliestMs: current.earliestMs + (typical * later * later) / (later + SHORT_STEPS),
      measured: false,
    };
  }

  /**
   * No step ended yet to go by: a step is taken to be about as long as the one under way, which has
   * run at least since it was first seen (and, with a pace, will run as long as the pace says).
   */
  #stepSoFar(at: number, current: Forecast | undefined): number | undefined {
    const left = current !== undefined && Number.isFinite(current.expectedMs) ? current.expectedMs : 0;
    const length = at - this.#stepSeenAt + left;
    return length > 0 ? length : undefined;
  }

  /** When the step under way ends: from its percent's pace, the lag's trend, or a typical step. */
  #currentStep(
    at: number,
    progress: ProgressSignal,
    lastStep: boolean,
    typical: number | undefined,
  ): Forecast | undefined {
    const percent = progress.stepPercent;
    const byPace = [
      paceLeft(this.#percentBase, percent, at, (value) => 100 - value),
      // Readiness waits for the lag: in the last step its fall tells the end as well as the percent.
      lastStep ? paceLeft(this.#lagBase, progress.lagSeconds, at, (value) => value) : undefined,
    ].filter((left): left is number => left !== undefined);
    if (byPace.length > 0) {
      const leftMs = Math.min(...byPace);
      return { expectedMs: leftMs, earliestMs: PACE_TRUST * leftMs, measured: true };
    }
    if (lastStep && progress.lagSeconds === 0) return DUE;
    // A step with a percent but no pace yet: a second look soon measures it.
    const measuring = percent !== undefined ? this.#sinceChange(at) : undefined;
    if (typical === undefined) return measuring === undefined ? undefined : { ...UNKNOWN, earliestMs: measuring };
    const share = percent === undefined ? 1 : 1 - percent / 100;
    // Without a percent the step may have run since just after the last look that showed it not begun.
    const ranAtMost = percent === undefined ? at - (this.#stepBeganAfter ?? this.#stepSeenAt) : 0;
    const ranAbout =
      percent === undefined ? at - ((this.#stepBeganAfter ?? this.#stepSeenAt) + this.#stepSeenAt) / 2 : 0;
    const earliestMs = Math.max(0, (typical * share) / (1 + SHORT_STEPS) - ranAtMost);
    return {
      expectedMs: Math.max(0, typical * share - ranAbout),
      earliestMs: measuring === undefined ? earliestMs : Math.min(earliestMs, measuring),
      measured: false,
    };
  }
}

const isCount = (value: number | undefined): value is number => Number.isSafeInteger(value) && (value ?? -1) >= 0;
const isAmount = (value: number | undefined): value is number => Number.isFinite(value) && (value ?? -1) >= 0;

/** The signal without what no answer can mean (counts that are not whole, lags below zero, NaN): unknown instead. */
function sane(signal: ProgressSignal): ProgressSignal {
  const { stepsDone, stepsAll, stepPercent, lagSeconds, endsAt } = signal;
  return {
    ...(isCount(stepsDone) && isCount(stepsAll) ? { stepsDone, stepsAll } : {}),
    ...(isAmount(stepPercent) ? { stepPercent: Math.min(100, stepPercent) } : {}),
    ...(isAmount(lagSeconds) ? { lagSeconds } : {}),
    ...(Number.isFinite(endsAt) ? { endsAt } : {}),
  };
}

/** The first sample of a run of values moving one way; a value that moves back starts a new run. */
function nextBase(
  base: Sample | undefined,
  value: number | undefined,
  at: number,
  movedBack: (base: number, value: number) => boolean,
): Sample | undefined {
  if (value === undefined) return base;
  return base === undefined || movedBack(base.value, value) ? { at, value } : base;
}

/**
 * Ms left until `left(value)` reaches zero at the pace seen since `base`, when it moved; a pace
 * measured over the whole run, so that coarse values (whole percents, whole seconds) still tell it.
 */
function paceLeft(
  base: Sample | undefined,
  value: number | undefined,
  at: number,
  left: (value: number) => number,
): number | undefined {
  if (base === undefined || value === undefined || at <= base.at) return undefined;
  const moved = left(base.value) - left(value);
  if (moved <= 0) return undefined;
  return (Math.max(0, left(value)) * (at - base.at)) / moved;
}
