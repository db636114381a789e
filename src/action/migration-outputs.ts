import type { GateResult } from "../core/types.js";

/** The Action's outputs about the migration, as the strings a workflow reads. */
export interface MigrationOutputs {
  /** Every job ready to cut over or done. */
  readonly ready: "true" | "false";
  /** Every job cut over (CompleteMigrateJob sent) and its migration `success`. */
  readonly completed: "true" | "false";
  /** The largest lag among the jobs' last answers, in seconds; empty when none was known. */
  readonly "lag-seconds": string;
}

/** What a run that never started (a configuration error) says. */
export const NO_MIGRATION_OUTPUTS: MigrationOutputs = { ready: "false", completed: "false", "lag-seconds": "" };

export function migrationOutputs(result: GateResult): MigrationOutputs {
  const { jobs } = result;
  const all = (test: (job: GateResult["jobs"][number]) => boolean) => jobs.length > 0 && jobs.every(test);
  let largest: number | undefined;
  for (const job of jobs) {
    const lag = job.migration?.lagSeconds;
    // -1 (not valid) and null say nothing of the lag.
    if (typeof lag === "number" && Number.isFinite(lag) && lag >= 0) largest = Math.max(largest ?? lag, lag);
  }
  return {
    ready: all((job) => job.outcome === "ready" || job.outcome === "done") ? "true" : "false",
    completed: all(
      (job) => job.complete?.sent === true && job.outcome === "done" && job.migration?.status === "success",
    )
      ? "true"
      : "false",
    "lag-seconds": largest === undefined ? "" : String(largest),
  };
}
