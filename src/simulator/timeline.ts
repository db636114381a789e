import type { ScenarioName } from "./scenarios.js";

/**
 * The course of a started migration or sync, apart from how the API words it: which step runs, each
 * step's percent, the lag and the gap. migration.ts and sync.ts turn it into their answers.
 */

/** Lag (s) and gap (MB) when the incremental step begins; they fall to zero (or to the floor) across it. */
export const INITIAL_LAG_SECONDS = 120;
export const INITIAL_GAP_MB = 48;
/** Where `lag-stuck` stops falling. */
const STUCK_LAG_SECONDS = 37;
const STUCK_GAP_MB = 6;
/** `migrate-failed` fails, and `paused` is paused, this far into the load step. */
const HALFWAY = 0.5;

/** running: under way; ready: in the incremental step at zero lag; done: finished (no incremental step). */
export type Course = "running" | "ready" | "failed" | "paused" | "done";

export type StepState = "notStarted" | "running" | "success" | "failed" | "paused";

export interface StepProgress {
  readonly state: StepState;
  readonly percent: number;
  /** Clock ms the step started / finished; undefined: not yet. */
  readonly startMs: number | undefined;
  readonly finishMs: number | undefined;
}

export interface Progress {
  readonly course: Course;
  /** 1-based number of the step under way (the last one once done). */
  readonly stepNow: number;
  readonly steps: readonly StepProgress[];
  /** -1 until the incremental step runs (not valid), as the API shows. */
  readonly lagSeconds: number;
  readonly gapMB: number;
  /** When the course reached its end state (failed, paused, ready, done); undefined while running. */
  readonly sinceMs: number | undefined;
}

export interface Plan {
  /** The last step is incremental (`sinker`): it ends in `ready`, never `done`. */
  readonly incremental: boolean;
  readonly failIn?: number;
  readonly pauseIn?: number;
  readonly lagFloor: { seconds: number; mb: number };
}

/**
 * What a scenario does once started: `incremental` when its last step is the incremental one,
 * `loadStep` the index of the load step in its kind's steps.
 */
export function planOf(scenario: ScenarioName, incremental: boolean, loadStep: number): Plan {
  const none = { seconds: 0, mb: 0 };
  if (scenario === "migrate-failed") return { incremental, failIn: loadStep, lagFloor: none };
  if (scenario === "paused") return { incremental, pauseIn: loadStep, lagFloor: none };
  if (scenario === "lag-stuck") return { incremental, lagFloor: { seconds: STUCK_LAG_SECONDS, mb: STUCK_GAP_MB } };
  return { incremental, lagFloor: none };
}

function stepAt(
  durations: readonly number[],
  index: number,
  startedAtMs: number,
  elapsedMs: number,
): { fraction: number; startMs: number } {
  const before = durations.slice(0, index).reduce((a, b) => a + b, 0);
  const duration = durations[index] ?? 0;
  const fraction = duration <= 0 ? 1 : Math.min(1, Math.max(0, (elapsedMs - before) / duration));
  return { fraction, startMs: startedAtMs + before };
}

/**
 * The course `elapsedMs` after the start at `startedAtMs`, the steps taking `durations` (the last
 * one the incremental step when the plan is incremental).
 */
export function progressAt(plan: Plan, durations: readonly number[], startedAtMs: number, atMs: number): Progress {
  const elapsed = atMs - startedAtMs;
  const steps: StepProgress[] = [];
  let course: Course = "running";
  let sinceMs: number | undefined;
  let lag = { seconds: -1, mb: -1 };
  for (let index = 0; index < durations.length; index++) {
    const { fraction, startMs } = stepAt(durations, index, startedAtMs, elapsed);
    const endMs = startMs + (durations[index] ?? 0);
    const previous = steps[index - 1];
    if (index > 0 && previous?.state !== "success") {
      steps.push({ state: "notStarted", percent: 0, startMs: undefined, finishMs: undefined });
      continue;
    }
    const stopIn = plan.failIn === index ? "failed" : plan.pauseIn === index ? "paused" : undefined;
    if (stopIn !== undefined && fraction >= HALFWAY) {
      const stopMs = startMs + HALFWAY * (durations[index] ?? 0);
      steps.push({
        state: stopIn,
        percent: HALFWAY * 100,
        startMs,
        finishMs: stopIn === "failed" ? stopMs : undefined,
      });
      course = stopIn;
      sinceMs = stopMs;
      continue;
    }
    const last = index === durations.length - 1;
    if (last && plan.incremental) {
      const floor = plan.lagFloor;
      lag = {
        seconds: Math.max(floor.seconds, Math.round(INITIAL_LAG_SECONDS * (1 - fraction))),
        mb: Math.max(floor.mb, Math.round(INITIAL_GAP_MB * (1 - fraction))),
      };
      const percent = Math.floor(100 * (1 - lag.seconds / INITIAL_LAG_SECONDS));
      steps.push({ state: "running", percent, startMs, finishMs: undefined });
      if (fraction >= 1 && lag.seconds === 0 && lag.mb === 0) {
        course = "ready";
        sinceMs = endMs;
      }
      continue;
    }
    const finished = fraction >= 1;
    steps.push({
      state: finished ? "success" : "running",
      percent: Math.floor(100 * fraction),
      startMs,
      finishMs: finished ? endMs : undefined,
    });
    if (finished && last) {
      course = "done";
      sinceMs = endMs;
    }
  }
  const running = steps.findIndex((step) => step.state !== "success");
  const stepNow = running === -1 ? durations.length : running + 1;
  return { course, stepNow, steps, lagSeconds: lag.seconds, gapMB: lag.mb, sinceMs };
}
