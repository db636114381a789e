import type { JobKind } from "../core/job-kind.js";
import type { MigrationStep } from "../core/phases/migration-answer.js";
import { clean } from "../core/text.js";

/** What the progress and the report show of a migration: the fields both read. */
export interface MigrationFacts {
  readonly status: string | null;
  readonly stepNow: number | null;
  readonly stepAll: number | null;
  readonly lagSeconds: number | null;
  readonly gapMB: number | null;
  readonly steps: readonly MigrationStep[] | null;
}

/** Steps listed one by one up to this many; beyond it only the current step is named. */
const STEPS_LISTED_MAX = 6;

/** A step's short name: its id (`dumper`, `loader`, `sinker`) reads better than a translated name. */
export function stepLabel(step: MigrationStep): string {
  return clean(step.stepId || step.name || "step");
}

export function percentText(percent: number | null): string {
  return percent === null ? "?%" : `${Math.round(percent)}%`;
}

/** -1 (not valid), null or any negative value: nothing known. */
export function lagText(lagSeconds: number | null): string {
  return lagSeconds === null || lagSeconds < 0 ? "lag unknown" : `lag ${formatSeconds(lagSeconds)}`;
}

export function gapText(gapMB: number | null): string {
  return gapMB === null || gapMB < 0 ? "gap unknown" : `gap ${gapMB} MB`;
}

/** Whole seconds as `45 s`, `12 min 5 s`, `3 h 2 min`: a lag can be hours. */
export function formatSeconds(total: number): string {
  if (!Number.isFinite(total)) return `${total} s`;
  const rounded = Math.round(total);
  if (rounded < 60) return `${rounded} s`;
  const minutes = Math.floor(rounded / 60);
  if (minutes < 60) return `${minutes} min ${rounded % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The step the migration is in: the first not finished, else the last. */
export function currentStep(steps: readonly MigrationStep[]): MigrationStep | undefined {
  for (const step of steps) if (step.status !== "success" && step.status !== "finished") return step;
  return steps.at(-1);
}

/** Every step with its percent (`dumper 100% › loader 45% › sinker 0%`), or the current one of many. */
export function stepsText(steps: readonly MigrationStep[]): string {
  if (steps.length === 0) return "no steps yet";
  if (steps.length <= STEPS_LISTED_MAX) {
    return steps.map((step) => `${stepLabel(step)} ${percentText(step.percent)}`).join(" › ");
  }
  const current = currentStep(steps);
  const index = current ? steps.indexOf(current) + 1 : steps.length;
  return `step ${index} of ${steps.length}${current ? ` ${stepLabel(current)} ${percentText(current.percent)}` : ""}`;
}

/** One line of a migration's progress: phase, status, each step with its percent, lag and gap. */
export function migrationLine(phase: string, migration: MigrationFacts): string {
  return [
    phase,
    clean(migration.status ?? "unknown"),
    stepsText(migration.steps ?? []),
    lagText(migration.lagSeconds),
    gapText(migration.gapMB),
  ].join(" · ");
}

/**
 * What makes a new line in a log: the phase, the status, the current step and each quarter of its
 * percent. The lag and the exact percent change at every poll: the heartbeat tells them.
 */
export function migrationChangeKey(phase: string, migration: MigrationFacts): string {
  const steps = migration.steps ?? [];
  const current = currentStep(steps);
  const quarter = current?.percent === null || current === undefined ? "?" : Math.floor(current.percent / 25);
  return [phase, migration.status, current ? stepLabel(current) : "", current?.status, quarter].join("|");
}

/** What a start did, in the words of the job's kind: a data sync job is started, not migrated. */
export function startedWords(kind: JobKind | undefined): string {
  return kind === "sync" ? "sync started" : "migration started";
}
