import { compareJob, judgeCompareTask } from "./compare-stage.js";
import { compareTargetOf } from "./job-kind.js";
import type { JobRecord } from "./job-record.js";
import { checkPhase } from "./phases/check.js";
import { DEFAULT_SETTLE_MS, migratePhase } from "./phases/migrate.js";
import { syncRunPhase } from "./phases/sync-run.js";
import type { StageRun } from "./stage-run.js";

/**
 * Every job through the stages its kind has and the run asks for. A consistency check given by its
 * id is judged as it is, beside the rest. Migration and sync jobs go stage by stage, each stage for
 * every job before the next (starting, comparing and completing only while the gate can open): the
 * check (re-created with --create-check), the start (--start), the wait until ready or done
 * (--until), the consistency check (--compare), the cut-over (--complete).
 */
export async function runStages(run: StageRun): Promise<void> {
  const tasks = run.records.filter((record) => record.kind === "compare");
  const jobs = run.records.filter((record) => record.kind !== "compare");
  await Promise.all([
    run.eachJob(async (record) => {
      const target = compareTargetOf(record.jobId);
      if (target) await judgeCompareTask(run, record, target, "pass");
    }, tasks),
    jobs.length > 0 ? jobStages(run, jobs) : undefined,
  ]);
}

async function jobStages(run: StageRun, jobs: readonly JobRecord[]): Promise<void> {
  const { options } = run;
  const asked = options.complete ? "done" : (options.until ?? "check");
  // A consistency check needs a job that is ready.
  const until = options.compare && asked === "check" ? "ready" : asked;
  // Without --start (or --create-check), a later stage only watches a job already under way.
  if (until === "check" || options.start || options.createCheck) {
    await run.eachJob((record) => checkJob(run, record), jobs);
    // Starting is not idempotent: each job once, and only when every job passed.
    if (options.start && run.allOpen()) await run.eachJob((record) => run.sendOnce(record, record.actions.start), jobs);
  }
  if (until === "check" || !run.allOpen()) return;
  const comparedFirst = options.compare === true || options.complete === true;
  await run.eachJob((record) => runJob(run, record, comparedFirst ? "ready" : until), jobs);
  if (options.compare) {
    if (!run.allOpen()) return;
    await run.eachJob((record) => compareJob(run, record), jobs);
  }
  if (options.complete) await completeJobs(run, jobs);
  else if (comparedFirst && until === "done" && run.allOpen()) {
    await run.eachJob(async (record) => {
      if (record.outcome === "ready") await runJob(run, record, "done");
    }, jobs);
  }
}

/** One job's check: (re)created when asked, then polled to a verdict. */
async function checkJob(run: StageRun, record: JobRecord): Promise<void> {
  const { options, deps } = run;
  if (!options.createCheck || (await run.sendOnce(record, record.actions.createCheck))) {
    const phase = checkPhase(
      record,
      {
        newCheck: options.createCheck,
        ...(options.staleGraceMs === undefined ? {} : { staleGraceMs: options.staleGraceMs }),
      },
      deps.clock.now(),
    );
    await run.waitThrough(record, phase);
  }
  run.concluded(record);
}

/** One migration to ready or done, or one sync job to ready (a sync job runs until stopped). */
async function runJob(
  run: StageRun,
  record: JobRecord,
  target: "ready" | "done",
  startedByGate = run.options.start,
): Promise<void> {
  const { options } = run;
  const limits = {
    maxLagSeconds: (options.maxLagMs ?? 0) / 1000,
    maxGapMB: options.maxGapMB ?? 0,
    settleMs: options.settleMs ?? DEFAULT_SETTLE_MS,
    startedByGate,
  };
  const phase =
    record.kind === "sync"
      ? syncRunPhase(record, limits)
      : migratePhase(record, {
          ...limits,
          name: record.sent("CompleteMigrateJob").receipt ? "complete" : "migrate",
          target,
        });
  await run.waitThrough(record, phase);
  run.concluded(record);
}

/** CompleteMigrateJob for each job once every job is ready (never after any closed the gate), then on to done. */
async function completeJobs(run: StageRun, jobs: readonly JobRecord[]): Promise<void> {
  const migrations = jobs.filter((record) => record.kind === "migration");
  for (const record of migrations) record.completeAsked = true;
  if (!run.allOpen()) return;
  await run.eachJob(async (record) => {
    // A migration without an incremental phase is done without a cut-over.
    if (record.outcome !== "ready") return;
    if (await run.sendOnce(record, "CompleteMigrateJob")) await runJob(run, record, "done", true);
  }, migrations);
}
