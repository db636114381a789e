import { describe, expect, it } from "vitest";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";
import { errorCode, fakeClock, JOB } from "./helpers.js";

// Every action after the check goes through the same gateway as the check's: the rate per action
// and second, then the TC3 signature, then its parameters.

const start = simulatorsClosedAfterEach({ scenario: "migrate", stepMs: 0, createLagMs: 0, migrateMs: 0 });

const SYNC = "sync-1ewjspuw";
const CMP = `${JOB}-cmp-8yv4w2i1`;
const SYNC_CMP = `${SYNC}-cmp-8yv4w2i1`;

/** Each new action with a body it accepts. */
const NEW_ACTIONS: readonly (readonly [string, Record<string, unknown>])[] = [
  ["DescribeMigrationDetail", { JobId: JOB }],
  ["CompleteMigrateJob", { JobId: JOB }],
  ["CreateCompareTask", { JobId: JOB }],
  ["StartCompare", { JobId: JOB, CompareTaskId: CMP }],
  ["DescribeCompareTasks", { JobId: JOB }],
  ["DescribeCompareReport", { JobId: JOB, CompareTaskId: CMP }],
  ["CreateCheckSyncJob", { JobId: SYNC }],
  ["DescribeCheckSyncJobResult", { JobId: SYNC }],
  ["StartSyncJob", { JobId: SYNC }],
  ["DescribeSyncJobs", { JobId: SYNC }],
  ["CreateSyncCompareTask", { JobId: SYNC }],
  ["StartSyncCompare", { JobId: SYNC, CompareTaskId: SYNC_CMP }],
  ["DescribeSyncCompareTasks", { JobId: SYNC }],
  ["DescribeSyncCompareReport", { JobId: SYNC, CompareTaskId: SYNC_CMP }],
];

describe.each(NEW_ACTIONS)("%s", (action, body) => {
  it("verifies the signature, and limits its own rate per second", async () => {
    const clock = fakeClock(Date.UTC(2026, 0, 15, 8, 0, 0) + 100);
    const s = await start({ now: clock.now, rate: 2 });
    const timestamp = clock.seconds();
    expect(await errorCode(s.url, { action, body, timestamp, secretKey: "wrongKey" })).toBe(
      "AuthFailure.SignatureFailure",
    );
    expect(await errorCode(s.url, { action, body: { ...body, JobId: "dts-BAD" }, timestamp })).toBe(
      "InvalidParameterValue",
    );
    expect(await errorCode(s.url, { action, body, timestamp })).toBe("RequestLimitExceeded");
    // Another action has its own budget; the next second starts afresh.
    expect(await errorCode(s.url, { action: "DescribeMigrationCheckJob", timestamp })).toBeUndefined();
    clock.advance(1000);
    const code = await errorCode(s.url, { action, body, timestamp: clock.seconds() });
    expect(code === undefined || code.startsWith("FailedOperation") || code === "ResourceNotFound").toBe(true);
    expect(await errorCode(s.url, { action, body: { ...body, JobId: undefined }, timestamp: clock.seconds() })).toBe(
      "MissingParameter",
    );
  });
});
