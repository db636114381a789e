import { clean, plural } from "../core/text.js";
import type { CompareReport, JobReport } from "../core/types.js";

/** Differing tables named at most; the rest are counted. */
export const MAX_TABLES_SHOWN = 20;

/** `db.table`, as a reader of a database names it. */
function tableName(difference: { readonly db: string; readonly table: string }): string {
  return [difference.db, difference.table]
    .map(clean)
    .filter((part) => part !== "")
    .join(".");
}

/** The differing tables named and how many more there are (by the abstract's count when it is larger). */
export function differingTables(compare: CompareReport): { names: string[]; more: number } {
  const names = compare.differences.slice(0, MAX_TABLES_SHOWN).map(tableName);
  const total = Math.max(compare.differences.length, compare.differentTables ?? 0);
  return { names, more: total - names.length };
}

/** "24 of 40 tables differ, 0 skipped; 90 rows differ", from what the abstract gave. */
export function compareCounts(compare: CompareReport): string {
  const parts: string[] = [];
  if (compare.checkedTables !== null) parts.push(`${plural(compare.checkedTables, "table")} checked`);
  if (compare.differentTables !== null) parts.push(`${compare.differentTables} different`);
  if (compare.skippedTables !== null) parts.push(`${compare.skippedTables} skipped`);
  if (compare.differentRows !== null) parts.push(`${plural(compare.differentRows, "row")} different`);
  return parts.join(", ");
}

/** The consistency check in one line: its id, state and conclusion, and the counts. */
export function compareHeadline(compare: CompareReport): string {
  const state = [compare.status, compare.conclusion].filter((word) => word).map((word) => clean(word));
  const counts = compareCounts(compare);
  return `consistency check ${clean(compare.taskId)}: ${state.join(", ") || "no answer"}${counts ? ` (${counts})` : ""}`;
}

/** A consistency check's state in the progress line: "consistency check running · 66 %". */
export function compareProgress(view: {
  readonly status: string | null;
  readonly conclusion: string | null;
  readonly percent: number | null;
  readonly found: boolean;
}): string {
  if (!view.found) return "consistency check not listed yet";
  const state = [view.status, view.conclusion].filter((word) => word).map((word) => clean(word));
  const percent = view.percent !== null && view.status === "running" ? ` · ${view.percent} %` : "";
  return `consistency check ${state.join(", ") || "—"}${percent}`;
}

/** The differing tables as lines: the first MAX_TABLES_SHOWN and a count of the rest. */
export function differingTableLines(compare: CompareReport): string[] {
  const { names, more } = differingTables(compare);
  if (names.length === 0) return [];
  return [...names, ...(more > 0 ? [`and ${plural(more, "more table")}`] : [])];
}

/** The text report's lines of a job's consistency check. */
export function compareLines(job: Pick<JobReport, "compare">): string[] {
  const { compare } = job;
  if (!compare) return [];
  const tables = differingTableLines(compare);
  return [
    `  ${compareHeadline(compare)}`,
    ...(tables.length > 0 ? ["  differing tables:", ...tables.map((line) => `    ${line}`)] : []),
  ];
}

/**
 * The consistency check as a Markdown table (the Action's job summary): one row per differing
 * table, the rest counted. `inert` makes API text inert Markdown.
 */
export function compareMarkdown(job: Pick<JobReport, "compare">, inert: (text: string) => string): string[] {
  const { compare } = job;
  if (!compare) return [];
  const lines = [`**${inert(compareHeadline(compare))}**`, ""];
  const { names, more } = differingTables(compare);
  if (names.length === 0) return lines;
  lines.push("| # | Differing table |", "| ---: | --- |");
  for (const [index, name] of names.entries()) lines.push(`| ${index + 1} | ${inert(name)} |`);
  lines.push("");
  if (more > 0) lines.push(`_and ${plural(more, "more differing table")}: see the \`result\` output._`, "");
  return lines;
}

/** The consistency check as one JUnit test case: passed on the same data, else a failure naming the tables. */
export function compareCase(job: Pick<JobReport, "compare" | "closedBy">):
  | {
      readonly name: string;
      readonly result:
        | { readonly kind: "passed" }
        | { readonly kind: "skipped"; readonly message: string }
        | { readonly kind: "failure"; readonly type: string; readonly message: string; readonly text: string };
    }
  | undefined {
  const { compare } = job;
  if (!compare) return undefined;
  const name = "consistency check";
  const headline = compareHeadline(compare);
  if (compare.status === "success" && compare.conclusion === "same") return { name, result: { kind: "passed" } };
  const ended = compare.status === "success" || compare.status === "failed" || compare.status === "canceled";
  if (!ended) return { name, result: { kind: "skipped", message: `not finished: ${headline}` } };
  const tables = differingTableLines(compare);
  const text = [headline, ...(job.closedBy ? [clean(job.closedBy)] : []), ...tables].join("\n");
  const type = compare.conclusion === "different" ? "different" : clean(compare.conclusion ?? compare.status);
  const message =
    compare.conclusion === "different"
      ? `the data differs in ${plural(Math.max(compare.differentTables ?? 0, compare.differences.length), "table")}`
      : headline;
  return { name, result: { kind: "failure", type: type || "failed", message, text } };
}
