import { seconds } from "../core/reason.js";
import { clean, plural } from "../core/text.js";
import type { GateResult, JobReport } from "../core/types.js";
import type { Outcome } from "../core/verdict.js";
import { keepAtMost } from "../output/cap.js";
import { compareMarkdown } from "../output/compare-lines.js";
import { type LagPoint, lagChart } from "../output/lag-chart.js";
import { gapText, lagText, percentText } from "../output/migration-text.js";
import { helpLinks, itemsToReview, outcomeLabel, stepView } from "../output/report.js";
import { CUT_MARK } from "../output/safe-output.js";
import type { CheckStep, CheckStepDetail } from "../tencent/types.js";

/** GitHub drops a step summary over 1 MiB (1,048,576 bytes of UTF-8); stay below it. */
export const SUMMARY_MAX_BYTES = 1_000_000;
/** Rows of the steps table and items expanded per job: the failures first, the rest counted. */
export const SUMMARY_MAX_STEPS = 300;
export const SUMMARY_MAX_ITEMS = 50;
/** One field of API text, in characters before escaping. */
const FIELD_MAX = 2000;

/**
 * Characters that mean something to GitHub's Markdown or to HTML (`|` splits a table cell, `$`
 * starts math, `@` mentions, `:` makes `https://…` a link and `:rocket:` an emoji): each becomes a
 * numeric character reference, which renders as the character itself and never as syntax.
 */
const SPECIAL = /[&<>"'`|*_~#$@:[\]\\-]/g;

/** API text as inert Markdown/HTML text: one line, bounded, every special character escaped. */
export function escapeText(text: string | null | undefined): string {
  const line = clean(text);
  const bounded = line.length > FIELD_MAX ? `${line.slice(0, FIELD_MAX - 1)}${CUT_MARK}` : line;
  return bounded.replace(SPECIAL, (char) => `&#${char.charCodeAt(0)};`);
}

/** An http(s) link as an anchor; anything else as plain text. */
function link(raw: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw.trim());
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) return escapeText(raw);
  return `<a href="${escapeText(url.href)}">${escapeText(url.href)}</a>`;
}

const OUTCOME_ICONS: Record<Outcome, string> = {
  pass: "✅",
  notPass: "❌",
  failed: "❌",
  timeout: "⏱️",
  error: "⛔",
  cancelled: "⏹️",
  ready: "✅",
  done: "✅",
  different: "❌",
};

function itemBlock(step: string, skipped: boolean, item: CheckStepDetail): string[] {
  const failed = item.CheckResult === "failed";
  const icon = skipped ? "↷" : failed ? "❌" : "⚠️";
  const result = skipped ? `${escapeText(item.CheckResult)}, skipped` : escapeText(item.CheckResult);
  const name = clean(item.CheckItemName ?? step);
  const where = name === step ? "" : ` · step: ${escapeText(step)}`;
  const lines = ["<details>", `<summary>${icon} <b>${escapeText(name)}</b> (${result})${where}</summary>`, ""];
  if (skipped) lines.push("_This step was skipped on purpose: it does not count towards the verdict._", "");
  if (item.Description) lines.push(`**Check:** ${escapeText(item.Description)}`, "");
  if (item.FailureReason) lines.push(`**Reason:** ${escapeText(item.FailureReason)}`, "");
  if (item.Solution) lines.push(`**Solution:** ${escapeText(item.Solution)}`, "");
  const logs = (item.ErrorLog ?? []).filter((log) => log.trim() !== "");
  if (logs.length > 0) {
    lines.push("**Error log:**", "");
    for (const log of logs) lines.push(`> ${escapeText(log)}`, ">");
    lines.pop();
    lines.push("");
  }
  const links = helpLinks(item);
  if (links.length > 0) lines.push(`**Help:** ${links.map(link).join(" · ")}`, "");
  lines.push("</details>", "");
  return lines;
}

function stepsTable(steps: readonly CheckStep[]): string[] {
  if (steps.length === 0) return [];
  const { kept, leftOut } = keepAtMost(steps, SUMMARY_MAX_STEPS, (step) => stepView(step).status !== "pass");
  const lines = ["| # | Step | Id | Status |", "| ---: | --- | --- | --- |"];
  for (const step of kept) {
    const view = stepView(step);
    const message = step.StepMessage?.trim() ? ` — ${escapeText(step.StepMessage)}` : "";
    lines.push(
      `| ${escapeText(view.no)} | ${escapeText(view.name)} | ${escapeText(step.StepId ?? "")} | ${view.symbol} ${escapeText(view.status)}${message} |`,
    );
  }
  lines.push("");
  if (leftOut.length > 0) {
    const failed = leftOut.filter((step) => stepView(step).status === "failed").length;
    const passed = leftOut.filter((step) => stepView(step).status === "pass").length;
    lines.push(
      `_${plural(leftOut.length, "more step")} not shown (${failed} failed, ${passed} passed, ${leftOut.length - failed - passed} other): see the \`result\` output._`,
      "",
    );
  }
  return lines;
}

function itemBlocks(steps: readonly CheckStep[]): string[] {
  const items = itemsToReview(steps);
  if (items.length === 0) return [];
  const { kept, leftOut } = keepAtMost(items, SUMMARY_MAX_ITEMS, ({ item }) => item.CheckResult === "failed");
  const lines = [`**${plural(items.length, "item")} to review:**`, ""];
  for (const { step, skipped, item } of kept) lines.push(...itemBlock(step, skipped, item));
  if (leftOut.length > 0)
    lines.push(`_${plural(leftOut.length, "more item")} not shown: see the \`result\` output._`, "");
  return lines;
}

