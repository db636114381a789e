import type { ApiAnswer } from "../../tencent/types.js";
import { isRecord, Reader } from "../answer-reader.js";
import { clean } from "../text.js";
import type { MigrationError, MigrationStep, MigrationView } from "./migration-answer.js";

/**
 * The one validating step for a DescribeSyncJobs answer: the job's SyncJobInfo, read into the same
 * view as a migration's detail (status, steps, lag, gap, allowed actions, errors), so that the
 * outputs show both alike. Never throws; loops without spreading.
 */
export function readSyncJobsAnswer(
  answer: ApiAnswer,
  jobId: string,
): { view: MigrationView; anomalies: readonly string[] } {
  const reader = new Reader();
  const jobs = reader.objects(answer.JobList, "JobList") ?? [];
  const job = jobs.find((candidate) => candidate.JobId === jobId) ?? {};
  const detail = isRecord(job.Detail) ? job.Detail : {};
  const rawActions = job.Actions;
  const allowedActionsMalformed = rawActions !== undefined && rawActions !== null && !Array.isArray(rawActions);
  if (allowedActionsMalformed) reader.note("JobList[].Actions", "was not an array");
  let allowedActions: string[] | null = null;
  if (Array.isArray(rawActions)) {
    allowedActions = [];
    for (let index = 0; index < rawActions.length; index++) {
      const word = reader.word(rawActions[index], `JobList[].Actions[${index}]`);
      if (word !== null) allowedActions.push(word);
    }
  }
  const rawSteps = reader.objects(detail.StepInfos, "JobList[].Detail.StepInfos");
  const steps: MigrationStep[] | null = rawSteps ? [] : null;
  for (let index = 0; steps && rawSteps && index < rawSteps.length; index++) {
    const raw = rawSteps[index] ?? {};
    const where = `JobList[].Detail.StepInfos[${index}]`;
    steps.push({
      stepId: reader.text(raw.StepId, `${where}.StepId`),
      name: reader.text(raw.StepName, `${where}.StepName`),
      status: reader.word(raw.Status, `${where}.Status`),
      percent: reader.number(raw.Progress, `${where}.Progress`),
    });
  }
  const errInfo = isRecord(detail.ErrInfo) ? detail.ErrInfo : {};
  const error: MigrationError = {
    code: reader.text(errInfo.Reason, "JobList[].Detail.ErrInfo.Reason"),
    errorLog: reader.text(errInfo.Message, "JobList[].Detail.ErrInfo.Message"),
    solution: reader.text(errInfo.Solution, "JobList[].Detail.ErrInfo.Solution"),
  };
  const view: MigrationView = {
    status: reader.word(job.Status, "JobList[].Status"),
    briefMsg: reader.text(detail.Message, "JobList[].Detail.Message"),
    stepNow: reader.number(detail.StepNow, "JobList[].Detail.StepNow"),
    stepAll: reader.number(detail.StepAll, "JobList[].Detail.StepAll"),
    lagSeconds: reader.number(detail.SecondsBehindMaster, "JobList[].Detail.SecondsBehindMaster"),
    gapMB: reader.number(detail.MasterSlaveDistance, "JobList[].Detail.MasterSlaveDistance"),
    allowedActions,
    allowedActionsMalformed,
    steps,
    errors: error.code || error.errorLog || error.solution ? [error] : [],
    tradeStatus: reader.word(job.TradeStatus, "JobList[].TradeStatus"),
    requestId: clean(answer.RequestId),
  };
  return { view, anomalies: reader.anomalies };
}
