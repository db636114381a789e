import type { ApiAnswer } from "../../tencent/types.js";
import { isRecord, Reader } from "../answer-reader.js";
import { clean } from "../text.js";

/** One consistency check as DescribeCompareTasks shows it: only what the gate judges or shows. */
export interface CompareView {
  readonly taskId: string;
  /** The task was among the answer's items. */
  readonly found: boolean;
  readonly status: string | null;
  readonly conclusion: string | null;
  readonly message: string | null;
  /** CompareProcess.Percent, when it is a number. */
  readonly percent: number | null;
  readonly requestId: string;
}

/** The one validating step for a DescribeCompareTasks answer: the item of `taskId`; never throws. */
export function readCompareAnswer(
  answer: ApiAnswer,
  taskId: string,
): { view: CompareView; anomalies: readonly string[] } {
  const reader = new Reader();
  const items = reader.objects(answer.Items, "Items") ?? [];
  let item: Record<string, unknown> | undefined;
  for (const candidate of items) {
    if (candidate.CompareTaskId === taskId) {
      item = candidate;
      break;
    }
  }
  const process = isRecord(item?.CompareProcess) ? item.CompareProcess : undefined;
  const view: CompareView = {
    taskId,
    found: item !== undefined,
    status: reader.word(item?.Status, "Items[].Status"),
    conclusion: reader.word(item?.Conclusion, "Items[].Conclusion"),
    message: reader.text(item?.Message, "Items[].Message"),
    percent: reader.number(process?.Percent, "Items[].CompareProcess.Percent"),
    requestId: clean(answer.RequestId),
  };
  return { view, anomalies: reader.anomalies };
}

/** One page of DescribeCompareReport: the abstract's counts and the differences on this page. */
export interface ComparePage {
  readonly conclusion: string | null;
  readonly checkedTables: number | null;
  readonly differentTables: number | null;
  readonly skippedTables: number | null;
  readonly differentRows: number | null;
  /** Detail.Difference.TotalCount: difference items in the whole report. */
  readonly totalDifferences: number | null;
  /** Items on this page (their count tells where the next page starts). */
  readonly items: number;
  readonly differences: readonly { readonly db: string; readonly table: string }[];
}

/** The one validating step for a DescribeCompareReport answer; never throws, loops without spreading. */
export function readComparePage(answer: ApiAnswer): { page: ComparePage; anomalies: readonly string[] } {
  const reader = new Reader();
  const abstract = isRecord(answer.Abstract) ? answer.Abstract : {};
  const detail = isRecord(answer.Detail) ? answer.Detail : {};
  const difference = isRecord(detail.Difference) ? detail.Difference : {};
  const rawItems = reader.objects(difference.Items, "Detail.Difference.Items") ?? [];
  const differences: { db: string; table: string }[] = [];
  for (let index = 0; index < rawItems.length; index++) {
    const raw = rawItems[index] ?? {};
    const db = reader.text(raw.Db, `Detail.Difference.Items[${index}].Db`) ?? "";
    const table = reader.text(raw.Table, `Detail.Difference.Items[${index}].Table`) ?? "";
    differences.push({ db, table });
  }
  const page: ComparePage = {
    conclusion: reader.word(abstract.Conclusion, "Abstract.Conclusion"),
    checkedTables: reader.number(abstract.CheckedTables, "Abstract.CheckedTables"),
    differentTables: reader.number(abstract.DifferentTables, "Abstract.DifferentTables"),
    skippedTables: reader.number(abstract.SkippedTables, "Abstract.SkippedTables"),
    differentRows: reader.number(abstract.DifferentRows, "Abstract.DifferentRows"),
    totalDifferences: reader.number(difference.TotalCount, "Detail.Difference.TotalCount"),
    items: rawItems.length,
    differences,
  };
  return { page, anomalies: reader.anomalies };
}
