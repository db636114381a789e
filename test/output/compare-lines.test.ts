import { parse } from "junit2json";
import { describe, expect, it } from "vitest";
import { renderSummary } from "../../src/action/summary.js";
import type { CompareReport } from "../../src/core/types.js";
import { MAX_TABLES_SHOWN } from "../../src/output/compare-lines.js";
import { renderJunit } from "../../src/output/junit.js";
import { createProgress } from "../../src/output/progress.js";
import { renderReport, toJsonDocument } from "../../src/output/report.js";
import { gateResult, job } from "./junit-fixtures.js";

const TASK = "dts-1ewjspuw-cmp-37skmii9";

function compare(tables: number, fields: Partial<CompareReport> = {}): CompareReport {
  return {
    taskId: TASK,
    status: "success",
    conclusion: tables > 0 ? "different" : "same",
    checkedTables: 40,
    differentTables: tables,
    skippedTables: 2,
    differentRows: tables * 3,
    differences: Array.from({ length: tables }, (_, index) => ({ db: "shop", table: `t${index + 1}` })),
    ...fields,
  };
}

const different = gateResult([
  job(TASK, "different", { kind: "compare", compare: compare(24), closedBy: `${TASK}: the data differs in 24 tables` }),
]);

describe("a consistency check in every output", () => {
  it("the text report: the abstract's counts, the first 20 differing tables and a count of the rest", () => {
    const text = renderReport(different, { color: false });
    expect(text).toContain(
      `consistency check ${TASK}: success, different (40 tables checked, 24 different, 2 skipped, 72 rows different)`,
    );
    expect(text).toContain("    shop.t20\n");
    expect(text).not.toContain("shop.t21");
    expect(text).toContain(`and ${24 - MAX_TABLES_SHOWN} more tables`);
    expect(text).toContain("DATA DIFFERENT");
  });

  it("the count of the rest follows the abstract when the report was read only in part", () => {
    const partly = gateResult([job(TASK, "different", { compare: compare(21, { differentTables: 500 }) })]);
    expect(renderReport(partly, { color: false })).toContain("and 480 more tables");
  });

  it("--output json: compare with its counts and the differences as {db, table}", () => {
    const document = toJsonDocument(different);
    expect(document.jobs[0]).toMatchObject({
      kind: "compare",
      outcome: "different",
      compare: { taskId: TASK, status: "success", conclusion: "different", differentTables: 24, differentRows: 72 },
    });
    expect(document.jobs[0]?.compare?.differences[0]).toEqual({ db: "shop", table: "t1" });
  });

  it("JUnit: one consistency check case, its failure naming the differing tables; counts match", async () => {
    const xml = renderJunit(different);
    const suites = await parse(xml);
    const suite = suites && "testsuite" in suites ? suites.testsuite?.[0] : undefined;
    const testCase = suite?.testcase?.find((candidate) => candidate.name === "consistency check");
    expect(testCase?.failure?.[0]?.type).toBe("different");
    expect(testCase?.failure?.[0]?.inner).toContain("shop.t1\n");
    expect(testCase?.failure?.[0]?.inner).toContain("and 4 more tables");
    expect(suite?.failures).toBe(1);
    expect(suite?.tests).toBe(suite?.testcase?.length);
  });

  it("JUnit: the same data is a passing case", async () => {
    const same = gateResult([job("dts-1ewjspuw", "ready", { compare: compare(0) })]);
    const suites = await parse(renderJunit(same));
    const suite = suites && "testsuite" in suites ? suites.testsuite?.[0] : undefined;
    expect(suite?.testcase?.find((candidate) => candidate.name === "consistency check")?.failure).toBeUndefined();
    expect(suite?.failures).toBe(0);
  });

  it("the job summary: a table of the differing tables, API text escaped", () => {
    const hostile = gateResult([
      job(TASK, "different", {
        compare: { ...compare(1), differences: [{ db: "shop|x", table: "<b>t</b>" }] },
      }),
    ]);
    const markdown = renderSummary(hostile);
    expect(markdown).toContain("| # | Differing table |");
    expect(markdown).toContain("| 1 | shop&#124;x.&#60;b&#62;t&#60;/b&#62; |");
    expect(renderSummary(different)).toContain(`and ${24 - MAX_TABLES_SHOWN} more differing tables`);
  });
});

describe("a consistency check in the progress", () => {
  it("each answer shows the task's state and percent on the job's line", () => {
    let written = "";
    const progress = createProgress({
      write: (text) => {
        written += text;
      },
      live: false,
      style: { color: false },
      now: () => 1_000,
      verbose: false,
      size: () => ({ columns: 200 }),
      failOnWarning: false,
    });
    const view = {
      taskId: TASK,
      found: true,
      status: "running",
      conclusion: "",
      message: null,
      percent: 66,
      requestId: "r",
    };
    progress.onEvent({ type: "comparePoll", jobId: TASK, state: "waiting", compare: view, polls: 1, elapsedMs: 1_000 });
    const done = { ...view, status: "success", conclusion: "different", percent: 100 };
    progress.onEvent({
      type: "comparePoll",
      jobId: TASK,
      state: "different",
      compare: done,
      polls: 2,
      elapsedMs: 1_000,
    });
    expect(written).toContain(`${TASK} consistency check running · 66 %`);
    expect(written).toContain(`${TASK} consistency check success, different`);
  });
});
