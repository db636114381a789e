import { create } from "xmlbuilder2";
import { clean, plural } from "../core/text.js";
import type { GateResult, JobReport } from "../core/types.js";
import type { CheckStep, CheckStepDetail } from "../tencent/types.js";
import { keepAtMost } from "./cap.js";
import { compareCase } from "./compare-lines.js";
import type { TestCase } from "./junit-case.js";
import { migrationCases } from "./junit-migration.js";
import { migrationLines } from "./migration-report.js";
import { startedWords } from "./migration-text.js";
import { helpLinks, type ItemView, itemsToReview, stepView } from "./report.js";

/*
 * The `--junit FILE` report: each check step is a test case, so a CI test viewer shows
 * what failed and why. A plain model of the cases is built first and the counts come from it, so
 * the counts in the attributes cannot disagree with the elements written.
 */

interface Tally {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/**
 * Step cases written per job at most. Seven jobs of 200,000 steps as one document do not fit in
 * memory; a reader wants the failures, and a count of the rest.
 */
export const MAX_STEP_CASES = 1000;

/**
 * Replaces what XML 1.0 cannot carry even escaped (lone surrogates, U+FFFE, U+FFFF and the control
 * characters `clean` already strips): xmlbuilder2 applies it to every text and attribute value.
 */
const INVALID_CHAR_REPLACEMENT = "\uFFFD";

function itemBlock(item: CheckStepDetail, fallbackName: string): string {
  const lines = [clean(item.CheckItemName ?? fallbackName)];
  if (item.FailureReason) lines.push(`  reason: ${clean(item.FailureReason)}`);
  if (item.Solution) lines.push(`  solution: ${clean(item.Solution)}`);
  for (const log of item.ErrorLog ?? []) if (log.trim()) lines.push(`  log: ${clean(log)}`);
  for (const link of helpLinks(item)) lines.push(`  help: ${link}`);
  return lines.join("\n");
}

function itemsText(items: readonly ItemView[]): string {
  return items.map(({ item, step }) => itemBlock(item, step)).join("\n\n");
}

function itemNames(items: readonly ItemView[]): string {
  return items.map(({ item, step }) => clean(item.CheckItemName ?? step)).join(", ");
}

function stepCase(step: CheckStep): TestCase {
  const view = stepView(step);
  const name = `${view.no} ${view.name}`;
  const items = itemsToReview([step]);
  const failed = items.filter(({ item }) => item.CheckResult === "failed");
  const warned = items.filter(({ item }) => item.CheckResult === "warning");
  const stepMessage = clean(step.StepMessage);
  const warningText =
    warned.length > 0
      ? `warning: ${itemsText(warned)}`
      : view.status === "warning"
        ? `warning: ${stepMessage || "the step ended with a warning"}`
        : "";
  const systemOut = warningText ? { systemOut: warningText } : {};
  switch (view.status) {
    case "pass":
    case "warning":
      return { name, result: { kind: "passed" }, ...systemOut };
    case "failed": {
      const message =
        failed.length > 0 ? `${plural(failed.length, "failed item")}: ${itemNames(failed)}` : stepMessage || "failed";
      const text = failed.length > 0 ? itemsText(failed) : stepMessage;
      return { name, result: { kind: "failure", type: "failed", message, ...(text ? { text } : {}) }, ...systemOut };
    }
    case "skipped":
      return {
        name,
        result: {
          kind: "skipped",
          message: `skipped by the user; the step ended ${clean(step.StepStatus) || "without a status"}`,
        },
      };
    default:
      // notStarted, running, blocked or a value the API may add: the step did not run to an end.
      return {
        name,
        result: { kind: "skipped", message: `step not finished: status ${clean(view.status)}` },
        ...systemOut,
      };
  }
}

function jobFacts(job: JobReport): string {
  const lines = [
    `outcome: ${job.outcome}`,
    `status: ${job.status === null ? "—" : clean(job.status)}`,
    `check flag: ${job.checkFlag === null ? "—" : clean(job.checkFlag)}`,
  ];
  if (job.briefMsg) lines.push(`message: ${clean(job.briefMsg)}`);
  if (job.error) {
    lines.push(`error: ${clean(job.error.code)}: ${clean(job.error.message)}`);
    if (job.error.requestId) lines.push(`error RequestId: ${clean(job.error.requestId)}`);
  }
  if (job.requestId) lines.push(`last RequestId: ${clean(job.requestId)}`);
  lines.push(`${plural(job.polls, "poll")}, ${plural(job.requests, "request")}, ${job.elapsedMs} ms`);
  if (job.created) lines.push(`check created (RequestId ${clean(job.created.requestId)})`);
  for (const note of job.notes) lines.push(`note: ${clean(note)}`);
  if (job.started) lines.push(`${startedWords(job.kind)} (RequestId ${clean(job.started.requestId)})`);
  for (const line of migrationLines(job, { color: false })) lines.push(line.trim());
  return lines.join("\n");
}

/**
 * The job's own verdict as a test case, when the steps do not tell it: a wait that ended without a
 * verdict (timeout, error, cancelled), a check that did not pass yet has no failed step, or a pass
 * without steps.
 */
function verdictCase(job: JobReport, stepCases: readonly TestCase[], failOnWarning: boolean): TestCase | undefined {
  const outcome = job.outcome;
  const failure = (message: string, type: string = outcome): TestCase => ({
    name: "verdict",
    result: { kind: "failure", type, message, text: jobFacts(job) },
  });
  switch (outcome) {
    case "pass":
      // Warnings pass their steps, but under --fail-on-warning they close the gate: so does the file.
      if (failOnWarning && job.warnings.length > 0) {
        return failure(
          `passed with ${plural(job.warnings.length, "warning")}, gate closed: --fail-on-warning closes the gate on a warning`,
          "passedWithWarnings",
        );
      }
      // A passing job with no steps still shows as one passing test rather than an empty suite.
      return stepCases.length > 0 ? undefined : { name: "verdict", result: { kind: "passed" } };
    case "ready":
    case "done":
      return stepCases.length > 0 ? undefined : { name: "verdict", result: { kind: "passed" } };
    case "notPass":
    case "failed":
    case "different": {
      if (stepCases.some((testCase) => testCase.result.kind === "failure")) return undefined;
      // A migration in a state that needs a person: the phase said which.
      if (job.closedBy) return failure(clean(job.closedBy), "closed");
      const what =
        outcome === "notPass"
          ? "the check did not pass"
          : outcome === "different"
            ? "the data differs"
            : "the check task failed";
      return failure(job.briefMsg ? `${what}: ${clean(job.briefMsg)}` : what);
    }
    case "timeout":
      return failure("no verdict before the timeout");
    case "cancelled":
      return failure("not polled further: the gate could no longer open");
    case "error": {
      const code = clean(job.error?.code) || "Unknown";
      const message = `${code}: ${clean(job.error?.message) || "no verdict"}`;
      return { name: "verdict", result: { kind: "error", type: code, message, text: jobFacts(job) } };
    }
    default: {
      const unknown: never = outcome;
      return failure(`unknown outcome ${clean(String(unknown))}`);
    }
  }
}

/**
 * At most MAX_STEP_CASES of a job's step cases (failures first, then in order), in the steps'
 * order; the steps left out become one skipped case that counts them.
 */
function bounded(cases: readonly TestCase[], what: string): TestCase[] {
  const { kept, leftOut } = keepAtMost(cases, MAX_STEP_CASES, ({ result }) =>
    ["failure", "error"].includes(result.kind),
  );
  if (leftOut.length === 0) return kept;
  const left = tallyOf(leftOut);
  const message =
    `${plural(left.tests, `more ${what}`)} not written (the file keeps ${MAX_STEP_CASES} per job): ` +
    `${left.failures} failed, ${left.errors} in error, ${left.skipped} not run or skipped, ` +
    `${left.tests - left.failures - left.errors - left.skipped} passed`;
  return [...kept, { name: `${what}s not written`, result: { kind: "skipped", message } }];
}

function jobCases(job: JobReport, failOnWarning: boolean): TestCase[] {
  const migration = migrationCases(job);
  const compared = compareCase(job);
  const cases = [
    ...bounded((job.stepInfo ?? []).map(stepCase), "step"),
    ...bounded(migration.steps, "migration step"),
    ...migration.conditions,
    ...(compared ? [compared] : []),
  ];
  const verdict = verdictCase(job, cases, failOnWarning);
  if (verdict) cases.push(verdict);
  return cases;
}

function count(tally: Tally, { result }: TestCase): void {
  tally.tests++;
  if (result.kind === "failure") tally.failures++;
  else if (result.kind === "error") tally.errors++;
  else if (result.kind === "skipped") tally.skipped++;
}

function tallyOf(cases: readonly TestCase[]): Tally {
  const tally: Tally = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const testCase of cases) count(tally, testCase);
  return tally;
}

