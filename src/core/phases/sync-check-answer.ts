import type { ApiAnswer, CheckStep, CheckStepDetail } from "../../tencent/types.js";
import { Reader } from "../answer-reader.js";
import { clean } from "../text.js";
import type { CheckAnswer } from "./check-answer.js";
import type { Judgement } from "./check-verdict.js";

/** The step statuses DescribeCheckSyncJobResult documents. */
const STEP_STATUSES = new Set(["notStarted", "running", "failed", "finished", "skipped", "paused"]);
const CHECK_STATUSES = new Set(["notStarted", "running", "failed", "success"]);

/** An error or warning of a sync check step, as a check item: its code names it. */
function readTip(reader: Reader, raw: Record<string, unknown>, where: string, result: string): CheckStepDetail {
  const helpDoc = reader.text(raw.HelpDoc, `${where}.HelpDoc`);
  return {
    CheckItemName: reader.text(raw.Code, `${where}.Code`),
    Description: null,
    CheckResult: result,
    FailureReason: reader.text(raw.Message, `${where}.Message`),
    Solution: reader.text(raw.Solution, `${where}.Solution`),
    ErrorLog: null,
    HelpDoc: helpDoc ? [helpDoc] : null,
    SkipInfo: reader.text(raw.SkipInfo, `${where}.SkipInfo`),
  };
}

function readTips(reader: Reader, value: unknown, where: string, result: string): CheckStepDetail[] {
  const raws = reader.objects(value, where) ?? [];
  const tips: CheckStepDetail[] = [];
  for (let index = 0; index < raws.length; index++)
    tips.push(readTip(reader, raws[index] ?? {}, `${where}[${index}]`, result));
  return tips;
}

/**
 * A sync check step in the migration check's shape, so every output shows both alike: `finished`
 * is `pass` (`warning` with warnings), `skipped` is a skipped step, any other status is kept as
 * sent; Errors are failed items and Warnings warning items, named by their codes.
 */
function readSyncStep(reader: Reader, raw: Record<string, unknown>, where: string): CheckStep {
  const status = reader.word(raw.Status, `${where}.Status`);
  const errors = readTips(reader, raw.Errors, `${where}.Errors`, "failed");
  const warnings = readTips(reader, raw.Warnings, `${where}.Warnings`, "warning");
  const shown = status === "finished" ? (warnings.length > 0 ? "warning" : "pass") : status;
  return {
    StepNo: reader.number(raw.StepNo, `${where}.StepNo`),
    StepId: reader.text(raw.StepId, `${where}.StepId`),
    StepName: reader.text(raw.StepName, `${where}.StepName`),
    StepStatus: shown,
    StepMessage: null,
    HasSkipped: status === "skipped",
    DetailCheckItems: [...errors, ...warnings],
  };
}

/**
 * The one validating step for a DescribeCheckSyncJobResult answer (`StepInfos`, plural): any JSON
 * in, the check's view out, with no CheckFlag and no BriefMsg (the sync check has neither). Never
 * throws; loops without spreading.
 */
export function readSyncCheckAnswer(answer: ApiAnswer): CheckAnswer {
  const reader = new Reader();
  const readable = reader.count;
  const rawSteps = reader.objects(answer.StepInfos, "StepInfos");
  let steps: CheckStep[] | null = null;
  if (rawSteps) {
    steps = [];
    for (let index = 0; index < rawSteps.length; index++) {
      steps.push(readSyncStep(reader, rawSteps[index] ?? {}, `StepInfos[${index}]`));
    }
  }
  const stepsUnreadable = reader.count > readable;
  return {
    response: {
      Status: reader.word(answer.Status, "Status"),
      BriefMsg: null,
      StepInfo: steps,
      CheckFlag: null,
      RequestId: clean(answer.RequestId),
      ...(stepsUnreadable ? { stepsUnreadable } : {}),
    },
    anomalies: reader.anomalies,
  };
}

/**
 * The sync check's verdict: `Status` exactly `success` with no step `failed` passes; a failed step
 * under `success` does not pass; `failed` is the check task failing. A step whose status is no
 * documented word holds the verdict back: it is never read as not failed.
 */
export function judgeSyncCheck(response: CheckAnswer["response"]): Judgement {
  const { Status: status } = response;
  if (status === "failed") return { state: "failed" };
  if (status === "success") {
    const steps = response.StepInfo ?? [];
    if (steps.some((step) => step.StepStatus === "failed")) return { state: "notPass" };
    const odd = steps.find((step) => !isDocumentedStepStatus(step));
    if (odd)
      return {
        state: "waiting",
        note: `Status success but a step is ${JSON.stringify(odd.StepStatus)}: no verdict yet`,
      };
    return { state: "pass" };
  }
  if (status !== null && !CHECK_STATUSES.has(status)) {
    return { state: "waiting", note: `unexpected Status ${JSON.stringify(status)}` };
  }
  return { state: "waiting" };
}

/** A step read from a documented status: `pass` and `warning` are `finished`, the rest as sent. */
function isDocumentedStepStatus(step: CheckStep): boolean {
  const status = step.StepStatus;
  return status === "pass" || status === "warning" || (status !== null && STEP_STATUSES.has(status));
}
