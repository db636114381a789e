import fc from "fast-check";
import type { GateResult, JobReport } from "../../src/core/types.js";
import type { Outcome } from "../../src/core/verdict.js";
import type { CheckStep, CheckStepDetail } from "../../src/tencent/types.js";

export function job(jobId: string, outcome: Outcome, overrides: Partial<JobReport> = {}): JobReport {
  return {
    jobId,
    outcome,
    status: "success",
    checkFlag: outcome === "pass" ? "checkPass" : "checkNotPass",
    briefMsg: null,
    stepInfo: null,
    requestId: "req-last",
    polls: 3,
    requests: 3,
    elapsedMs: 12_500,
    warnings: [],
    created: null,
    started: null,
    startRequests: 0,
    notes: [],
    ...overrides,
  };
}

export function gateResult(jobs: readonly JobReport[]): GateResult {
  return {
    passed: jobs.every((each) => each.outcome === "pass"),
    exitCode: 0,
    interrupted: false,
    failOnWarning: false,
    reason: "r",
    jobs,
  };
}

export function item(name: string, result: string, fields: Partial<CheckStepDetail> = {}): CheckStepDetail {
  return {
    CheckItemName: name,
    Description: "",
    CheckResult: result,
    FailureReason: "",
    Solution: "",
    ErrorLog: [],
    HelpDoc: [],
    SkipInfo: "",
    ...fields,
  };
}

export function step(no: number, name: string, status: string, fields: Partial<CheckStep> = {}): CheckStep {
  return {
    StepNo: no,
    StepId: `Step${no}`,
    StepName: name,
    StepStatus: status,
    StepMessage: "",
    HasSkipped: false,
    DetailCheckItems: [],
    ...fields,
  };
}

/** Any text, the hostile kinds weighted in: control characters, lone surrogates, markup. */
const hostileText = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.string({
    unit: fc.constantFrom(
      "\u0000",
      "\u0008",
      "\u001b",
      "\ud800",
      "\udfff",
      "\ufffe",
      "\uffff",
      "]]>",
      "<",
      "&",
      '"',
      "\r\n",
      "\u2028",
      "a",
    ),
  }),
  fc.constantFrom("]]>", "<![CDATA[x]]>", "&amp;", "</testcase>", '"><failure>', "\ud83d", "\ude00\ud83d"),
);
const nullable = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });
const status = fc.oneof(fc.constantFrom("pass", "failed", "warning", "notStarted", "running", "blocked"), hostileText);

const detail: fc.Arbitrary<CheckStepDetail> = fc.record({
  CheckItemName: nullable(hostileText),
  Description: nullable(hostileText),
  CheckResult: nullable(fc.oneof(fc.constantFrom("failed", "warning", "pass"), hostileText)),
  FailureReason: nullable(hostileText),
  Solution: nullable(hostileText),
  ErrorLog: nullable(fc.array(hostileText, { maxLength: 3 })),
  HelpDoc: nullable(fc.array(hostileText, { maxLength: 3 })),
  SkipInfo: nullable(hostileText),
});

export const checkStep: fc.Arbitrary<CheckStep> = fc.record({
  StepNo: nullable(fc.integer()),
  StepId: nullable(hostileText),
  StepName: nullable(hostileText),
  StepStatus: nullable(status),
  StepMessage: nullable(hostileText),
  HasSkipped: nullable(fc.boolean()),
  DetailCheckItems: nullable(fc.array(detail, { maxLength: 4 })),
});

const outcome = fc.constantFrom<Outcome>("pass", "notPass", "failed", "timeout", "error", "cancelled");

export const jobReport: fc.Arbitrary<JobReport> = fc
  .record({
    jobId: hostileText,
    outcome,
    status: nullable(hostileText),
    checkFlag: nullable(hostileText),
    briefMsg: nullable(hostileText),
    stepInfo: nullable(fc.array(checkStep, { maxLength: 6 })),
    requestId: nullable(hostileText),
    notes: fc.array(hostileText, { maxLength: 2 }),
    error: fc.option(
      fc.record(
        { code: hostileText, message: hostileText, requestId: hostileText },
        { requiredKeys: ["code", "message"] },
      ),
      { nil: undefined },
    ),
    started: nullable(fc.record({ requestId: hostileText })),
  })
  .map(({ jobId, outcome, error, ...rest }) => job(jobId, outcome, { ...rest, ...(error ? { error } : {}) }));
