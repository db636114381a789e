import { seconds } from "../core/reason.js";
import { clean, plural } from "../core/text.js";
import type { GateResult, JobReport } from "../core/types.js";
import type { Outcome } from "../core/verdict.js";
import type { CheckStep, CheckStepDetail } from "../tencent/types.js";
import { compareLines } from "./compare-lines.js";
import { migrationLines } from "./migration-report.js";
import { startedWords } from "./migration-text.js";
import { type ColorName, paint, type Style } from "./paint.js";

export { type ColorName, paint, type Style } from "./paint.js";

/** The `--output json` document (and the Action's `result` output). */
export function toJsonDocument(result: GateResult) {
  return {
    passed: result.passed,
    reason: result.reason,
    jobs: result.jobs.map((job) => ({
      jobId: job.jobId,
      outcome: job.outcome,
      status: job.status,
      checkFlag: job.checkFlag,
      briefMsg: job.briefMsg,
      stepInfo: job.stepInfo,
      requestId: job.requestId,
      polls: job.polls,
      requests: job.requests,
      elapsedMs: job.elapsedMs,
      warnings: job.warnings,
      created: job.created,
      started: job.started,
      startRequests: job.startRequests,
      notes: job.notes,
      ...(job.kind ? { kind: job.kind } : {}),
      ...(job.phase ? { phase: job.phase } : {}),
      ...(job.migration ? { migration: job.migration } : {}),
      ...(job.complete ? { complete: job.complete } : {}),
      ...(job.compare ? { compare: job.compare } : {}),
      ...(job.error ? { error: job.error } : {}),
    })),
  };
}

/** Step names are padded to the longest, up to this. */
const MAX_NAME_WIDTH = 60;

/**
 * The document of a run that never started (exit 2): the same shape as any run's, so that a pipeline
 * reading `--output json` or the Action's `result` always gets one JSON document.
 */
export function usageErrorDocument(message: string) {
  // The message may quote a file path or a value from the environment.
  const text = clean(message);
  return { passed: false, reason: text, error: { code: "UsageError", message: text }, jobs: [] };
}

export const OUTCOME_LABELS: Record<Outcome, { label: string; color: ColorName }> = {
  pass: { label: "PASSED", color: "green" },
  notPass: { label: "NOT PASSED", color: "red" },
  failed: { label: "CHECK FAILED", color: "red" },
  timeout: { label: "TIMED OUT", color: "yellow" },
  error: { label: "ERROR", color: "red" },
  cancelled: { label: "CANCELLED", color: "dim" },
  ready: { label: "READY", color: "green" },
  done: { label: "DONE", color: "green" },
  different: { label: "DATA DIFFERENT", color: "red" },
};

/** Outcomes of a job that reached what was asked. */
const OPEN_OUTCOMES: ReadonlySet<Outcome> = new Set(["pass", "ready", "done"]);

/** A pass that closes the gate: its warnings decided it, under --fail-on-warning. */
export const WARNINGS_CLOSED_LABEL = "PASSED WITH WARNINGS, GATE CLOSED (--fail-on-warning)";

/**
 * How a job's outcome is shown: what decided it. An interruption is what it is, not an ERROR; a
 * pass with warnings under --fail-on-warning is not shown as a plain PASSED, as it closed the gate.
 */
export function outcomeLabel(
  job: Pick<JobReport, "outcome" | "error" | "warnings" | "closedBy" | "migration">,
  failOnWarning: boolean,
): { label: string; color: ColorName } {
  if (job.outcome === "error" && job.error?.code === "Interrupted") return { label: "INTERRUPTED", color: "yellow" };
  if (job.outcome === "pass" && failOnWarning && job.warnings.length > 0) {
    return { label: WARNINGS_CLOSED_LABEL, color: "red" };
  }
  // The migration, not the check, closed the gate: say in which state.
  if (job.outcome === "failed" && job.closedBy && job.migration) {
    return { label: `GATE CLOSED: MIGRATION ${clean(job.migration.status ?? "unknown")}`, color: "red" };
  }
  return OUTCOME_LABELS[job.outcome];
}

export interface StepView {
  readonly no: string;
  readonly name: string;
  /** pass, failed, warning, skipped, notStarted, …: skipped replaces a failure the user skipped. */
  readonly status: string;
  readonly symbol: string;
}

const SYMBOLS: Record<string, string> = {
  pass: "✓",
  failed: "✗",
  warning: "!",
  skipped: "↷",
  notStarted: "·",
  blocked: "■",
};

export function stepView(step: CheckStep): StepView {
  const raw = step.StepStatus ?? "unknown";
  const status = step.HasSkipped && raw !== "pass" ? "skipped" : raw;
  return {
    no: step.StepNo === null ? "?" : String(step.StepNo),
    name: clean(step.StepName ?? step.StepId ?? "step"),
    status,
    symbol: SYMBOLS[status] ?? "?",
  };
}

export interface ItemView {
  readonly step: string;
  readonly skipped: boolean;
  readonly item: CheckStepDetail;
}

/** Failed and warning items, with the step they belong to: what a user has to read. */
export function itemsToReview(steps: readonly CheckStep[] | null): ItemView[] {
  const views: ItemView[] = [];
  for (const step of steps ?? []) {
    for (const item of step.DetailCheckItems ?? []) {
      if (item.CheckResult === "failed" || item.CheckResult === "warning") {
        views.push({ step: clean(step.StepName ?? step.StepId), skipped: step.HasSkipped === true, item });
      }
    }
  }
  return views;
}

