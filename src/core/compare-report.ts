import type { CompareTarget } from "./job-kind.js";
import { type JobRecord, jobErrorOf } from "./job-record.js";
import { readComparePage } from "./phases/compare-answer.js";
import type { SendRequest, SendResult } from "./send.js";

/** Difference items asked for per page: the most DescribeCompareReport answers at once. */
export const REPORT_PAGE_SIZE = 100;
/** Pages read at most: a report of millions of differing chunks must not cost thousands of requests. */
export const MAX_REPORT_PAGES = 10;

/**
 * Reads a finished consistency check's report into the job's record: the abstract's counts and the
 * distinct database and table pairs among its differences, page by page up to MAX_REPORT_PAGES. A
 * report that cannot be read is noted; it never changes the verdict, which the task's own state gave.
 */
export async function readCompareReport(
  send: (record: JobRecord, request: SendRequest) => Promise<SendResult>,
  record: JobRecord,
  target: CompareTarget,
): Promise<void> {
  const seen = new Set<string>();
  const differences: { db: string; table: string }[] = [];
  let offset = 0;
  for (let pageNo = 0; pageNo < MAX_REPORT_PAGES; pageNo++) {
    const result = await send(record, {
      action: target.actions.compareReport,
      params: {
        JobId: target.jobId,
        CompareTaskId: target.taskId,
        DifferenceLimit: REPORT_PAGE_SIZE,
        DifferenceOffset: offset,
      },
      repeatable: true,
    });
    if (!result.ok) {
      const { code, message } = jobErrorOf(result.error);
      record.note(`the consistency check's report could not be read: ${code}: ${message}`);
      return;
    }
    const { page, anomalies } = readComparePage(result.value);
    if (anomalies.length > 0) record.note(`the report had fields of an unexpected type: ${anomalies.join("; ")}`);
    for (const difference of page.differences) {
      const key = JSON.stringify([difference.db, difference.table]);
      if (seen.has(key)) continue;
      seen.add(key);
      differences.push(difference);
    }
    record.compareRead({
      conclusion: page.conclusion,
      checkedTables: page.checkedTables,
      differentTables: page.differentTables,
      skippedTables: page.skippedTables,
      differentRows: page.differentRows,
      differences,
    });
    offset += page.items;
    if (page.items === 0 || page.totalDifferences === null || offset >= page.totalDifferences) return;
  }
  record.note(`the consistency check's report was read up to ${offset} differences (${MAX_REPORT_PAGES} pages)`);
}
