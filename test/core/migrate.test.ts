import { describe, expect, it } from "vitest";
import { toJsonDocument } from "../../src/output/report.js";
import { checkAnswer, migrationAnswer } from "../helpers/fake-client.js";
import { gateHarness, JOB, OTHER } from "../helpers/gate-harness.js";

const DETAIL = "DescribeMigrationDetail";
const ready = () => migrationAnswer("readyComplete", { allowed: ["stop", "complete"] });
const watch = { until: "ready", settleMs: 0, timeoutMs: 60_000 } as const;

describe("the migrate phase: watching a migration already under way", () => {
  it("skips the check and closes the gate on a job that was never started, saying so", async () => {
    for (const status of ["created", "checkPass", "checkNotPass"]) {
      const { client, run } = gateHarness(watch);
      client.script(DETAIL, JOB, [migrationAnswer(status)]);
      const result = await run();
      expect(client.count("DescribeMigrationCheckJob")).toBe(0);
      expect(result.exitCode).toBe(1);
      expect(result.jobs[0]).toMatchObject({ outcome: "failed", kind: "migration", phase: "migrate" });
      expect(result.reason).toContain(`has not been started (status ${status})`);
    }
  });

  it("with --create-check but without --start, the check runs first and a job it leaves unstarted closes the gate", async () => {
    const { client, run } = gateHarness({ ...watch, createCheck: true, staleGraceMs: 0 });
    client.script("CreateMigrateCheckJob", JOB, [{ RequestId: "created" }]);
    client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("success")]);
    client.script(DETAIL, JOB, [migrationAnswer("checkPass")]);
    const result = await run();
    expect(client.count("DescribeMigrationCheckJob")).toBe(1);
    expect(client.count("StartMigrateJob")).toBe(0);
    expect(result.jobs[0]).toMatchObject({ outcome: "failed", phase: "migrate" });
    expect(result.reason).toContain("has not been started (status checkPass)");
  });

  it("after --start, a job not yet shown running is waited for, not refused", async () => {
    const { client, run } = gateHarness({ ...watch, start: true });
    client.script("DescribeMigrationCheckJob", JOB, [checkAnswer("success")]);
    client.script("StartMigrateJob", JOB, [{ RequestId: "start-1" }]);
    client.script(DETAIL, JOB, [migrationAnswer("checkPass"), migrationAnswer("running"), ready()]);
    const result = await run();
    expect(result.jobs[0]).toMatchObject({ outcome: "ready", started: { requestId: "start-1" } });
    expect(result.exitCode).toBe(0);
  });
});

describe("ready: readyComplete, complete allowed, lag and gap known and within bounds, for the settle", () => {
  it("is ready only once every answer showed it for the settle, the last answer ending it", async () => {
    // Fixed polling (the longest gap is the interval): the script's answers come one per interval.
    const { client, clock, run } = gateHarness({ ...watch, settleMs: 12_000, maxIntervalMs: 5_000 });
    const startedAt = clock.now();
    client.script(DETAIL, JOB, [
      ready(),
      ready(),
      migrationAnswer("readyComplete", { lag: 3, allowed: null }),
      ready(),
    ]);
    const result = await run();
    // 0 and 5 s ready, 10 s lagging (the settle starts again), ready from 15 s: ready at 30 s.
    expect(client.calls.map((call) => call.at - startedAt)).toEqual([0, 5_000, 10_000, 15_000, 20_000, 25_000, 30_000]);
    expect(result.jobs[0]).toMatchObject({ outcome: "ready" });
    expect(result.reason).toBe("gate open: the migration is ready to cut over");
  });

  it("a missing or null AllowedAction does not count against readiness; any other type does, as a list without complete", async () => {
    for (const [allowed, outcome] of [
      [undefined, "ready"],
      [null, "ready"],
      [["complete"], "ready"],
      [["stop"], "timeout"],
      ["complete", "timeout"],
      [{ complete: true }, "timeout"],
    ] as const) {
      const { client, run } = gateHarness({ ...watch, timeoutMs: 10_000 });
      const shape = allowed === undefined ? {} : { allowed };
      client.script(DETAIL, JOB, [migrationAnswer("readyComplete", shape)]);
      expect((await run()).jobs[0]?.outcome, JSON.stringify(allowed)).toBe(outcome);
    }
  });

  it('counts -1, null, absent and a lag or gap of another type ("0" included) as unknown, never ready', async () => {
    for (const unknown of [-1, null, "0", [0], true]) {
      for (const field of ["lag", "gap"] as const) {
        const { client, run } = gateHarness({ ...watch, timeoutMs: 10_000 });
        client.script(DETAIL, JOB, [migrationAnswer("readyComplete", { [field]: unknown })]);
        expect((await run()).jobs[0]?.outcome, `${field} ${JSON.stringify(unknown)}`).toBe("timeout");
      }
    }
  });

  it("takes the lag against --max-lag and the gap against --max-gap", async () => {
    const lagging = { lag: 5, gap: 2 };
    const strict = gateHarness({ ...watch, timeoutMs: 10_000 });
    strict.client.script(DETAIL, JOB, [migrationAnswer("readyComplete", lagging)]);
    expect((await strict.run()).jobs[0]?.outcome).toBe("timeout");
    const lagOnly = gateHarness({ ...watch, timeoutMs: 10_000, maxLagMs: 5_000 });
    lagOnly.client.script(DETAIL, JOB, [migrationAnswer("readyComplete", lagging)]);
    expect((await lagOnly.run()).jobs[0]?.outcome).toBe("timeout");
    const lenient = gateHarness({ ...watch, maxLagMs: 5_000, maxGapMB: 2 });
    lenient.client.script(DETAIL, JOB, [migrationAnswer("readyComplete", lagging)]);
    expect((await lenient.run()).jobs[0]?.outcome).toBe("ready");
  });

  it("a migration without an incremental phase that reaches success is ready and done", async () => {
    for (const until of ["ready", "done"] as const) {
      const { client, run } = gateHarness({ ...watch, until });
      client.script(DETAIL, JOB, [migrationAnswer("running"), migrationAnswer("success")]);
      const result = await run();
      expect(result.jobs[0]?.outcome).toBe("done");
      expect(result.exitCode).toBe(0);
    }
  });

  it("--until done waits through readyComplete until success", async () => {
    const { client, run } = gateHarness({ ...watch, until: "done", timeoutMs: 10_000 });
    client.script(DETAIL, JOB, [ready()]);
    expect((await run()).jobs[0]?.outcome).toBe("timeout");
  });
});

