import { describe, expect, it } from "vitest";
import type { MigrationView } from "../../src/core/phases/migration-answer.js";
import { createProgress } from "../../src/output/progress.js";

const JOB = "dts-1ewjspuw";

function migration(overrides: Partial<MigrationView> & { percents: readonly number[] }): MigrationView {
  const ids = ["dumper", "loader", "sinker"];
  const { percents, ...rest } = overrides;
  return {
    status: "running",
    briefMsg: null,
    stepNow: 1,
    stepAll: 3,
    lagSeconds: -1,
    gapMB: -1,
    allowedActions: ["view", "stop"],
    allowedActionsMalformed: false,
    steps: ids.map((stepId, index) => {
      const percent = percents[index] ?? 0;
      const status = percent >= 100 && index < 2 ? "success" : percent > 0 || index === 0 ? "running" : "notStarted";
      return { stepId, name: stepId, status, percent };
    }),
    errors: [],
    tradeStatus: "normal",
    requestId: "req",
    ...rest,
  };
}

function setup(live: boolean) {
  let nowMs = 0;
  let written = "";
  const progress = createProgress({
    write: (text) => {
      written += text;
    },
    live,
    style: { color: false },
    now: () => nowMs,
    verbose: false,
    size: () => ({ columns: 200, rows: 40 }),
  });
  const poll = (atMs: number, view: MigrationView, note?: string) => {
    nowMs = atMs;
    progress.onEvent({
      type: "migrationPoll",
      jobId: JOB,
      state: "waiting",
      migration: view,
      polls: 1,
      elapsedMs: atMs,
      ...(note ? { note } : {}),
    });
  };
  return { poll, progress, output: () => written, at: (ms: number) => (nowMs = ms) };
}

/** The view of a three-hour migration at `ms`: an hour of export, an hour of import, an hour of catching up. */
function threeHourView(ms: number): MigrationView {
  const hour = 3_600_000;
  if (ms < hour) return migration({ percents: [(ms / hour) * 100] });
  if (ms < 2 * hour) return migration({ stepNow: 2, percents: [100, ((ms - hour) / hour) * 100] });
  const lag = Math.max(0, Math.round(3600 - (ms - 2 * hour) / 1000));
  return migration({ stepNow: 3, percents: [100, 100, 100], lagSeconds: lag, gapMB: Math.round(lag / 10) });
}

describe("migration progress off a terminal", () => {
  it("a three-hour wait polled every 5 s stays a page of lines, and its heartbeat tells phase, step, percent, lag and time", () => {
    const { poll, output } = setup(false);
    for (let ms = 0; ms <= 3 * 3_600_000; ms += 5_000) poll(ms, threeHourView(ms));
    const lines = output().split("\n").filter(Boolean);
    // 2,161 polls; a line per poll would be thousands.
    expect(lines.length).toBeLessThan(100);
    const heartbeats = lines.filter((line) => line.includes(" still "));
    expect(heartbeats.length).toBeGreaterThan(20);
    const late = heartbeats.at(-1) ?? "";
    expect(late).toMatch(
      /^\[10[0-9]{3}\.\ds\] dts-1ewjspuw still migrate · running · dumper 100% › loader 100% › sinker 100% · lag \d+ s · gap \d+ MB$/,
    );
    // No gap between two lines longer than five minutes (some CI systems end a silent job).
    const times = lines.map((line) => Number(/^\[\s*([\d.]+)s\]/.exec(line)?.[1]));
    for (let index = 1; index < times.length; index++) {
      expect((times[index] ?? 0) - (times[index - 1] ?? 0)).toBeLessThanOrEqual(305);
    }
  });

  it("a new step, a new status and each quarter of a step's percent make a line; the lag alone does not", () => {
    const { poll, output } = setup(false);
    poll(0, migration({ percents: [10] }));
    poll(1_000, migration({ percents: [20] }));
    poll(2_000, migration({ percents: [30] }));
    poll(3_000, migration({ stepNow: 2, percents: [100, 5] }));
    poll(4_000, migration({ stepNow: 3, percents: [100, 100, 100], lagSeconds: 9, gapMB: 1 }));
    poll(5_000, migration({ stepNow: 3, percents: [100, 100, 100], lagSeconds: 3, gapMB: 0 }));
    poll(
      6_000,
      migration({ status: "readyComplete", stepNow: 3, percents: [100, 100, 100], lagSeconds: 0, gapMB: 0 }),
      "ready for 0 s, settling",
    );
    expect(output().split("\n").filter(Boolean)).toEqual([
      "[   0.0s] dts-1ewjspuw migrate · running · dumper 10% › loader 0% › sinker 0% · lag unknown · gap unknown",
      "[   2.0s] dts-1ewjspuw migrate · running · dumper 30% › loader 0% › sinker 0% · lag unknown · gap unknown",
      "[   3.0s] dts-1ewjspuw migrate · running · dumper 100% › loader 5% › sinker 0% · lag unknown · gap unknown",
      "[   4.0s] dts-1ewjspuw migrate · running · dumper 100% › loader 100% › sinker 100% · lag 9 s · gap 1 MB",
      "[   6.0s] dts-1ewjspuw migrate · readyComplete · dumper 100% › loader 100% › sinker 100% · lag 0 s · gap 0 MB · ready for 0 s, settling",
    ]);
  });

  it("after CompleteMigrateJob the polls are the cut-over's", () => {
    const { poll, progress, output } = setup(false);
    poll(0, migration({ status: "readyComplete", percents: [100, 100, 100], lagSeconds: 0, gapMB: 0 }));
    progress.onEvent({ type: "completeSent", jobId: JOB, requestId: "req-complete" });
    poll(1_000, migration({ status: "completing", percents: [100, 100, 100], lagSeconds: 0, gapMB: 0 }));
    const lines = output().split("\n").filter(Boolean);
    expect(lines[1]).toBe("dts-1ewjspuw: cut-over sent: CompleteMigrateJob (RequestId req-complete)");
    expect(lines[2]).toMatch(/^\[ {3}1\.0s\] dts-1ewjspuw complete · completing · /);
  });
});

describe("migration progress on a terminal", () => {
  it("one live line per job shows the phase, every step with its percent and the lag", () => {
    const { poll, output } = setup(true);
    poll(0, migration({ stepNow: 2, percents: [100, 42] }));
    poll(5_000, migration({ stepNow: 3, percents: [100, 100, 100], lagSeconds: 3_725, gapMB: 12 }));
    expect(output().split("\u001b[0J").at(-1)).toBe(
      "dts-1ewjspuw  migrate · running · dumper 100% › loader 100% › sinker 100% · lag 1 h 2 min · gap 12 MB  5.0s\n",
    );
  });
});