/** The migration's part of a job's block: its state, its steps, why it closed, the cut-over, the lag chart. */
function migrationBlock(job: JobReport, lag: readonly LagPoint[], compact: boolean): string[] {
  const lines: string[] = [];
  const migration = job.migration;
  if (migration) {
    const at = migration.stepNow === null ? "" : ` · step ${migration.stepNow} of ${migration.stepAll ?? "?"}`;
    lines.push(
      `**Migration:** Status **${escapeText(migration.status ?? "—")}**${at} · ${escapeText(lagText(migration.lagSeconds))} · ${escapeText(gapText(migration.gapMB))}`,
      "",
    );
    if (!compact && migration.steps.length > 0) {
      const { kept, leftOut } = keepAtMost(migration.steps, SUMMARY_MAX_STEPS, (step) => step.status === "failed");
      lines.push("| # | Step | Name | Status | Percent |", "| ---: | --- | --- | --- | ---: |");
      for (const step of kept) {
        const no = migration.steps.indexOf(step) + 1;
        lines.push(
          `| ${no} | ${escapeText(step.stepId ?? "")} | ${escapeText(step.name ?? "")} | ${escapeText(step.status ?? "—")} | ${escapeText(percentText(step.percent))} |`,
        );
      }
      lines.push("");
      if (leftOut.length > 0)
        lines.push(`_${plural(leftOut.length, "more step")} not shown: see the \`result\` output._`, "");
    }
  }
  if (job.closedBy) lines.push(`**Closed:** ${escapeText(job.closedBy)}`, "");
  if (job.complete) {
    const sent = job.complete.sent
      ? `CompleteMigrateJob sent (RequestId ${escapeText(job.complete.requestId ?? "unknown: the answer was lost")})`
      : "CompleteMigrateJob not sent";
    lines.push(`**Cut-over:** ${sent}.`, "");
  }
  const chart = compact ? undefined : lagChart(job.jobId, lag);
  if (chart) lines.push(chart, "");
  return lines;
}

/** A job's block; `compact` leaves out its steps and items, for when they do not fit. */
function jobBlock(job: JobReport, failOnWarning: boolean, lag: readonly LagPoint[], compact = false): string[] {
  const { label } = outcomeLabel(job, failOnWarning);
  const warned = job.outcome === "pass" && job.warnings.length > 0;
  const icon = warned ? "⚠️" : OUTCOME_ICONS[job.outcome];
  const count = warned && !failOnWarning ? ` with ${plural(job.warnings.length, "warning")}` : "";
  const lines = [`### ${icon} ${job.jobId}: ${label}${count}`, ""];
  const facts = [
    `Status **${job.status === null ? "—" : escapeText(job.status)}**`,
    `CheckFlag **${job.checkFlag ? escapeText(job.checkFlag) : "—"}**`,
    plural(job.polls, "poll"),
    seconds(job.elapsedMs),
  ];
  lines.push(facts.join(" · "), "");
  if (job.briefMsg) lines.push(`**BriefMsg:** ${escapeText(job.briefMsg)}`, "");
  if (job.error) lines.push(`**Error:** ${escapeText(job.error.code)}: ${escapeText(job.error.message)}`, "");
  if (job.outcome === "timeout") {
    const what = job.migration ? "the migration had not reached what was asked" : "the check was still running";
    lines.push(`No verdict before the timeout: ${what}.`, "");
  }
  if (job.created) lines.push(`Check created (RequestId ${escapeText(job.created.requestId)}).`, "");
  for (const note of job.notes) lines.push(`_Note: ${escapeText(note)}_`, "");
  const steps = job.stepInfo ?? [];
  if (compact) lines.push("_Steps and items not shown (the summary has a size limit): see the `result` output._", "");
  else lines.push(...stepsTable(steps), ...itemBlocks(steps));
  if (job.started) lines.push(`🚀 Migration started (RequestId ${escapeText(job.started.requestId)}).`, "");
  lines.push(...migrationBlock(job, lag, compact));
  lines.push(...compareMarkdown(job, escapeText));
  return lines;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * The job summary: the verdict, then per job its facts, a table of the check steps, every failed
 * or warning item expanded, and the migration's steps, cut-over and lag chart (from `lagOf`). Pure; all API text is escaped; at most `maxBytes` of UTF-8.
 */
export function renderSummary(
  result: GateResult,
  maxBytes = SUMMARY_MAX_BYTES,
  lagOf: (jobId: string) => readonly LagPoint[] = () => [],
): string {
  const icon = result.passed ? "✅" : "❌";
  const what = result.jobs.some((job) => job.migration) ? "DTS migration" : "DTS pre-migration check";
  const head = [
    `## ${icon} ${what}: ${result.passed ? "gate open" : "gate closed"}`,
    "",
    `> ${escapeText(result.reason)}`,
    "",
  ].join("\n");
  const parts = [head];
  let size = bytes(head);
  // Room is kept for the line that says what was left out.
  const fits = (block: string) => size + bytes(block) <= maxBytes - 200;
  for (const [index, job] of result.jobs.entries()) {
    const lag = lagOf(job.jobId);
    let block = `\n${jobBlock(job, result.failOnWarning, lag).join("\n")}\n`;
    if (!fits(block)) block = `\n${jobBlock(job, result.failOnWarning, lag, true).join("\n")}\n`;
    if (!fits(block)) {
      const rest = result.jobs.length - index;
      parts.push(
        `\n_${plural(rest, "more job")} not shown here (the summary has a size limit): see the \`result\` output._\n`,
      );
      break;
    }
    parts.push(block);
    size += bytes(block);
  }
  return parts.join("");
}
