import type { GateResult, JobReport } from "../../src/core/types.js";
import { warningsOf } from "../../src/core/verdict.js";
import { checkView, type ScenarioName } from "../../src/simulator/scenarios.js";
import type { CheckStep } from "../../src/tencent/types.js";

/** A finished job as the gate reports it, its steps from the simulator's scenario. */
export function jobReport(jobId: string, scenario: ScenarioName, overrides: Partial<JobReport> = {}): JobReport {
  const view = checkView(scenario, Number.POSITIVE_INFINITY, 20);
  const outcome =
    view.Status === "failed"
      ? "failed"
      : view.CheckFlag === "checkPass"
        ? "pass"
        : view.CheckFlag
          ? "notPass"
          : "timeout";
  return {
    jobId,
    outcome,
    status: view.Status,
    checkFlag: view.CheckFlag,
    briefMsg: view.BriefMsg,
    stepInfo: view.StepInfo,
    requestId: "8f5e7c1a-0000-4000-8000-000000000000",
    polls: 3,
    requests: 3,
    elapsedMs: 1250,
    warnings: outcome === "pass" ? warningsOf(view.StepInfo) : [],
    created: null,
    started: null,
    startRequests: 0,
    notes: [],
    ...overrides,
  };
}

export function gateResult(jobs: JobReport[], overrides: Partial<GateResult> = {}): GateResult {
  const passed = jobs.every((job) => job.outcome === "pass");
  return {
    passed,
    exitCode: passed ? 0 : 1,
    interrupted: false,
    failOnWarning: false,
    reason: passed ? "gate open: the check passed" : "gate closed: a check did not pass",
    jobs,
    ...overrides,
  };
}

/** Steps with one hostile step (StepNo 1) carrying the given items. */
export function hostileSteps(step: Partial<CheckStep>): CheckStep[] {
  return [0, 1, 2].map((stepNo) => ({
    StepNo: stepNo,
    StepId: `Step${stepNo}`,
    StepName: `Step ${stepNo}`,
    StepStatus: "pass",
    StepMessage: "",
    HasSkipped: false,
    DetailCheckItems: [],
    ...(stepNo === 1 ? step : {}),
  }));
}