describe("states that close the gate, and states that are waited through", () => {
  it("closes at once on a state that needs a person, naming the status and ErrorInfo", async () => {
    const errors = [{ Code: "LoaderFailed", Solution: "free space", ErrorLog: "disk full", HelpDoc: "" }];
    const closing = [
      ...["failed", "canceled", "stopping", "error", "pausing", "manualPaused"].map((status) =>
        migrationAnswer(status, { errors }),
      ),
      ...["isolating", "isolated", "offlining", "offlined"].map((trade) =>
        migrationAnswer("running", { trade, errors }),
      ),
    ];
    for (const answer of closing) {
      const { client, run } = gateHarness({ ...watch, until: "done" });
      client.script(DETAIL, JOB, [migrationAnswer("running"), answer]);
      const result = await run();
      expect(result.exitCode).toBe(1);
      expect(result.jobs[0]).toMatchObject({ outcome: "failed", polls: 2 });
      expect(result.reason).toContain(
        String(answer.TradeInfo.TradeStatus === "normal" ? answer.Status : answer.TradeInfo.TradeStatus),
      );
      expect(result.reason).toContain("LoaderFailed: disk full: free space");
    }
  });

  it("reports resumableErr and resuming at once and waits through them; the timeout's reason names them", async () => {
    for (const status of ["resumableErr", "resuming"]) {
      const { client, run, events } = gateHarness({ ...watch, timeoutMs: 10_000 });
      client.script(DETAIL, JOB, [migrationAnswer(status)]);
      const result = await run();
      expect(result.jobs[0]).toMatchObject({ outcome: "timeout", polls: 3 });
      expect(result.jobs[0]?.notes.join(" ")).toContain(`the migration is ${status}`);
      const polls = events.flatMap((event) => (event.type === "migrationPoll" ? [event] : []));
      expect(polls).toHaveLength(3);
      expect(polls[0]?.note).toContain(`the migration is ${status}`);
      expect(result.reason).toContain(`last seen: ${JOB} ${status} (DTS retries it on its own)`);
    }
  });

  it("waits through statuses no document lists, and never takes them for ready or done", async () => {
    const { client, run } = gateHarness({ ...watch, until: "done", timeoutMs: 10_000 });
    client.script(DETAIL, JOB, [migrationAnswer("Success"), migrationAnswer("finishing"), migrationAnswer(7 as never)]);
    const result = await run();
    expect(result.jobs[0]?.outcome).toBe("timeout");
    expect(result.jobs[0]?.notes.join(" ")).toContain('unexpected migration Status "Success"');
  });
});

describe("JSON: kind, phase, migration", () => {
  it("carries the migration as last seen", async () => {
    const { client, run } = gateHarness(watch);
    client.script(DETAIL, JOB, [ready()]);
    const job = toJsonDocument(await run()).jobs[0];
    expect(job).toMatchObject({
      outcome: "ready",
      kind: "migration",
      phase: "migrate",
      migration: {
        status: "readyComplete",
        stepNow: 3,
        stepAll: 3,
        lagSeconds: 0,
        gapMB: 0,
        allowedActions: ["stop", "complete"],
        steps: [
          { stepId: "dumper", name: "dumper", status: "finished", percent: 100 },
          { stepId: "loader", name: "loader", status: "finished", percent: 100 },
          { stepId: "sinker", name: "sinker", status: "running", percent: 100 },
        ],
      },
    });
    expect(job).not.toHaveProperty("complete");
  });

  it("passed only when every job reached what was asked", async () => {
    const { client, run } = gateHarness({ ...watch, jobIds: [JOB, OTHER], timeoutMs: 10_000, failFast: false });
    client.script(DETAIL, JOB, [ready()]);
    client.script(DETAIL, OTHER, [migrationAnswer("running")]);
    const result = await run();
    expect(result.jobs.map((job) => job.outcome)).toEqual(["ready", "timeout"]);
    expect(result.passed).toBe(false);
  });
});
