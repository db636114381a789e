import { describe, expect, it } from "vitest";
import { migrationOutputs } from "../../src/action/migration-outputs.js";
import type { JobReport } from "../../src/core/types.js";
import { gateResult, jobReport } from "./fixtures.js";

function migrated(jobId: string, outcome: JobReport["outcome"], overrides: Partial<JobReport> = {}): JobReport {
  return jobReport(jobId, "pass", {
    outcome,
    migration: { status: "success", stepNow: 3, stepAll: 3, lagSeconds: 0, gapMB: 0, allowedActions: [], steps: [] },
    ...overrides,
  });
}

describe("the Action's migration outputs", () => {
  it("ready: every job ready or done; completed: every job cut over and success; lag-seconds: the largest last lag", () => {
    const lag = (seconds: number | null) => ({
      migration: {
        status: "readyComplete",
        stepNow: 3,
        stepAll: 3,
        lagSeconds: seconds,
        gapMB: 0,
        allowedActions: [],
        steps: [],
      },
    });
    expect(
      migrationOutputs(
        gateResult([migrated("dts-aaaaaaaa", "ready", lag(3)), migrated("dts-bbbbbbbb", "done", lag(12))]),
      ),
    ).toEqual({ ready: "true", completed: "false", "lag-seconds": "12" });
    const cutOver = { complete: { sent: true, requestId: "r" } };
    expect(
      migrationOutputs(
        gateResult([migrated("dts-aaaaaaaa", "done", cutOver), migrated("dts-bbbbbbbb", "done", cutOver)]),
      ),
    ).toEqual({ ready: "true", completed: "true", "lag-seconds": "0" });
  });

  it("one job short of it makes them false; an unknown lag (-1, null) is no lag; no migration at all is empty", () => {
    const unknown = (seconds: number | null) => ({
      migration: {
        status: "running",
        stepNow: 1,
        stepAll: 3,
        lagSeconds: seconds,
        gapMB: -1,
        allowedActions: [],
        steps: [],
      },
    });
    const outputs = migrationOutputs(
      gateResult([
        migrated("dts-aaaaaaaa", "done", { complete: { sent: true, requestId: "r" } }),
        migrated("dts-bbbbbbbb", "timeout", unknown(-1)),
        migrated("dts-cccccccc", "timeout", unknown(null)),
      ]),
    );
    expect(outputs).toEqual({ ready: "false", completed: "false", "lag-seconds": "0" });
    expect(migrationOutputs(gateResult([jobReport("dts-aaaaaaaa", "pass")]))).toEqual({
      ready: "false",
      completed: "false",
      "lag-seconds": "",
    });
    expect(migrationOutputs(gateResult([]))).toEqual({ ready: "false", completed: "false", "lag-seconds": "" });
  });
});
