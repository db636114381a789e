import fc from "fast-check";
import { parse, type TestCase, type TestSuites } from "junit2json";
import { describe, expect, it } from "vitest";
import { create } from "xmlbuilder2";
import { MAX_STEP_CASES, renderJunit } from "../../src/output/junit.js";
import type { CheckStep } from "../../src/tencent/types.js";
import { propertyOptions } from "../helpers/property.js";
import { gateResult, item, job, jobReport, step } from "./junit-fixtures.js";

/** What XML 1.0 allows in a document (its production Char): anything else makes it invalid. */
const XML_CHARS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
/** Valid XML yet unclean: API text passes `clean` first, so none of these can reach the file. */
const UNCLEAN = /[\r\u007f-\u009f\u2028\u2029]/;

/** The slice of the DOM the plain parse reads. */
interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<DomNode>;
  getAttribute?(name: string): string | null;
}

interface PlainElement {
  readonly name: string;
  readonly attributes: (name: string) => string | null;
  readonly children: PlainElement[];
  readonly text: string;
}

/** A generic XML reading, independent of junit2json's JUnit-shaped one. */
function plainTree(xml: string): PlainElement {
  const toPlain = (node: DomNode): PlainElement => ({
    name: node.nodeName,
    attributes: (name) => node.getAttribute?.(name) ?? null,
    children: Array.from(node.childNodes)
      .filter((child) => child.nodeType === 1)
      .map(toPlain),
    text: node.textContent ?? "",
  });
  return toPlain(create(xml).root().node as unknown as DomNode);
}

async function junit(xml: string): Promise<TestSuites> {
  const parsed = await parse(xml);
  if (!parsed || !("testsuite" in parsed || "tests" in parsed)) throw new Error("no <testsuites>");
  return parsed as TestSuites;
}

function suitesOf(report: TestSuites) {
  return report.testsuite ?? [];
}

function casesOf(report: TestSuites, index: number): TestCase[] {
  return suitesOf(report)[index]?.testcase ?? [];
}

const JOB = "dts-1ewjspuw";

const mixedSteps: CheckStep[] = [
  step(1, "Connectivity", "pass"),
  step(2, "Target tables", "failed", {
    DetailCheckItems: [
      item("Empty target", "failed", {
        FailureReason: "tables exist in target",
        Solution: "drop them",
        HelpDoc: ["https://cloud.tencent.com/document/product/571/61639", " "],
      }),
      item("Privileges", "failed", { FailureReason: "no SELECT", Solution: "GRANT SELECT" }),
      item("Charset", "pass"),
    ],
  }),
  step(3, "Peripheral", "failed", { HasSkipped: true, DetailCheckItems: [item("Triggers", "failed")] }),
  step(4, "Binlog", "warning", {
    DetailCheckItems: [item("binlog_row_image", "warning", { FailureReason: "should be FULL" })],
  }),
  step(5, "Final", "notStarted"),
];

