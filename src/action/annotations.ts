import { clean } from "../core/text.js";
import type { GateResult } from "../core/types.js";
import { helpLinks } from "../output/report.js";
import type { CheckStepDetail } from "../tencent/types.js";

export type AnnotationLevel = "error" | "warning" | "notice";

export interface Annotation {
  readonly level: AnnotationLevel;
  readonly title: string;
  readonly message: string;
}

/** GitHub shows at most 10 annotations of each level per step; the rest go to the summary. */
export const MAX_PER_LEVEL = 10;
const FIELD_MAX = 600;

function clip(text: string, max = FIELD_MAX): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function field(label: string, text: string | null | undefined): string[] {
  const value = clean(text).trim();
  return value ? [`${label}: ${clip(value)}`] : [];
}

function itemMessage(jobId: string, name: string, result: string, item: CheckStepDetail | undefined): string {
  const lines = [`${jobId} · ${clip(name, 200)}: ${result}`];
  if (item) {
    lines.push(...field("Reason", item.FailureReason), ...field("Solution", item.Solution));
    const log = (item.ErrorLog ?? []).find((entry) => entry.trim() !== "");
    lines.push(...field("Log", log));
    const help = helpLinks(item).find((link) => /^https?:\/\//i.test(link.trim()));
    if (help) lines.push(`Help: ${clip(help, 300)}`);
  }
  return lines.join("\n");
}

/**
 * One annotation per failed item (error) and per warning item (warning) of every job; items of a
 * step the user skipped are notices, as they do not count. A failed or warning step without such
 * items gets one of its own. Titled with the step name; API text made one-line per field.
 */
export function buildAnnotations(result: GateResult): Annotation[] {
  const all: Annotation[] = [];
  for (const job of result.jobs) {
    for (const step of job.stepInfo ?? []) {
      const stepName = clip(clean(step.StepName ?? step.StepId ?? "check step"), 200);
      const skipped = step.HasSkipped === true;
      const items = (step.DetailCheckItems ?? []).filter(
        (item) => item.CheckResult === "failed" || item.CheckResult === "warning",
      );
      for (const item of items) {
        const failed = item.CheckResult === "failed";
        all.push({
          level: skipped ? "notice" : failed ? "error" : "warning",
          title: skipped ? `${stepName} (skipped)` : stepName,
          message: itemMessage(
            job.jobId,
            clean(item.CheckItemName ?? step.StepName),
            skipped ? `${clean(item.CheckResult)}, skipped: not counted` : clean(item.CheckResult),
            item,
          ),
        });
      }
      const status = step.StepStatus;
      if (items.length === 0 && (status === "failed" || status === "warning")) {
        const detail = clean(step.StepMessage).trim();
        all.push({
          level: skipped ? "notice" : status === "failed" ? "error" : "warning",
          title: skipped ? `${stepName} (skipped)` : stepName,
          message: `${job.jobId} · ${stepName}: ${status}${skipped ? ", skipped: not counted" : ""}${detail ? `\n${clip(detail)}` : ""}`,
        });
      }
    }
  }
  return capPerLevel(all);
}

/** Keeps the first MAX_PER_LEVEL - 1 of a level that has more, plus one saying how many more. */
function capPerLevel(annotations: Annotation[]): Annotation[] {
  const kept: Annotation[] = [];
  for (const level of ["error", "warning", "notice"] as const) {
    const ofLevel = annotations.filter((annotation) => annotation.level === level);
    if (ofLevel.length <= MAX_PER_LEVEL) {
      kept.push(...ofLevel);
      continue;
    }
    kept.push(...ofLevel.slice(0, MAX_PER_LEVEL - 1), {
      level,
      title: `${ofLevel.length - MAX_PER_LEVEL + 1} more`,
      message: `${ofLevel.length - MAX_PER_LEVEL + 1} more ${level} items: see the job summary.`,
    });
  }
  return kept;
}
