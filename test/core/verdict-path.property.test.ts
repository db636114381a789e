import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildAnnotations } from "../../src/action/annotations.js";
import { renderSummary } from "../../src/action/summary.js";
import { JobRecord } from "../../src/core/job-record.js";
import { readCheckAnswer } from "../../src/core/phases/check-answer.js";
import { judge } from "../../src/core/phases/check-verdict.js";
import { reasonFor } from "../../src/core/reason.js";
import type { GateResult } from "../../src/core/types.js";
import { EXIT_CODES, exitCodeOf } from "../../src/core/verdict.js";
import { renderReport, toJsonDocument } from "../../src/output/report.js";
import type { ApiAnswer } from "../../src/tencent/types.js";
import { describeAnswer, passesExactly } from "../helpers/answers.js";
import { propertyOptions } from "../helpers/property.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

/** What the gate makes of one last answer: the job's report and the run's result. */
function resultOf(answer: ApiAnswer, failOnWarning: boolean): GateResult {
  const record = new JobRecord("dts-1ewjspuw");
  const { response, anomalies } = readCheckAnswer(answer);
  record.last = response;
  record.polls = 1;
  for (const anomaly of anomalies) record.note(anomaly);
  const { state } = judge(response);
  record.fail(state === "waiting" ? "timeout" : state, undefined);
  const job = record.report();
  const exitCode = exitCodeOf(job.outcome, failOnWarning && job.warnings.length > 0);
  return {
    passed: exitCode === EXIT_CODES.open,
    exitCode,
    interrupted: false,
    failOnWarning,
    reason: reasonFor([job], exitCode, failOnWarning, false),
    jobs: [job],
  };
}

describe("the verdict path takes any JSON", () => {
  it("opens only for Status exactly success and CheckFlag exactly checkPass", () => {
    fc.assert(
      fc.property(describeAnswer, fc.boolean(), (answer, failOnWarning) => {
        const result = resultOf(answer as ApiAnswer, failOnWarning);
        if (result.passed) expect(passesExactly(answer)).toBe(true);
        if (!failOnWarning) expect(result.passed).toBe(passesExactly(answer));
      }),
      propertyOptions(500),
    );
  });

  it("under --fail-on-warning, opens only without a warning item in a step that was not skipped", () => {
    fc.assert(
      fc.property(describeAnswer, (answer) => {
        const result = resultOf(answer as ApiAnswer, true);
        const steps = Array.isArray(answer.StepInfo) ? answer.StepInfo : [];
        const warned = steps.some(
          (step) =>
            typeof step === "object" &&
            step !== null &&
            step.HasSkipped !== true &&
            (step.StepStatus === "warning" ||
              (Array.isArray(step.DetailCheckItems) &&
                step.DetailCheckItems.some(
                  (item: unknown) =>
                    typeof item === "object" &&
                    item !== null &&
                    (item as { CheckResult?: unknown }).CheckResult === "warning",
                ))),
        );
        if (result.passed) expect(warned).toBe(false);
      }),
      propertyOptions(500),
    );
  });

  it("renders the report, the JSON document, the summary and the annotations without a control character", () => {
    fc.assert(
      fc.property(describeAnswer, fc.boolean(), (answer, failOnWarning) => {
        const result = resultOf(answer as ApiAnswer, failOnWarning);
        const text = renderReport(result, { color: false });
        expect(text).not.toMatch(CONTROL);
        const document = JSON.parse(JSON.stringify(toJsonDocument(result)));
        expect(document.passed).toBe(result.passed);
        expect(text.trimEnd().endsWith(result.reason)).toBe(true);
        expect(renderSummary(result)).not.toMatch(CONTROL);
        for (const annotation of buildAnnotations(result)) {
          expect(annotation.title).not.toMatch(CONTROL);
          expect(annotation.message.replaceAll("\n", " ")).not.toMatch(CONTROL);
        }
      }),
      propertyOptions(300),
    );
  });

  it("never annotates an item of a skipped step as an error", () => {
    fc.assert(
      fc.property(describeAnswer, (answer) => {
        const result = resultOf(answer as ApiAnswer, false);
        const skippedSteps = (result.jobs[0]?.stepInfo ?? []).filter((step) => step.HasSkipped === true).length;
        const errors = buildAnnotations(result).filter((annotation) => annotation.level === "error");
        for (const annotation of errors) expect(annotation.title).not.toContain("(skipped)");
        if (skippedSteps === (result.jobs[0]?.stepInfo ?? []).length) expect(errors).toEqual([]);
      }),
      propertyOptions(300),
    );
  });

  it("reads 200,000 steps without a stack overflow", () => {
    const step = { StepNo: 1, StepId: "VersionCheck", StepName: "Version", StepStatus: "pass", HasSkipped: false };
    const answer = {
      RequestId: "r",
      Status: "success",
      CheckFlag: "checkNotPass",
      BriefMsg: "",
      StepInfo: Array.from({ length: 200_000 }, () => step),
    };
    const result = resultOf(answer, false);
    expect(result.jobs[0]?.stepInfo).toHaveLength(200_000);
    expect(renderReport(result, { color: false })).toContain("NOT PASSED");
    expect(renderSummary(result).length).toBeGreaterThan(0);
    expect(buildAnnotations(result)).toEqual([]);
  });
});
