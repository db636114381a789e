import { clean } from "../core/text.js";
import type { JobReport } from "../core/types.js";
import type { TestCase } from "./junit-case.js";
import { gapText, lagText, percentText, stepLabel } from "./migration-text.js";

type Migration = NonNullable<JobReport["migration"]>;
type MigrationStep = Migration["steps"][number];

/** The job reached what was asked of its migration. */
function reached(job: JobReport): boolean {
  return job.outcome === "ready" || job.outcome === "done";
}

function stepCase(job: JobReport, step: MigrationStep, index: number): TestCase {
  const name = `migration ${index + 1} ${stepLabel(step)}`;
  const status = clean(step.status ?? "unknown");
  const percent = percentText(step.percent);
  const named = clean(step.name);
  const systemOut = named && named !== stepLabel(step) ? { systemOut: named } : {};
  if (status === "success" || status === "finished") return { name, result: { kind: "passed" }, ...systemOut };
  if (status === "failed") {
    const message = job.closedBy ? clean(job.closedBy) : `the step failed at ${percent}`;
    return { name, result: { kind: "failure", type: "failed", message, text: message }, ...systemOut };
  }
  // The incremental step runs until the cut-over: running is where a ready migration is.
  if (status === "running" && reached(job)) return { name, result: { kind: "passed" }, ...systemOut };
  return {
    name,
    result: { kind: "skipped", message: `step not finished: status ${status}, ${percent}` },
    ...systemOut,
  };
}

/** The readiness condition: the lag and the gap within bounds, held for the settle time. */
function lagCase(job: JobReport, migration: Migration): TestCase {
  const name = "lag and gap";
  const seen = `last seen: ${clean(migration.status ?? "unknown")}, ${lagText(migration.lagSeconds)}, ${gapText(migration.gapMB)}`;
  if (reached(job)) return { name, result: { kind: "passed" }, systemOut: seen };
  if (job.outcome === "timeout") {
    const message = `not ready to cut over before the timeout (${seen})`;
    return { name, result: { kind: "failure", type: "notReady", message, text: message } };
  }
  return { name, result: { kind: "skipped", message: `not reached: the job ended ${job.outcome} (${seen})` } };
}

/** The cut-over: CompleteMigrateJob sent, then the migration done. */
function cutOverCase(job: JobReport, complete: NonNullable<JobReport["complete"]>): TestCase {
  const name = "cut-over";
  const code = job.error?.code;
  if (code === "CompleteOutcomeUnknown" || code === "CompleteNotSent") {
    const message = `${clean(code)}: ${clean(job.error?.message)}`;
    return { name, result: { kind: "error", type: clean(code), message, text: message } };
  }
  if (!complete.sent) {
    return { name, result: { kind: "skipped", message: "CompleteMigrateJob not sent: not every job was ready" } };
  }
  const receipt = `CompleteMigrateJob sent (RequestId ${clean(complete.requestId ?? "unknown")})`;
  if (job.outcome === "done") return { name, result: { kind: "passed" }, systemOut: receipt };
  const message = `${receipt}, but the migration ended ${job.outcome}${job.closedBy ? `: ${clean(job.closedBy)}` : ""}`;
  return { name, result: { kind: "failure", type: job.outcome, message, text: message } };
}

/**
 * A job's migration as test cases: one per migration step (bounded by the caller, as the check's),
 * then the lag condition when the migration was watched, and the cut-over when it was asked for.
 */
export function migrationCases(job: JobReport): { steps: TestCase[]; conditions: TestCase[] } {
  const migration = job.migration;
  const steps = migration ? migration.steps.map((step, index) => stepCase(job, step, index)) : [];
  const conditions: TestCase[] = [];
  if (migration) conditions.push(lagCase(job, migration));
  if (job.complete) conditions.push(cutOverCase(job, job.complete));
  return { steps, conditions };
}