function countAttributes(tally: Tally): Record<string, string> {
  return {
    tests: String(tally.tests),
    failures: String(tally.failures),
    errors: String(tally.errors),
    skipped: String(tally.skipped),
  };
}

type Element = ReturnType<ReturnType<typeof create>["ele"]>;

/**
 * xmlbuilder2 leaves text that looks like a reference (`&nbsp;`, `&#0;`) as it is, which makes
 * the file malformed: every `&` is escaped here, and xmlbuilder2 then leaves `&amp;` alone.
 */
function xmlText(text: string): string {
  return text.replaceAll("&", "&amp;");
}

function child(parent: Element, name: string, attributes: Record<string, string> = {}, text?: string): Element {
  const escaped = Object.fromEntries(Object.entries(attributes).map(([key, value]) => [key, xmlText(value)]));
  const element = parent.ele(name, escaped);
  if (text) element.txt(xmlText(text));
  return element;
}

function writeCase(suite: Element, testCase: TestCase, classname: string): void {
  const element = child(suite, "testcase", { name: testCase.name, classname });
  const { result } = testCase;
  if (result.kind === "skipped") child(element, "skipped", { message: result.message });
  else if (result.kind !== "passed") {
    child(element, result.kind, { message: result.message, type: result.type }, result.text);
  }
  if (testCase.systemOut) child(element, "system-out", {}, testCase.systemOut);
}

/** The JUnit XML document of a gate run: one suite per job, one case per check step. */
export function renderJunit(result: GateResult): string {
  const doc = create({ version: "1.0", encoding: "UTF-8", invalidCharReplacement: INVALID_CHAR_REPLACEMENT });
  const root = doc.ele("testsuites", { name: "dts-gate" });
  const total: Tally = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const job of result.jobs) {
    const jobId = clean(job.jobId);
    const cases = jobCases(job, result.failOnWarning);
    const tally = tallyOf(cases);
    total.tests += tally.tests;
    total.failures += tally.failures;
    total.errors += tally.errors;
    total.skipped += tally.skipped;
    const suite = child(root, "testsuite", {
      name: jobId,
      ...countAttributes(tally),
      time: (job.elapsedMs / 1000).toFixed(3),
    });
    const classname = `dts-gate.${jobId}`;
    for (const testCase of cases) writeCase(suite, testCase, classname);
    child(suite, "system-out", {}, jobFacts(job));
  }
  for (const [name, value] of Object.entries(countAttributes(total))) root.att(name, value);
  return root.end({ prettyPrint: true });
}
