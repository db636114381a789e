import type { ApiAnswer } from "../../tencent/types.js";
import { isRecord, Reader } from "../answer-reader.js";
import { clean } from "../text.js";

export interface MigrationStep {
  readonly stepId: string | null;
  readonly name: string | null;
  readonly status: string | null;
  readonly percent: number | null;
}

export interface MigrationError {
  readonly code: string | null;
  readonly solution: string | null;
  readonly errorLog: string | null;
}

/** A DescribeMigrationDetail answer as the gate reads it: only what the migration phase judges or shows. */
export interface MigrationView {
  readonly status: string | null;
  readonly briefMsg: string | null;
  readonly stepNow: number | null;
  readonly stepAll: number | null;
  /** SecondsBehindMaster as sent: -1 means not valid; null when absent or not a number. */
  readonly lagSeconds: number | null;
  /** MasterSlaveDistance (MB) as sent, the same way. */
  readonly gapMB: number | null;
  /** Action.AllowedAction: null when absent or null. */
  readonly allowedActions: readonly string[] | null;
  /** Action.AllowedAction was present but not an array: it cannot say that completing is allowed. */
  readonly allowedActionsMalformed: boolean;
  readonly steps: readonly MigrationStep[] | null;
  readonly errors: readonly MigrationError[];
  readonly tradeStatus: string | null;
  readonly requestId: string;
}

/** The one validating step for a DescribeMigrationDetail answer; never throws, loops without spreading. */
export function readMigrationAnswer(answer: ApiAnswer): { view: MigrationView; anomalies: readonly string[] } {
  const reader = new Reader();
  const stepInfo = objectAt(reader, answer.StepInfo, "StepInfo");
  const action = objectAt(reader, answer.Action, "Action");
  const trade = objectAt(reader, answer.TradeInfo, "TradeInfo");
  const rawAllowed = action?.AllowedAction;
  // An Action of another type cannot say that completing is allowed: it counts against, as a bad list does.
  const actionMalformed = answer.Action !== undefined && answer.Action !== null && action === null;
  const allowedActionsMalformed =
    actionMalformed || (rawAllowed !== undefined && rawAllowed !== null && !Array.isArray(rawAllowed));
  if (allowedActionsMalformed) reader.note("Action.AllowedAction", "was not an array");
  let allowedActions: string[] | null = null;
  if (Array.isArray(rawAllowed)) {
    allowedActions = [];
    for (let index = 0; index < rawAllowed.length; index++) {
      const word = reader.word(rawAllowed[index], `Action.AllowedAction[${index}]`);
      if (word !== null) allowedActions.push(word);
    }
  }
  const steps: MigrationStep[] | null = stepInfo ? [] : null;
  const rawSteps = stepInfo ? reader.objects(stepInfo.StepInfo, "StepInfo.StepInfo") : null;
  for (let index = 0; steps && rawSteps && index < rawSteps.length; index++) {
    const raw = rawSteps[index] ?? {};
    const where = `StepInfo.StepInfo[${index}]`;
    steps.push({
      stepId: reader.text(raw.StepId, `${where}.StepId`),
      name: reader.text(raw.StepName, `${where}.StepName`),
      status: reader.word(raw.Status, `${where}.Status`),
      percent: reader.number(raw.Percent, `${where}.Percent`),
    });
  }
  const errors: MigrationError[] = [];
  const rawErrors = reader.objects(answer.ErrorInfo, "ErrorInfo") ?? [];
  for (let index = 0; index < rawErrors.length; index++) {
    const raw = rawErrors[index] ?? {};
    errors.push({
      code: reader.text(raw.Code, `ErrorInfo[${index}].Code`),
      solution: reader.text(raw.Solution, `ErrorInfo[${index}].Solution`),
      errorLog: reader.text(raw.ErrorLog, `ErrorInfo[${index}].ErrorLog`),
    });
  }
  const view: MigrationView = {
    status: reader.word(answer.Status, "Status"),
    briefMsg: reader.text(answer.BriefMsg, "BriefMsg"),
    stepNow: reader.number(stepInfo?.StepNow, "StepInfo.StepNow"),
    stepAll: reader.number(stepInfo?.StepAll, "StepInfo.StepAll"),
    lagSeconds: reader.number(stepInfo?.SecondsBehindMaster, "StepInfo.SecondsBehindMaster"),
    gapMB: reader.number(stepInfo?.MasterSlaveDistance, "StepInfo.MasterSlaveDistance"),
    allowedActions,
    allowedActionsMalformed,
    steps,
    errors,
    tradeStatus: reader.word(trade?.TradeStatus, "TradeInfo.TradeStatus"),
    requestId: clean(answer.RequestId),
  };
  return { view, anomalies: reader.anomalies };
}

/** An object field: null when absent or null; noted and left out when of another type. */
function objectAt(reader: Reader, value: unknown, where: string): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  if (isRecord(value)) return value;
  reader.note(where, "was not an object: left out");
  return null;
}
