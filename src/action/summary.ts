import { clean, plural } from "../core/text.js";
import type { GateResult, JobReport } from "../core/types.js";
import type { Outcome } from "../core/verdict.js";
import { helpLinks, itemsToReview, outcomeLabel, stepView } from "../output/report.js";
import type { CheckStepDetail } from "../tencent/types.js";

/** GitHub refuses a step summary over 1 MiB; stay well below it. */
export const SUMMARY_MAX_CHARS = 800_000;

/**
 * Characters that mean something to GitHub's Markdown or to HTML (`|` splits a table cell, `$`
 * starts math, `@` mentions, `:` makes `https://…` a link and `:rocket:` an emoji): each becomes a
 * numeric character reference, which renders as the character itself and never as syntax.
 */
const SPECIAL = /[&<>"'`|*_~#$@:[\]\\-]/g;

/** API text as inert Markdown/HTML text: one line, every special character escaped. */
export function escapeText(text: string | null | undefined): string {
  return clean(text).replace(SPECIAL, (char) => `&#${char.charCodeAt(0)};`);
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
};

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

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

function jobBlock(job: JobReport): string[] {
  const { label } = outcomeLabel(job);
  const warned = job.outcome === "pass" && job.warnings.length > 0;
  const icon = warned ? "⚠️" : OUTCOME_ICONS[job.outcome];
  const lines = [
    `### ${icon} ${job.jobId}: ${label}${warned ? ` with ${plural(job.warnings.length, "warning")}` : ""}`,
    "",
  ];
  const facts = [
    `Status **${job.status === null ? "—" : escapeText(job.status)}**`,
    `CheckFlag **${job.checkFlag ? escapeText(job.checkFlag) : "—"}**`,
    plural(job.polls, "poll"),
    seconds(job.elapsedMs),
  ];
  lines.push(facts.join(" · "), "");
  if (job.briefMsg) lines.push(`**BriefMsg:** ${escapeText(job.briefMsg)}`, "");
  if (job.error) lines.push(`**Error:** ${escapeText(job.error.code)}: ${escapeText(job.error.message)}`, "");
  if (job.outcome === "timeout") lines.push("No verdict before the timeout: the check was still running.", "");
  if (job.created) lines.push(`Check created (RequestId ${escapeText(job.created.requestId)}).`, "");
  for (const note of job.notes) lines.push(`_Note: ${escapeText(note)}_`, "");

  const steps = job.stepInfo ?? [];
  if (steps.length > 0) {
    lines.push("| # | Step | Id | Status |", "| ---: | --- | --- | --- |");
    for (const step of steps) {
      const view = stepView(step);
      const message = step.StepMessage?.trim() ? ` — ${escapeText(step.StepMessage)}` : "";
      lines.push(
        `| ${escapeText(view.no)} | ${escapeText(view.name)} | ${escapeText(step.StepId ?? "")} | ${view.symbol} ${escapeText(view.status)}${message} |`,
      );
    }
    lines.push("");
  }

  const items = itemsToReview(steps);
  if (items.length > 0) {
    lines.push(`**${plural(items.length, "item")} to review:**`, "");
    for (const { step, skipped, item } of items) lines.push(...itemBlock(step, skipped, item));
  }
  if (job.started) lines.push(`🚀 Migration started (RequestId ${escapeText(job.started.requestId)}).`, "");
  return lines;
}

/**
 * The job summary: the verdict, then per job its facts, a table of the check steps and every
 * failed or warning item expanded. Pure; all API text is escaped.
 */
export function renderSummary(result: GateResult, maxChars = SUMMARY_MAX_CHARS): string {
  const icon = result.passed ? "✅" : "❌";
  const head = [
    `## ${icon} DTS pre-migration check: ${result.passed ? "gate open" : "gate closed"}`,
    "",
    `> ${escapeText(result.reason)}`,
    "",
  ].join("\n");
  let markdown = head;
  for (const [index, job] of result.jobs.entries()) {
    const block = `${jobBlock(job).join("\n")}\n`;
    if (markdown.length + block.length > maxChars) {
      const rest = result.jobs.length - index;
      markdown += `\n_${plural(rest, "more job")} not shown here (the summary has a size limit): see the \`result\` output._\n`;
      break;
    }
    markdown += `\n${block}`;
  }
  return markdown;
}
