import { clean } from "../core/text.js";
import type { JobReport } from "../core/types.js";
import { gapText, lagText, percentText, stepLabel } from "./migration-text.js";
import { type ColorName, paint, type Style } from "./paint.js";

/** Migration steps listed per job at most: an answer may hold any number. */
export const REPORT_MAX_MIGRATION_STEPS = 50;

const STEP_SYMBOLS: Record<string, { symbol: string; color: ColorName }> = {
  success: { symbol: "✓", color: "green" },
  finished: { symbol: "✓", color: "green" },
  failed: { symbol: "✗", color: "red" },
  running: { symbol: "…", color: "yellow" },
  notStarted: { symbol: "·", color: "dim" },
  skipped: { symbol: "↷", color: "dim" },
};

type Migration = NonNullable<JobReport["migration"]>;

/** The steps that failed, by name: what a closed migration's report must point at. */
export function failedSteps(migration: Migration): string[] {
  return migration.steps
    .filter((step) => step.status === "failed")
    .map((step) => {
      const name = clean(step.name);
      const label = stepLabel(step);
      return name && name !== label ? `${label} (${name})` : label;
    });
}

/** The migration's part of a job's text report: its state, its steps, and the cut-over. */
export function migrationLines(job: JobReport, style: Style): string[] {
  const lines: string[] = [];
  const migration = job.migration;
  if (migration) {
    const at = migration.stepNow === null ? "" : ` · step ${migration.stepNow} of ${migration.stepAll ?? "?"}`;
    lines.push(
      `  migration: ${clean(migration.status ?? "unknown")}${at} · ${lagText(migration.lagSeconds)} · ${gapText(migration.gapMB)}`,
    );
    const steps = migration.steps.slice(0, REPORT_MAX_MIGRATION_STEPS);
    const width = steps.reduce((widest, step) => Math.max(widest, stepLabel(step).length), 0);
    for (const [index, step] of steps.entries()) {
      const status = clean(step.status ?? "unknown");
      const { symbol, color } = STEP_SYMBOLS[status] ?? { symbol: "?", color: "yellow" };
      const name = clean(step.name);
      const label = stepLabel(step);
      const detail = name && name !== label ? `  ${paint(style, "dim", name)}` : "";
      lines.push(
        `  ${String(index + 1).padStart(2)}  ${label.padEnd(width)}  ${paint(style, color, `${symbol} ${status}`)} ${percentText(step.percent)}${detail}`,
      );
    }
    if (migration.steps.length > steps.length) {
      lines.push(`      … ${migration.steps.length - steps.length} more steps (see --output json)`);
    }
    const failed = failedSteps(migration);
    if (failed.length > 0) lines.push(`  failed at: ${failed.slice(0, 5).join(", ")}`);
  }
  if (job.closedBy) lines.push(`  closed: ${clean(job.closedBy)}`);
  if (job.complete) {
    lines.push(
      job.complete.sent
        ? `  cut-over: CompleteMigrateJob sent (RequestId ${clean(job.complete.requestId ?? "unknown: the answer was lost")})`
        : "  cut-over: CompleteMigrateJob not sent",
    );
  }
  return lines;
}