/** Links worth printing: HelpDoc entries that are not blank. */
export function helpLinks(item: CheckStepDetail): string[] {
  return (item.HelpDoc ?? []).map(clean).filter((link) => link.trim() !== "");
}

function jobHeader(job: JobReport, style: Style, failOnWarning: boolean): string {
  const { label, color } = outcomeLabel(job, failOnWarning);
  const facts = [
    job.status === null ? "status —" : `status ${clean(job.status)}`,
    job.checkFlag ? clean(job.checkFlag) : undefined,
    plural(job.polls, "poll"),
    seconds(job.elapsedMs),
  ].filter(Boolean);
  return `${paint(style, "bold", job.jobId)}  ${paint(style, color, label)}  ${paint(style, "dim", facts.join(" · "))}`;
}

function renderJob(job: JobReport, style: Style, failOnWarning: boolean): string[] {
  const lines = [jobHeader(job, style, failOnWarning)];
  if (job.briefMsg) lines.push(`  ${clean(job.briefMsg)}`);
  if (job.error) lines.push(`  error: ${clean(job.error.code)}: ${clean(job.error.message)}`);
  if (job.created) lines.push(`  check created (RequestId ${clean(job.created.requestId)})`);
  for (const note of job.notes) lines.push(`  note: ${clean(note)}`);
  const steps = job.stepInfo ?? [];
  if (steps.length > 0) {
    const views = steps.map(stepView);
    // A loop, not Math.max(...): an answer may hold hundreds of thousands of steps. Capped, so one
    // long name does not pad every line.
    const width = Math.min(
      views.reduce((widest, view) => Math.max(widest, view.name.length), 0),
      MAX_NAME_WIDTH,
    );
    for (const view of views) {
      const statusColor: ColorName =
        view.status === "pass"
          ? "green"
          : view.status === "failed"
            ? "red"
            : view.status === "notStarted"
              ? "dim"
              : "yellow";
      lines.push(
        `  ${view.no.padStart(2)}  ${view.name.padEnd(width)}  ${paint(style, statusColor, `${view.symbol} ${view.status}`)}`,
      );
    }
  }
  lines.push(...itemLines(itemsToReview(steps)));
  if (job.warnings.length > 0 && job.outcome === "pass") {
    lines.push(`  ${plural(job.warnings.length, "warning")}: ${job.warnings.map((w) => clean(w.itemName)).join(", ")}`);
  }
  if (job.started) lines.push(`  ${startedWords(job.kind)} (RequestId ${clean(job.started.requestId)})`);
  lines.push(...migrationLines(job, style));
  lines.push(...compareLines(job));
  return lines;
}

function itemLines(items: readonly ItemView[]): string[] {
  const lines: string[] = [];
  for (const { step, skipped, item } of items) {
    const result = skipped ? "skipped" : clean(item.CheckResult);
    const name = clean(item.CheckItemName ?? step);
    const where = name === step ? "" : ` (${step})`;
    lines.push(`  ${item.CheckResult === "failed" && !skipped ? "✗" : "!"} ${name}${where}: ${result}`);
    if (item.FailureReason) lines.push(`      reason:   ${clean(item.FailureReason)}`);
    if (item.Solution) lines.push(`      solution: ${clean(item.Solution)}`);
    for (const log of item.ErrorLog ?? []) if (log.trim()) lines.push(`      log:      ${clean(log)}`);
    for (const link of helpLinks(item)) lines.push(`      help:     ${link}`);
  }
  return lines;
}

/** The human report printed at the end of `wait`: every job, then the one-line verdict. */
export function renderReport(result: GateResult, style: Style): string {
  const blocks = result.jobs.map((job) => renderJob(job, style, result.failOnWarning).join("\n"));
  const verdict = paint(style, result.passed ? "green" : "red", result.reason);
  return `${blocks.join("\n\n")}\n\n${verdict}\n`;
}

/**
 * The report of `--quiet`: the jobs that closed the gate, each with its error and what failed in
 * it (its warnings, when they closed it), then the one-line verdict.
 */
export function renderFailures(result: GateResult, style: Style): string {
  const blocks: string[] = [];
  for (const job of result.jobs) {
    const closedByWarnings = result.failOnWarning && job.outcome === "pass" && job.warnings.length > 0;
    // A job that reached what was asked (passed, ready or done) did not close the gate.
    if (OPEN_OUTCOMES.has(job.outcome) && !closedByWarnings) continue;
    const lines = [jobHeader(job, style, result.failOnWarning)];
    if (job.error) lines.push(`  error: ${clean(job.error.code)}: ${clean(job.error.message)}`);
    const wanted = closedByWarnings ? "warning" : "failed";
    const items = itemsToReview(job.stepInfo ?? []).filter(
      ({ skipped, item }) => !skipped && item.CheckResult === wanted,
    );
    lines.push(...itemLines(items), ...compareLines(job));
    // A migration that closed the gate: its state, its steps, and why.
    if (!OPEN_OUTCOMES.has(job.outcome)) lines.push(...migrationLines(job, style));
    blocks.push(lines.join("\n"));
  }
  const verdict = paint(style, result.passed ? "green" : "red", result.reason);
  return blocks.length > 0 ? `${blocks.join("\n\n")}\n\n${verdict}\n` : `${verdict}\n`;
}
