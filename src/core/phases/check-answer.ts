import type { ApiAnswer, CheckStep, CheckStepDetail, DescribeMigrationCheckJobResponse } from "../../tencent/types.js";
import { Reader } from "../answer-reader.js";
import { clean } from "../text.js";

/**
 * The one validating step for a DescribeMigrationCheckJob answer: any JSON in, the typed view out.
 * Nothing after it trusts a shape. A field of the documented type is kept; null or absent is null;
 * a value of another type is kept as text for the report (a number `5` for Status becomes "5",
 * an object becomes its JSON, cut short) and noted, so that it can never equal a verdict word by
 * accident of type. Every string is cleaned (`clean`): no control character or line break of API
 * origin goes further, so that secrets can be redacted from what is shown and not from a variant of it.
 * Loops only, no spreading: an answer of 200,000 steps reads like one of 13.
 */
export interface CheckAnswer {
  readonly response: CheckView;
  /** What did not have the documented type, in words, at most MAX_NOTES of them. */
  readonly anomalies: readonly string[];
}

/**
 * A check's answer as the gate reads it. `stepsUnreadable`: some part of the steps or their items had
 * another type than documented (a container that is no array, an entry that is no object, a result
 * word of another type), so a warning may hide in what could not be read.
 */
export interface CheckView extends DescribeMigrationCheckJobResponse {
  readonly stepsUnreadable?: true;
}

function readItem(reader: Reader, raw: Record<string, unknown>, where: string): CheckStepDetail {
  return {
    CheckItemName: reader.text(raw.CheckItemName, `${where}.CheckItemName`),
    Description: reader.text(raw.Description, `${where}.Description`),
    CheckResult: reader.word(raw.CheckResult, `${where}.CheckResult`),
    FailureReason: reader.text(raw.FailureReason, `${where}.FailureReason`),
    Solution: reader.text(raw.Solution, `${where}.Solution`),
    ErrorLog: reader.texts(raw.ErrorLog, `${where}.ErrorLog`),
    HelpDoc: reader.texts(raw.HelpDoc, `${where}.HelpDoc`),
    SkipInfo: reader.text(raw.SkipInfo, `${where}.SkipInfo`),
  };
}

function readStep(reader: Reader, raw: Record<string, unknown>, where: string): CheckStep {
  const items = reader.objects(raw.DetailCheckItems, `${where}.DetailCheckItems`);
  let details: CheckStepDetail[] | null = null;
  if (items) {
    details = [];
    for (let index = 0; index < items.length; index++) {
      const item = items[index];
      if (item) details.push(readItem(reader, item, `${where}.DetailCheckItems[${index}]`));
    }
  }
  return {
    StepNo: reader.number(raw.StepNo, `${where}.StepNo`),
    StepId: reader.text(raw.StepId, `${where}.StepId`),
    StepName: reader.text(raw.StepName, `${where}.StepName`),
    StepStatus: reader.word(raw.StepStatus, `${where}.StepStatus`),
    StepMessage: reader.text(raw.StepMessage, `${where}.StepMessage`),
    HasSkipped: reader.flag(raw.HasSkipped, `${where}.HasSkipped`),
    DetailCheckItems: details,
  };
}

/** Reads a DescribeMigrationCheckJob answer of any shape; never throws. */
export function readCheckAnswer(answer: ApiAnswer): CheckAnswer {
  const reader = new Reader();
  const readable = reader.count;
  const rawSteps = reader.objects(answer.StepInfo, "StepInfo");
  let steps: CheckStep[] | null = null;
  if (rawSteps) {
    steps = [];
    for (let index = 0; index < rawSteps.length; index++) {
      const step = rawSteps[index];
      if (step) steps.push(readStep(reader, step, `StepInfo[${index}]`));
    }
  }
  const stepsUnreadable = reader.count > readable;
  const response: CheckView = {
    Status: reader.word(answer.Status, "Status"),
    BriefMsg: reader.text(answer.BriefMsg, "BriefMsg"),
    StepInfo: steps,
    CheckFlag: reader.word(answer.CheckFlag, "CheckFlag"),
    RequestId: clean(answer.RequestId),
    ...(stepsUnreadable ? { stepsUnreadable } : {}),
  };
  return { response, anomalies: reader.anomalies };
}