describe("renderJunit", () => {
  it("writes one case per step: failures with each item's reason, solution and link, skips, warnings", async () => {
    const xml = renderJunit(gateResult([job(JOB, "notPass", { stepInfo: mixedSteps })]));
    const report = await junit(xml);
    expect(report).toMatchObject({ name: "dts-gate", tests: 5, failures: 1, errors: 0 });
    const [suite] = suitesOf(report);
    expect(suite).toMatchObject({ name: JOB, tests: 5, failures: 1, errors: 0, skipped: 2 });
    const cases = casesOf(report, 0);
    expect(cases.map((testCase) => testCase.name)).toEqual([
      "1 Connectivity",
      "2 Target tables",
      "3 Peripheral",
      "4 Binlog",
      "5 Final",
    ]);
    expect(new Set(cases.map((testCase) => testCase.classname))).toEqual(new Set([`dts-gate.${JOB}`]));
    const [passed, failed, skipped, warned, unfinished] = cases;
    expect(passed).not.toHaveProperty("failure");
    expect(failed?.failure?.[0]?.message).toBe("2 failed items: Empty target, Privileges");
    const failureText = failed?.failure?.[0]?.inner ?? "";
    for (const expected of [
      "Empty target",
      "reason: tables exist in target",
      "solution: drop them",
      "help: https://cloud.tencent.com/document/product/571/61639",
      "reason: no SELECT",
      "solution: GRANT SELECT",
    ]) {
      expect(failureText).toContain(expected);
    }
    expect(failureText).not.toContain("Charset");
    expect(skipped?.skipped?.[0]?.message).toBe("skipped by the user; the step ended failed");
    expect(skipped).not.toHaveProperty("failure");
    expect(warned).not.toHaveProperty("failure");
    expect(warned?.["system-out"]?.[0]).toContain("binlog_row_image");
    expect(warned?.["system-out"]?.[0]).toContain("should be FULL");
    expect(unfinished?.skipped?.[0]?.message).toBe("step not finished: status notStarted");
  });

  it("gives a job without steps one verdict case: failure for timeout, cancelled, notPass; error for error", async () => {
    const jobs = [
      job("dts-timeout1", "timeout", { notes: ["last failed request before the timeout: X: y"] }),
      job("dts-cancel01", "cancelled"),
      job("dts-error001", "error", { error: { code: "AuthFailure.SignatureFailure", message: "bad signature" } }),
      job("dts-notpass1", "notPass", { briefMsg: "target not empty" }),
      job("dts-passed01", "pass"),
      job("dts-started1", "pass", { stepInfo: [step(1, "Only", "pass")], started: { requestId: "req-start" } }),
    ];
    const report = await junit(renderJunit(gateResult(jobs)));
    expect(report).toMatchObject({ tests: 6, failures: 3, errors: 1 });
    expect(suitesOf(report).map((suite) => suite.name)).toEqual(jobs.map((each) => each.jobId));
    const verdicts = jobs.slice(0, 5).map((_, index) => casesOf(report, index));
    for (const cases of verdicts) expect(cases.map((testCase) => testCase.name)).toEqual(["verdict"]);
    const [timeout, cancelled, error, notPass, pass] = verdicts.map((cases) => cases[0]);
    expect(timeout?.failure?.[0]).toMatchObject({ type: "timeout", message: "no verdict before the timeout" });
    expect(timeout?.failure?.[0]?.inner).toContain("note: last failed request before the timeout: X: y");
    expect(cancelled?.failure?.[0]).toMatchObject({ type: "cancelled" });
    expect(error?.error?.[0]).toMatchObject({
      type: "AuthFailure.SignatureFailure",
      message: "AuthFailure.SignatureFailure: bad signature",
    });
    expect(error?.error?.[0]?.inner).toContain("error: AuthFailure.SignatureFailure: bad signature");
    expect(error).not.toHaveProperty("failure");
    expect(notPass?.failure?.[0]?.message).toBe("the check did not pass: target not empty");
    expect(pass).not.toHaveProperty("failure");
    expect(casesOf(report, 5).map((testCase) => testCase.name)).toEqual(["1 Only"]);
    expect(suitesOf(report)[5]?.["system-out"]?.[0]).toContain("migration started (RequestId req-start)");
  });

  it("adds the verdict to steps that do not tell it: a timeout mid-check, a notPass without a failed step", async () => {
    const running = [step(1, "A", "pass"), step(2, "B", "running")];
    const jobs = [
      job("dts-timeout1", "timeout", { stepInfo: running }),
      job("dts-notpass1", "notPass", { stepInfo: [step(1, "A", "pass")] }),
    ];
    const report = await junit(renderJunit(gateResult(jobs)));
    expect(casesOf(report, 0).map((testCase) => testCase.name)).toEqual(["1 A", "2 B", "verdict"]);
    expect(casesOf(report, 1).map((testCase) => testCase.name)).toEqual(["1 A", "verdict"]);
    expect(report).toMatchObject({ tests: 5, failures: 2, errors: 0 });
  });

  it("keeps hostile API text as valid XML: markup escaped, control characters and lone surrogates gone", async () => {
    const hostile = "a<b>&c]]>d\u0000e\u001b[31mf\r\ng\ud800h\ufffe\u2028i &nbsp;&#0;&amp;&#x41;";
    const steps = [
      step(7, hostile, "failed", { DetailCheckItems: [item(hostile, "failed", { FailureReason: hostile })] }),
    ];
    const xml = renderJunit(gateResult([job(JOB, "notPass", { stepInfo: steps, briefMsg: hostile })]));
    expect(xml).toMatch(XML_CHARS);
    // Every & escaped: text that looks like a reference is text, and an undefined one (&nbsp;) or
    // one to a character XML forbids (&#0;) cannot make the file malformed.
    const expected = "a<b>&c]]>de[31mf g\ufffdh\ufffd i &nbsp;&#0;&amp;&#x41;";
    const [testCase] = casesOf(await junit(xml), 0);
    expect(testCase?.name).toBe(`7 ${expected}`);
    const failureLines = testCase?.failure?.[0]?.inner?.split("\n") ?? [];
    expect(failureLines[0]).toBe(expected);
    expect(failureLines[1]).toBe(`  reason: ${expected}`);
    // xmlbuilder2's own reader decodes a reference twice; sax (under junit2json) reads it as written.
    expect(xml).toContain(
      `name="7 a&lt;b&gt;&amp;c]]&gt;de[31mf g\ufffdh\ufffd i &amp;nbsp;&amp;#0;&amp;amp;&amp;#x41;"`,
    );
  });

  it("writes at most MAX_STEP_CASES steps per job, failures first, and counts the rest", async () => {
    // Ten times the cap: the size is not the point, the cap and the counts are.
    const steps = Array.from({ length: 20_000 }, (_, index) => step(index, "s", index % 2 ? "pass" : "failed"));
    const xml = renderJunit(gateResult([job(JOB, "notPass", { stepInfo: steps })]));
    expect(xml.match(/<testcase /g)?.length).toBe(MAX_STEP_CASES + 1);
    expect(xml.match(/<failure /g)?.length).toBe(MAX_STEP_CASES);
    expect(xml).toContain(
      `<testsuite name="${JOB}" tests="${MAX_STEP_CASES + 1}" failures="${MAX_STEP_CASES}" errors="0" skipped="1"`,
    );
    const cases = casesOf(await junit(xml), 0);
    // Kept in the steps' order: the first failed steps, 0, 2, 4, …
    expect(cases.slice(0, 3).map((each) => each.name)).toEqual(["0 s", "2 s", "4 s"]);
    expect(cases.at(-1)?.skipped?.[0]?.message).toBe(
      "19000 more steps not written (the file keeps 1000 per job): 9000 failed, 0 in error, 0 not run or skipped, 10000 passed",
    );
  });

  it("a pass with warnings under --fail-on-warning is a failure that says the gate closed", async () => {
    const warned = job(JOB, "pass", {
      stepInfo: [step(1, "Permissions", "warning", { DetailCheckItems: [item("grant", "warning")] })],
      warnings: [{ stepNo: 1, stepName: "Permissions", itemName: "grant" }],
    });
    const cases = casesOf(await junit(renderJunit({ ...gateResult([warned]), failOnWarning: true })), 0);
    const verdict = cases.at(-1)?.failure?.[0];
    expect(verdict?.type).toBe("passedWithWarnings");
    expect(verdict?.message).toBe("passed with 1 warning, gate closed: --fail-on-warning closes the gate on a warning");
  });

  it("always writes a parseable report whose counts match its elements, whatever the jobs hold", async () => {
    // Invariant: valid XML 1.0; one suite per job in order; one case per step plus the verdict case
    // exactly when the steps do not tell the outcome; every count attribute equals its elements;
    // no unclean character. Leaving a note unclean failed with
    // { seed: 939291537, path: "1:1:1:1:1:1:3:2:2:4:4:4:4" }: a note of one character that clean strips.
    await fc.assert(
      fc.asyncProperty(fc.array(jobReport, { maxLength: 4 }), async (jobs) => {
        const xml = renderJunit(gateResult(jobs));
        expect(xml).toMatch(XML_CHARS);
        expect(xml).not.toMatch(UNCLEAN);
        const report = await junit(xml);
        const root = plainTree(xml);
        expect(root.name).toBe("testsuites");
        expect(suitesOf(report)).toHaveLength(jobs.length);
        expect(root.children).toHaveLength(jobs.length);
        const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
        jobs.forEach((each, index) => {
          const suite = root.children[index];
          const cases = suite?.children.filter((child) => child.name === "testcase") ?? [];
          const steps = each.stepInfo ?? [];
          expect(cases.length).toBe(steps.length + (expectsVerdict(each.outcome, steps) ? 1 : 0));
          expect(casesOf(report, index)).toHaveLength(cases.length);
          const count = (name: string) => cases.filter((c) => c.children.some((child) => child.name === name)).length;
          const counts = {
            tests: cases.length,
            failures: count("failure"),
            errors: count("error"),
            skipped: count("skipped"),
          };
          for (const [name, value] of Object.entries(counts)) {
            expect(suite?.attributes(name)).toBe(String(value));
            total[name as keyof typeof total] += value;
          }
          for (const testCase of cases) {
            expect(testCase.attributes("classname")?.startsWith("dts-gate.")).toBe(true);
          }
        });
        for (const [name, value] of Object.entries(total)) expect(root.attributes(name)).toBe(String(value));
      }),
      propertyOptions(60),
    );
  });
});

/** The property's own statement of when a job gets a verdict case, apart from the renderer's. */
function expectsVerdict(outcome: string, steps: readonly CheckStep[]): boolean {
  if (steps.length === 0) return true;
  if (outcome === "pass") return false;
  if (outcome === "notPass" || outcome === "failed") {
    return !steps.some((each) => each.StepStatus === "failed" && each.HasSkipped !== true);
  }
  return true;
}
