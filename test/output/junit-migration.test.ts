import { parse, type TestCase, type TestSuites } from "junit2json";
import { describe, expect, it } from "vitest";
import type { JobReport } from "../../src/core/types.js";
import { MAX_STEP_CASES, renderJunit } from "../../src/output/junit.js";
import { gateResult, job, step } from "./junit-fixtures.js";

const JOB = "dts-1ewjspuw";

function migration(statuses: readonly string[], fields: Partial<NonNullable<JobReport["migration"]>> = {}) {
  return {
    status: "readyComplete",
    stepNow: statuses.length,
    stepAll: statuses.length,
    lagSeconds: 0,
    gapMB: 0,
    allowedActions: ["complete"],
    steps: statuses.map((status, index) => ({
      stepId: ["dumper", "loader", "sinker"][index] ?? `step${index}`,
      name: `Step ${index}`,
      status,
      percent: status === "notStarted" ? 0 : 100,
    })),
    ...fields,
  };
}

async function suiteOf(report: JobReport) {
  const parsed = (await parse(renderJunit(gateResult([report])))) as TestSuites;
  const suite = parsed.testsuite?.[0];
  if (!suite) throw new Error("no suite");
  const cases: TestCase[] = suite.testcase ?? [];
  const kinds = cases.map((testCase) =>
    testCase.failure ? "failure" : testCase.error ? "error" : testCase.skipped ? "skipped" : "passed",
  );
  // The counts in the attributes match the elements.
  expect(suite.tests).toBe(cases.length);
  expect(suite.failures).toBe(kinds.filter((kind) => kind === "failure").length);
  expect(suite.errors).toBe(kinds.filter((kind) => kind === "error").length);
  expect(suite.skipped).toBe(kinds.filter((kind) => kind === "skipped").length);
  return { cases, names: cases.map((testCase) => testCase.name), kinds, parsed };
}

describe("JUnit: a migration's cases after the check's", () => {
  it("a cut-over that went through: the check steps, a case per migration step, the lag, the cut-over, all passing", async () => {
    const { names, kinds } = await suiteOf(
      job(JOB, "done", {
        stepInfo: [step(1, "Connectivity", "pass"), step(2, "Version", "pass")],
        migration: migration(["success", "success", "success"], { status: "success" }),
        complete: { sent: true, requestId: "req-complete" },
      }),
    );
    expect(names).toEqual([
      "1 Connectivity",
      "2 Version",
      "migration 1 dumper",
      "migration 2 loader",
      "migration 3 sinker",
      "lag and gap",
      "cut-over",
    ]);
    expect(kinds.every((kind) => kind === "passed")).toBe(true);
  });

  it("a failed load: the failed step carries the reason with ErrorInfo; the lag is not reached; the cut-over not sent", async () => {
    const closedBy = `${JOB}: the migration is failed (ErrorInfo: LoaderError.DuplicateEntry: Error 1062)`;
    const { cases, names, kinds } = await suiteOf(
      job(JOB, "failed", {
        closedBy,
        migration: migration(["success", "failed", "notStarted"], { status: "failed", lagSeconds: -1 }),
        complete: { sent: false, requestId: null },
      }),
    );
    expect(names).toEqual([
      "migration 1 dumper",
      "migration 2 loader",
      "migration 3 sinker",
      "lag and gap",
      "cut-over",
    ]);
    expect(kinds).toEqual(["passed", "failure", "skipped", "skipped", "skipped"]);
    expect(cases[1]?.failure?.[0]?.message).toContain("LoaderError.DuplicateEntry");
  });

  it("a wait that timed out on the lag fails the lag case and names it", async () => {
    const { cases, names } = await suiteOf(
      job(JOB, "timeout", {
        migration: migration(["success", "success", "running"], { status: "running", lagSeconds: 42, gapMB: 3 }),
      }),
    );
    const lag = cases[names.indexOf("lag and gap")];
    expect(lag?.failure?.[0]?.message).toContain("lag 42 s");
  });

  it("a cut-over in doubt is an error case", async () => {
    const { cases, names } = await suiteOf(
      job(JOB, "error", {
        migration: migration(["success", "success", "running"]),
        complete: { sent: true, requestId: null },
        error: { code: "CompleteOutcomeUnknown", message: "SIGTERM while it was in flight" },
      }),
    );
    expect(cases[names.indexOf("cut-over")]?.error?.[0]?.type).toBe("CompleteOutcomeUnknown");
  });

  it("migration steps are bounded as the check's are, the rest counted in one case", async () => {
    const statuses = Array.from({ length: MAX_STEP_CASES + 500 }, () => "success");
    const { names } = await suiteOf(job(JOB, "ready", { migration: migration(statuses) }));
    expect(names.filter((name) => /^migration \d/.test(name ?? "")).length).toBe(MAX_STEP_CASES);
    expect(names).toContain("migration steps not written");
  });
});
