import { Cadence, type ProgressSignal } from "../../src/core/cadence.js";
import { stepDurations, stepEnds, stepsDone } from "../../src/simulator/pace.js";
import { planOf, progressAt } from "../../src/simulator/timeline.js";
import { seededRandom } from "./random.js";

/**
 * The cadence against fixed polling on virtual time: seeded schedules with uneven steps (the longest
 * five times the shortest, drawn as the simulator draws them with `--seed`), each polled from its
 * start until the poll that sees its end. Counts the requests and the detection delay (from the
 * moment the answer turned to the verdict to the poll that saw it).
 */

export type ScheduleKind = "check" | "migration";

/** A job's answers over time, from its start at 0. */
export interface Schedule {
  /** When the answer turns to the verdict (check) or to readyComplete (migration). */
  readonly endMs: number;
  answer(atMs: number): { readonly ended: boolean; readonly progress: ProgressSignal; readonly key: string };
}

const CHECK_STEPS = 13;
/** A check takes 15 to 40 intervals; a migration 30 to 60 to readyComplete. */
const SPANS: Record<ScheduleKind, readonly [number, number]> = { check: [15, 40], migration: [30, 60] };

/** The n-th schedule of a seeded run. */
export function schedule(kind: ScheduleKind, seed: number, index: number, intervalMs: number): Schedule {
  const random = seededRandom((seed * 7919 + index * 104_729 + (kind === "check" ? 1 : 2)) >>> 0 || 1);
  const [shortest, longest] = SPANS[kind];
  const totalMs = Math.round(intervalMs * (shortest + (longest - shortest) * random()));
  return kind === "check" ? checkSchedule(totalMs, seed, `check-${index}`) : migrationSchedule(totalMs, seed, index);
}

function checkSchedule(totalMs: number, seed: number, key: string): Schedule {
  const ends = stepEnds(stepDurations(totalMs, CHECK_STEPS, seed, key));
  return {
    endMs: ends[ends.length - 1] ?? 0,
    answer(atMs) {
      const done = stepsDone(ends, atMs);
      return { ended: done >= CHECK_STEPS, progress: { stepsDone: done, stepsAll: CHECK_STEPS }, key: `${done}` };
    },
  };
}

/** A migration with an incremental phase: dumper, loader, sinker (its lag falling to 0), then ready. */
function migrationSchedule(totalMs: number, seed: number, index: number): Schedule {
  const durations = stepDurations(totalMs, 3, seed, `migration-${index}`);
  const plan = planOf("migrate", true, 1);
  return {
    endMs: durations.reduce((a, b) => a + b, 0),
    answer(atMs) {
      const course = progressAt(plan, durations, 0, atMs);
      const done = course.steps.filter((step) => step.state === "success").length;
      const progress: ProgressSignal = {
        stepsDone: done,
        stepsAll: durations.length,
        stepPercent: course.steps[course.stepNow - 1]?.percent ?? 0,
        ...(course.lagSeconds >= 0 ? { lagSeconds: course.lagSeconds } : {}),
      };
      return { ended: course.course === "ready", progress, key: JSON.stringify(progress) };
    },
  };
}

/** Polls one schedule from its start: the requests it took and the detection delay. */
export function pollSchedule(
  job: Schedule,
  intervalMs: number,
  maxIntervalMs: number,
): { requests: number; delayMs: number } {
  const cadence = new Cadence({ intervalMs, maxIntervalMs, deadlineAt: Number.POSITIVE_INFINITY });
  let previousKey: string | undefined;
  for (let atMs = 0, requests = 1; ; requests++) {
    const { ended, progress, key } = job.answer(atMs);
    if (ended) return { requests, delayMs: atMs - job.endMs };
    cadence.see({ at: atMs, changed: key !== previousKey, progress });
    previousKey = key;
    atMs = cadence.nextPollAt(atMs);
  }
}

export interface Figures {
  readonly requestsPerJob: number;
  readonly medianDelayMs: number;
  readonly p90DelayMs: number;
}

export interface Evaluation {
  readonly kind: ScheduleKind;
  readonly jobs: number;
  readonly adaptive: Figures;
  readonly fixed: Figures;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))] ?? 0;
}

function figures(runs: readonly { requests: number; delayMs: number }[]): Figures {
  const delays = runs.map((run) => run.delayMs).sort((a, b) => a - b);
  return {
    requestsPerJob: runs.reduce((sum, run) => sum + run.requests, 0) / runs.length,
    medianDelayMs: percentile(delays, 0.5),
    p90DelayMs: percentile(delays, 0.9),
  };
}

/** Adaptive (`--max-interval` as given) against fixed polling (`--max-interval` = `--interval`) on the same schedules. */
export function evaluate(
  kind: ScheduleKind,
  options: { seed: number; jobs: number; intervalMs: number; maxIntervalMs: number },
): Evaluation {
  const jobs = Array.from({ length: options.jobs }, (_, index) =>
    schedule(kind, options.seed, index, options.intervalMs),
  );
  return {
    kind,
    jobs: options.jobs,
    adaptive: figures(jobs.map((job) => pollSchedule(job, options.intervalMs, options.maxIntervalMs))),
    fixed: figures(jobs.map((job) => pollSchedule(job, options.intervalMs, options.intervalMs))),
  };
}
