import { randomInt } from "node:crypto";
import { beijingTime, NOT_YET } from "./beijing-time.js";
import type { ScenarioName } from "./scenarios.js";

/** A consistency check of a migration or sync job. */
export interface CompareTask {
  readonly taskId: string;
  readonly createdAtMs: number;
  /** StartCompare accepted at; undefined: created, not started. */
  startedAtMs: number | undefined;
  /** The check finds differences (the job's scenario is `different`). */
  readonly different: boolean;
  /** Durations of COMPARE_STEPS. */
  readonly durations: readonly number[];
}

/** The steps of a consistency check. */
export const COMPARE_STEPS = [
  { StepId: "PrepareCompare", StepName: "Prepare the objects to compare" },
  { StepId: "CompareData", StepName: "Compare the data" },
  { StepId: "SummarizeCompare", StepName: "Summarise the differences" },
] as const;

/** Difference items DescribeCompareReport answers at most at once (and by default). */
const MAX_DIFFERENCES_PER_PAGE = 100;
const TOTAL_TABLES = 40;

/** Tables the `different` scenario finds differing: 24 in three databases, the first six in two chunks each. */
const DIFFERING_TABLES: readonly (readonly [string, string])[] = [
  ...["orders", "order_items", "customers", "products", "inventory", "carts", "cart_items", "coupons", "reviews"].map(
    (table) => ["shop", table] as const,
  ),
  ["shop", "shipments"],
  ...["invoices", "invoice_lines", "payments", "refunds", "ledgers", "tax_rates", "subscriptions", "credits"].map(
    (table) => ["billing", table] as const,
  ),
  ...["contacts", "accounts", "leads", "opportunities", "notes", "tasks"].map((table) => ["crm", table] as const),
];
const TWO_CHUNK_TABLES = 6;
const ROWS_PER_CHUNK = 3;

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A new compare task id: the job id, `-cmp-`, eight random characters. */
export function newCompareTaskId(jobId: string): string {
  const tail = Array.from({ length: 8 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join("");
  return `${jobId}-cmp-${tail}`;
}

/** A task of the job whose scenario is given, created at `atMs` and started at `startedAtMs`. */
export function newCompareTask(
  taskId: string,
  scenario: ScenarioName,
  durations: readonly number[],
  atMs: number,
  startedAtMs: number | undefined,
): CompareTask {
  return { taskId, createdAtMs: atMs, startedAtMs, different: scenario === "different", durations };
}

interface CompareState {
  /** CompareTaskItem.Status. */
  readonly status: "created" | "running" | "success";
  readonly stepsDone: number;
  readonly finishedAtMs: number | undefined;
}

export function compareState(task: CompareTask, atMs: number): CompareState {
  if (task.startedAtMs === undefined) return { status: "created", stepsDone: 0, finishedAtMs: undefined };
  let endMs = task.startedAtMs;
  let done = 0;
  for (const duration of task.durations) {
    if (endMs + duration > atMs) break;
    endMs += duration;
    done += 1;
  }
  if (done < task.durations.length) return { status: "running", stepsDone: done, finishedAtMs: undefined };
  return { status: "success", stepsDone: done, finishedAtMs: endMs };
}

/** The task as a job's detail names it (CompareTaskInfo). */
export function compareTaskInfo(
  task: CompareTask | undefined,
  atMs: number,
): { CompareTaskId: string; Status: string } {
  if (task === undefined) return { CompareTaskId: "", Status: "notexist" };
  const { status } = compareState(task, atMs);
  const word = status === "created" ? "unstart" : status === "running" ? "running" : undefined;
  return { CompareTaskId: task.taskId, Status: word ?? (task.different ? "inconsistent" : "consistent") };
}

function conclusion(task: CompareTask, state: CompareState): string {
  if (state.status !== "success") return "";
  return task.different ? "different" : "same";
}

const OPTIONS = { Method: "dataCheck", SampleRate: 100, ThreadCount: 1, Type: "builtin" } as const;

/** One CompareTaskItem. */
export function compareTaskItem(jobId: string, task: CompareTask, atMs: number): Record<string, unknown> {
  const state = compareState(task, atMs);
  const started = task.startedAtMs !== undefined;
  const steps = COMPARE_STEPS.map((meta, index) => ({
    StepNo: index + 1,
    StepName: meta.StepName,
    StepId: meta.StepId,
    Status: index < state.stepsDone ? "success" : index === state.stepsDone && started ? "running" : "notStarted",
    StartTime: NOT_YET,
    FinishTime: NOT_YET,
    StepMessage: "",
    Percent: index < state.stepsDone ? 100 : 0,
    Errors: [],
    Warnings: [],
  }));
  const finished = state.status === "success";
  return {
    JobId: jobId,
    CompareTaskId: task.taskId,
    TaskName: `dts-gate-sim ${task.taskId}`,
    Status: state.status,
    Config: { ObjectMode: "all", ObjectItems: [], AdvancedObjects: [] },
    CheckProcess: {
      Status: started ? "success" : "notStarted",
      Percent: started ? 100 : 0,
      StepAll: 1,
      StepNow: started ? 1 : 0,
      Message: "",
      Steps: [],
    },
    CompareProcess: {
      Status: state.status === "created" ? "notStarted" : state.status,
      Percent: Math.floor((100 * state.stepsDone) / COMPARE_STEPS.length),
      StepAll: COMPARE_STEPS.length,
      StepNow: finished ? COMPARE_STEPS.length : started ? state.stepsDone + 1 : 0,
      Message: "",
      Steps: steps,
    },
    Conclusion: conclusion(task, state),
    CreatedAt: beijingTime(task.createdAtMs),
    StartedAt: beijingTime(task.startedAtMs),
    FinishedAt: beijingTime(state.finishedAtMs),
    Method: OPTIONS.Method,
    Options: { ...OPTIONS },
    Message: "",
  };
}

function differenceItems(finishedAtMs: number | undefined) {
  return DIFFERING_TABLES.flatMap(([Db, Table], index) =>
    Array.from({ length: index < TWO_CHUNK_TABLES ? 2 : 1 }, (_, chunk) => ({
      Db,
      Schema: "",
      Table,
      Chunk: chunk + 1,
      SrcItem: `crc32:${(0x1f2e3d4c + index * 7919 + chunk).toString(16)}`,
      DstItem: `crc32:${(0x5a6b7c8d + index * 104_729 + chunk).toString(16)}`,
      IndexName: "PRIMARY",
      LowerBoundary: String(chunk * 5000 + 1),
      UpperBoundary: String((chunk + 1) * 5000),
      CostTime: 12 + index,
      FinishedAt: beijingTime(finishedAtMs),
    })),
  );
}

/** Which page of the differences to answer: DescribeCompareReport's DifferenceOffset and DifferenceLimit. */
export interface ReportPage {
  readonly offset: number;
  readonly limit: number;
}

export function reportPage(params: Readonly<Record<string, unknown>>): ReportPage {
  const whole = (value: unknown, fallback: number) =>
    typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : fallback;
  const limit = Math.min(whole(params.DifferenceLimit, MAX_DIFFERENCES_PER_PAGE), MAX_DIFFERENCES_PER_PAGE);
  return { offset: whole(params.DifferenceOffset, 0), limit };
}

/** DescribeCompareReport's Abstract and Detail of a finished task. */
export function compareReport(task: CompareTask, atMs: number, page: ReportPage): Record<string, unknown> {
  const state = compareState(task, atMs);
  const differences = task.different ? differenceItems(state.finishedAtMs) : [];
  const differentTables = task.different ? DIFFERING_TABLES.length : 0;
  return {
    Abstract: {
      Options: { ...OPTIONS },
      Objects: { ObjectMode: "all", ObjectItems: [], AdvancedObjects: [] },
      Conclusion: conclusion(task, state),
      Status: "success",
      TotalTables: TOTAL_TABLES,
      CheckedTables: TOTAL_TABLES,
      DifferentTables: differentTables,
      SkippedTables: 0,
      NearlyTableCount: 0,
      DifferentRows: differences.length * ROWS_PER_CHUNK,
      SrcSampleRows: 0,
      DstSampleRows: 0,
      StartedAt: beijingTime(task.startedAtMs),
      FinishedAt: beijingTime(state.finishedAtMs),
    },
    Detail: {
      Difference: { TotalCount: differences.length, Items: differences.slice(page.offset, page.offset + page.limit) },
      Skipped: { TotalCount: 0, Items: [] },
    },
  };
}
