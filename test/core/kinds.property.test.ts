import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareTargetOf } from "../../src/core/job-kind.js";
import { JobRecord } from "../../src/core/job-record.js";
import { checkPhase } from "../../src/core/phases/check.js";
import { comparePhase } from "../../src/core/phases/compare.js";
import { readComparePage } from "../../src/core/phases/compare-answer.js";
import { syncRunPhase } from "../../src/core/phases/sync-run.js";
import { anyJson, field, text } from "../helpers/answers.js";
import { gateHarness, JOB } from "../helpers/gate-harness.js";
import { propertyOptions } from "../helpers/property.js";

const TASK = `${JOB}-cmp-37skmii9`;
const SYNC = "sync-1ewjspuw";

function word(...words: string[]): fc.Arbitrary<unknown> {
  return field(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...words) }, { weight: 1, arbitrary: text }));
}

/** An answer as the client hands it over: any fields, and a RequestId. */
function withRequestId(answer: Record<string, unknown>): {
  readonly RequestId: string;
  readonly [field: string]: unknown;
} {
  return { ...answer, RequestId: "r" };
}

const record = (value: Record<string, fc.Arbitrary<unknown>>) =>
  fc.record(value, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>;

const compareItem = record({
  CompareTaskId: fc.constantFrom(TASK, `${JOB}-cmp-other000`, "", 5),
  Status: word("created", "readyRun", "running", "success", "stopping", "failed", "canceled"),
  Conclusion: word("same", "different", "skipAll", "Same"),
  Message: field(text),
  CompareProcess: field(record({ Percent: field(fc.integer()) })),
});
const compareTasksAnswer = record({
  TotalCount: field(fc.integer()),
  Items: field(
    fc.array(fc.oneof({ weight: 5, arbitrary: compareItem }, { weight: 1, arbitrary: anyJson }), { maxLength: 3 }),
  ),
}).map(withRequestId);

const difference = record({ Db: field(text), Table: field(text), Chunk: field(fc.integer()) });
const compareReportAnswer = record({
  Abstract: field(
    record({
      Conclusion: word("same", "different", "skipAll"),
      CheckedTables: field(fc.integer()),
      DifferentTables: field(fc.integer()),
      SkippedTables: field(fc.integer()),
      DifferentRows: field(fc.integer()),
    }),
  ),
  Detail: field(
    record({
      Difference: field(
        record({ TotalCount: field(fc.integer()), Items: field(fc.array(difference, { maxLength: 5 })) }),
      ),
    }),
  ),
}).map(withRequestId);

const syncCheckStep = record({
  StepNo: field(fc.integer()),
  StepId: field(text),
  StepName: field(text),
  Status: word("notStarted", "running", "failed", "finished", "skipped", "paused"),
  Errors: field(fc.array(record({ Code: field(text), Message: field(text), HelpDoc: field(text) }), { maxLength: 2 })),
  Warnings: field(fc.array(record({ Code: field(text), Message: field(text) }), { maxLength: 2 })),
});
const syncCheckAnswer = record({
  Status: word("notStarted", "running", "failed", "success"),
  StepInfos: field(
    fc.array(fc.oneof({ weight: 5, arbitrary: syncCheckStep }, { weight: 1, arbitrary: anyJson }), { maxLength: 4 }),
  ),
}).map(withRequestId);

const syncJob = record({
  JobId: fc.constantFrom(SYNC, "sync-other000"),
  Status: word("Running", "ReadyRunning", "Failed", "Paused", "Stopped", "ResumableErr", "CheckPass", "Released"),
  TradeStatus: word("Normal", "Isolated", "offlined", "Isolating"),
  Actions: field(fc.array(text, { maxLength: 2 })),
  Detail: field(
    record({
      StepAll: field(fc.constantFrom(4, 3)),
      StepNow: field(fc.constantFrom(1, 3, 4, -1)),
      SecondsBehindMaster: field(fc.constantFrom(0, 1, 5, -1)),
      MasterSlaveDistance: field(fc.constantFrom(0, 2, -1)),
      StepInfos: field(
        fc.array(record({ StepId: word("dumper", "loader", "sinker"), Status: field(text) }), { maxLength: 4 }),
      ),
    }),
  ),
});
const syncJobsAnswer = record({ JobList: field(fc.array(syncJob, { maxLength: 2 })) }).map(withRequestId);

type Raw = Record<string, unknown>;
const isRaw = (value: unknown): value is Raw => typeof value === "object" && value !== null && !Array.isArray(value);

describe("the new actions under any answer", () => {
  it("DescribeCompareTasks: never crashes; done only on the task's Status exactly success and Conclusion exactly same", () => {
    const target = compareTargetOf(TASK);
    if (!target) throw new Error("bad task id");
    fc.assert(
      fc.property(compareTasksAnswer, (answer) => {
        const phase = comparePhase(new JobRecord(TASK), target, "pass");
        const verdict = phase.take(phase.read(answer).view, 0);
        if (verdict.state === "done") {
          const items = Array.isArray(answer.Items) ? answer.Items.filter(isRaw) : [];
          const item = items.find((candidate) => candidate.CompareTaskId === TASK);
          expect(item?.Status).toBe("success");
          expect(item?.Conclusion).toBe("same");
        }
      }),
      propertyOptions(2_000),
    );
  });

  it("DescribeCompareReport: never crashes; the differences read are at most the page's items", () => {
    fc.assert(
      fc.property(compareReportAnswer, (answer) => {
        const { page } = readComparePage(answer);
        expect(page.differences.length).toBe(page.items);
        expect(() => JSON.stringify(page)).not.toThrow();
      }),
      propertyOptions(2_000),
    );
  });

  it("DescribeCompareReport: whatever the report holds, the task's own state decides the gate", async () => {
    await fc.assert(
      fc.asyncProperty(compareReportAnswer, fc.constantFrom("same", "different"), async (report, conclusion) => {
        const { client, run } = gateHarness({ jobIds: [TASK] });
        client.script("DescribeCompareTasks", JOB, [
          {
            TotalCount: 1,
            Items: [{ CompareTaskId: TASK, Status: "success", Conclusion: conclusion }],
            RequestId: "t",
          },
        ]);
        client.script("DescribeCompareReport", JOB, [report]);
        const result = await run();
        expect(result.exitCode).toBe(conclusion === "same" ? 0 : 1);
      }),
      propertyOptions(300),
    );
  });

  it("DescribeCheckSyncJobResult: never crashes; passes only on Status exactly success with no step failed", () => {
    fc.assert(
      fc.property(syncCheckAnswer, (answer) => {
        const phase = checkPhase(new JobRecord(SYNC), { newCheck: false }, 0);
        expect(phase.action).toBe("DescribeCheckSyncJobResult");
        const verdict = phase.take(phase.read(answer).view, 0);
        if (verdict.state === "done") {
          expect(answer.Status).toBe("success");
          const steps = Array.isArray(answer.StepInfos) ? answer.StepInfos.filter(isRaw) : [];
          expect(steps.some((step) => step.Status === "failed")).toBe(false);
        }
      }),
      propertyOptions(2_000),
    );
  });

  it("DescribeSyncJobs: never crashes; ready only Running in the incremental step, lag and gap known and within bounds", () => {
    fc.assert(
      fc.property(syncJobsAnswer, fc.boolean(), (answer, startedByGate) => {
        const phase = syncRunPhase(new JobRecord(SYNC), { maxLagSeconds: 1, maxGapMB: 0, settleMs: 0, startedByGate });
        const verdict = phase.take(phase.read(answer).view, 0);
        if (verdict.state !== "done") return;
        const jobs = Array.isArray(answer.JobList) ? answer.JobList.filter(isRaw) : [];
        const job = jobs.find((candidate) => candidate.JobId === SYNC);
        const detail = isRaw(job?.Detail) ? job.Detail : {};
        expect(job?.Status).toBe("Running");
        expect(["isolating", "isolated", "offlining", "offlined"]).not.toContain(
          String(job?.TradeStatus).toLowerCase(),
        );
        expect(detail.SecondsBehindMaster === 0 || detail.SecondsBehindMaster === 1).toBe(true);
        expect(detail.MasterSlaveDistance).toBe(0);
        const steps = Array.isArray(detail.StepInfos) ? detail.StepInfos : [];
        const current = steps[Number(detail.StepNow) - 1];
        expect(detail.StepNow === detail.StepAll || (isRaw(current) && current.StepId === "sinker")).toBe(true);
      }),
      propertyOptions(2_000),
    );
  });
});
