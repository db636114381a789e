/** Answers of the consistency check and data sync actions, as the API sends them, for scripted clients. */

let seq = 0;
const requestId = () => `kind-req-${++seq}`;

/** A DescribeCompareTasks answer listing one task. */
export function compareTasksAnswer(taskId: string, status: unknown, conclusion: unknown = "", message = "") {
  return {
    TotalCount: 1,
    Items: [{ CompareTaskId: taskId, Status: status, Conclusion: conclusion, Message: message }],
    RequestId: requestId(),
  };
}

/** A DescribeCompareReport page: `tables` as db.table pairs, each one difference item. */
export function compareReportAnswer(
  tables: readonly (readonly [string, string])[],
  total = tables.length,
  abstract: Record<string, unknown> = {},
) {
  return {
    Abstract: {
      Status: "success",
      Conclusion: tables.length > 0 ? "different" : "same",
      CheckedTables: 40,
      DifferentTables: total,
      SkippedTables: 0,
      DifferentRows: total * 3,
      ...abstract,
    },
    Detail: {
      Difference: { TotalCount: total, Items: tables.map(([Db, Table]) => ({ Db, Table, Chunk: 1 })) },
      Skipped: { TotalCount: 0, Items: [] },
    },
    RequestId: requestId(),
  };
}

/** A sync check step: `status` as the sync API words it, with error and warning codes. */
export function syncStep(no: number, status: unknown, errors: string[] = [], warnings: string[] = []) {
  const tip = (code: string) => ({
    Code: code,
    Message: `${code} message`,
    Solution: "fix it",
    HelpDoc: "",
    SkipInfo: "",
  });
  return {
    StepNo: no,
    StepName: `Step ${no}`,
    StepId: `Step${no}`,
    Status: status,
    Errors: errors.map(tip),
    Warnings: warnings.map(tip),
    Progress: 100,
  };
}

/** A DescribeCheckSyncJobResult answer. */
export function syncCheckAnswer(status: unknown, steps: unknown[] = [syncStep(1, "finished")]) {
  return {
    Status: status,
    StepCount: steps.length,
    StepCur: steps.length,
    Progress: 100,
    StepInfos: steps,
    RequestId: requestId(),
  };
}

export interface SyncShape {
  readonly lag?: unknown;
  readonly gap?: unknown;
  readonly stepNow?: unknown;
  readonly trade?: string;
}

/** A DescribeSyncJobs answer for `jobId`, by default Running in its incremental step with no lag. */
export function syncJobsAnswer(jobId: string, status: unknown, shape: SyncShape = {}) {
  const ids = ["schema-init", "dumper", "loader", "sinker"];
  return {
    TotalCount: 1,
    JobList: [
      {
        JobId: jobId,
        Status: status,
        Actions: ["Stop"],
        TradeStatus: shape.trade ?? "Normal",
        Detail: {
          StepAll: 4,
          StepNow: "stepNow" in shape ? shape.stepNow : 4,
          SecondsBehindMaster: "lag" in shape ? shape.lag : 0,
          MasterSlaveDistance: "gap" in shape ? shape.gap : 0,
          Message: "",
          StepInfos: ids.map((StepId, index) => ({
            StepNo: index + 1,
            StepId,
            StepName: StepId,
            Status: "running",
            Progress: 100,
          })),
          ErrInfo: { Reason: "", Message: "", Solution: "" },
        },
      },
    ],
    RequestId: requestId(),
  };
}
