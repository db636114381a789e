import { ONCE_RULES, UNKNOWN_FIRST } from "./once-actions.js";
import { SELF_HEALING_STATUSES } from "./phases/migration-verdict.js";
import { plural } from "./text.js";
import type { JobReport } from "./types.js";
import { EXIT_CODES, type Outcome } from "./verdict.js";

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The reason names a few jobs, not hundreds: the report above lists them all. */
const NAMED_IN_REASON = 5;

/** "a, b, c", or "a, b, c, d, e and 495 more". */
function some(names: readonly string[]): string {
  if (names.length <= NAMED_IN_REASON) return names.join(", ");
  return `${names.slice(0, NAMED_IN_REASON).join(", ")} and ${names.length - NAMED_IN_REASON} more`;
}

/** A lag or gap as sent: -1 (not valid), null or a negative value is unknown. */
function amount(name: string, value: number | null, unit: string): string {
  return value === null || value < 0 ? `${name} unknown` : `${name} ${value} ${unit}`;
}

/** One sentence: why the gate opened or closed (the last line of every report). */
export function reasonFor(
  jobs: readonly JobReport[],
  exitCode: number,
  failOnWarning: boolean,
  interrupted: boolean,
): string {
  // An action that changes the job and was sent is told first, whatever else happened: someone must look at that job.
  const startedJobs = jobs.filter((job) => job.started !== null);
  const started = startedJobs.map((job) => job.jobId);
  // A data sync job is started too, but it is no migration: "migration", "sync", or both unnamed.
  const syncs = startedJobs.filter((job) => job.kind === "sync").length;
  const what = syncs === 0 ? "migration " : syncs === startedJobs.length ? "sync " : "";
  const alsoStarted = started.length > 0 ? `; the ${what || "job "}was started for ${some(started)}` : "";
  for (const action of UNKNOWN_FIRST) {
    const { unknownCode, unknownReason, kind } = ONCE_RULES[action];
    // A migration's and a sync job's start share their code: the job's kind tells which was sent.
    const unknown = jobs
      .filter((job) => job.error?.code === unknownCode && (job.kind ?? "migration") === kind)
      .map((job) => job.jobId);
    if (unknown.length > 0 && unknownReason) return `${unknownReason(some(unknown))}${alsoStarted}`;
  }
  if (interrupted) return `gate closed: interrupted before every check had a verdict${alsoStarted}`;
  const byOutcome = (outcome: Outcome) => jobs.filter((job) => job.outcome === outcome).map((job) => job.jobId);
  const errors = jobs.filter((job) => job.outcome === "error");
  if (errors.length > 0) {
    const first = errors[0];
    return `gate closed: ${some(errors.map((job) => job.jobId))} ended in an error${first?.error ? ` (${first.error.code}: ${first.error.message})` : ""}${alsoStarted}`;
  }
  const timedOut = byOutcome("timeout");
  if (timedOut.length > 0) {
    const waitedMs = jobs.reduce(
      (longest, job) => (job.outcome === "timeout" ? Math.max(longest, job.elapsedMs) : longest),
      0,
    );
    // What a migration was last seen doing is what the wait was spent on: a status DTS is retrying
    // on its own, or a lag or gap that never came down.
    const healing = jobs.flatMap((job) => {
      const migration = job.outcome === "timeout" ? job.migration : undefined;
      if (!migration) return [];
      const status = migration.status ?? "unknown";
      const retrying = SELF_HEALING_STATUSES.has(status) ? " (DTS retries it on its own)" : "";
      return [
        `${job.jobId} ${status}${retrying}, ${amount("lag", migration.lagSeconds, "s")}, ${amount("gap", migration.gapMB, "MB")}`,
      ];
    });
    const what = jobs.some((job) => job.outcome === "timeout" && job.migration) ? "the migration" : "the check";
    return `gate closed: no verdict before the timeout for ${some(timedOut)} (waited ${seconds(waitedMs)}, the last poll at the timeout${
      healing.length > 0 ? `; last seen: ${some(healing)}` : ""
    }): give ${what} more time with a longer --timeout`;
  }
  const notPassed = byOutcome("notPass");
  const failed = jobs.filter((job) => job.outcome === "failed" && job.closedBy === undefined).map((job) => job.jobId);
  const closedBy = jobs.flatMap((job) =>
    (job.outcome === "failed" || job.outcome === "different") && job.closedBy ? [job.closedBy] : [],
  );
  if (notPassed.length + failed.length + closedBy.length > 0) {
    const parts = [
      ...closedBy.slice(0, NAMED_IN_REASON),
      ...(notPassed.length > 0 ? [`${some(notPassed)} did not pass the check`] : []),
      ...(failed.length > 0 ? [`the check task of ${some(failed)} failed`] : []),
    ];
    return `gate closed: ${parts.join("; ")}`;
  }
  const warned = jobs.filter((job) => job.warnings.length > 0);
  if (exitCode === EXIT_CODES.closed && failOnWarning) {
    return `gate closed: --fail-on-warning and ${some(warned.map((job) => `${job.jobId} has ${plural(job.warnings.length, "warning")}`))}`;
  }
  const warningNote =
    warned.length > 0
      ? ` (${plural(
          warned.reduce((sum, job) => sum + job.warnings.length, 0),
          "warning",
        )} to review)`
      : "";
  const reached = jobs.every((job) => job.outcome === "done")
    ? `${jobs.length === 1 ? "the migration is" : `all ${jobs.length} migrations are`} done`
    : jobs.every((job) => job.outcome === "ready" || job.outcome === "done")
      ? readyWords(jobs)
      : jobs.length === 1
        ? "the check passed"
        : `all ${jobs.length} checks passed`;
  const compared = jobs.filter((job) => job.compare?.conclusion === "same").length;
  const same = compared > 0 ? `; the data is the same (${plural(compared, "consistency check")})` : "";
  return `gate open: ${reached}${same}${warningNote}${
    started.length > 0 ? `; ${what}started for ${plural(started.length, "job")}` : ""
  }`;
}

/** "the migration is ready to cut over", "the sync job is ready", "all 3 jobs are ready". */
function readyWords(jobs: readonly JobReport[]): string {
  const migrations = jobs.every((job) => (job.kind ?? "migration") === "migration");
  if (jobs.length > 1)
    return `all ${jobs.length} ${migrations ? "migrations are ready to cut over" : "jobs are ready"}`;
  return migrations ? "the migration is ready to cut over" : "the sync job is ready";
}
