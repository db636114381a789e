import { JSDOM } from "jsdom";
import { marked } from "marked";
import { beforeAll, describe, expect, it } from "vitest";
import { renderSummary } from "../../src/action/summary.js";
import type { MigrationView } from "../../src/core/phases/migration-answer.js";
import { LagHistory } from "../../src/output/lag-chart.js";
import { gateResult, jobReport } from "./fixtures.js";
import { decodeEntities } from "./helpers.js";

type Mermaid = typeof import("mermaid")["default"];
let mermaid: Mermaid;

beforeAll(async () => {
  const { window } = new JSDOM("");
  Object.assign(globalThis, { window, document: window.document });
  mermaid = (await import("mermaid")).default;
});

const JOB = "dts-1ewjspuw";
const steps = [
  { stepId: "dumper", name: "Export the source data", status: "success", percent: 100 },
  { stepId: "loader", name: "Import the data | <b>into</b> the target", status: "success", percent: 100 },
  { stepId: "sinker", name: "Synchronise the incremental changes", status: "success", percent: 100 },
];

describe("the job summary of a migration", () => {
  it("shows the steps, the cut-over and a lag chart that Mermaid parses", async () => {
    const history = new LagHistory();
    for (let index = 0; index <= 100; index++) {
      history.onEvent({
        type: "migrationPoll",
        jobId: JOB,
        state: "waiting",
        migration: { lagSeconds: index < 10 ? -1 : 100 - index } as MigrationView,
        polls: index + 1,
        elapsedMs: index * 60_000,
      });
    }
    const report = jobReport(JOB, "pass", {
      outcome: "done",
      migration: { status: "success", stepNow: 3, stepAll: 3, lagSeconds: 0, gapMB: 0, allowedActions: [], steps },
      complete: { sent: true, requestId: "req-complete-1" },
    });
    const md = renderSummary(gateResult([report], { passed: true }), undefined, (jobId) => history.of(jobId));
    const html = decodeEntities(await marked.parse(md));
    expect(html).toContain("<h2>✅ DTS migration: gate open</h2>");
    expect(html).toContain(
      "<strong>Migration:</strong> Status <strong>success</strong> · step 3 of 3 · lag 0 s · gap 0 MB",
    );
    expect(html).toContain("<td>loader</td>");
    // API text in a table cell stays text.
    expect(html).toContain("<td>Import the data | <b>into</b> the target</td>");
    expect(html).toContain("<strong>Cut-over:</strong> CompleteMigrateJob sent (RequestId req-complete-1).");
    const chart = /```mermaid\n([\s\S]*?)\n```/.exec(md)?.[1];
    expect(chart).toBeDefined();
    await expect(mermaid.parse(chart ?? "")).resolves.toBeTruthy();
    expect(chart).toContain('"1:40"');
  });

  it("a failed migration names the closing state and its ErrorInfo", async () => {
    const closedBy = `${JOB}: the migration is failed (ErrorInfo: LoaderError.DuplicateEntry: Error 1062)`;
    const report = jobReport(JOB, "pass", {
      outcome: "failed",
      closedBy,
      migration: {
        status: "failed",
        stepNow: 2,
        stepAll: 3,
        lagSeconds: -1,
        gapMB: -1,
        allowedActions: null,
        steps: steps.map((step, index) => (index === 1 ? { ...step, status: "failed", percent: 40 } : step)),
      },
    });
    const html = decodeEntities(await marked.parse(renderSummary(gateResult([report], { passed: false }))));
    expect(html).toContain(`<strong>Closed:</strong> ${closedBy}`);
    expect(html).toContain("<td>failed</td>");
    expect(html).not.toContain("mermaid");
  });
});

describe("the job summary of a migration that timed out", () => {
  it("says the migration, not the check, was still under way", async () => {
    const report = jobReport(JOB, "pass", {
      outcome: "timeout",
      migration: { status: "running", stepNow: 3, stepAll: 3, lagSeconds: 37, gapMB: 4, allowedActions: [], steps },
    });
    const html = decodeEntities(await marked.parse(renderSummary(gateResult([report], { passed: false }))));
    expect(html).toContain("No verdict before the timeout: the migration had not reached what was asked.");
    expect(html).toContain("lag 37 s · gap 4 MB");
  });
});
