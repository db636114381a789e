import { describe, expect, it } from "vitest";
import { checkAnswer, migrationAnswer, step } from "../helpers/fake-client.js";
import { gateHarness, JOB } from "../helpers/gate-harness.js";

const DETAIL = "DescribeMigrationDetail";
const ready = () => migrationAnswer("readyComplete", { allowed: ["stop", "complete"] });
/** A migration in its export step at `percent`, the lag not yet valid. */
const exporting = (percent: number) =>
  migrationAnswer("running", {
    lag: -1,
    gap: -1,
    steps: [
      { StepId: "dumper", StepName: "dumper", Status: "running", Percent: percent },
      { StepId: "loader", StepName: "loader", Status: "notStarted", Percent: 0 },
      { StepId: "sinker", StepName: "sinker", Status: "notStarted", Percent: 0 },
    ],
  });

describe("the poll loop's cadence (--interval 5 s, --max-interval six times it by default)", () => {
  it("polls a migration far from its end sparsely, at most the longest gap apart, and the deadline's poll last", async () => {
    const { client, clock, run } = gateHarness({ until: "ready", settleMs: 0, timeoutMs: 60_000 });
    const startedAt = clock.now();
    client.script(DETAIL, JOB, [exporting(10), exporting(11), exporting(12)]);
    const result = await run();
    // A second look measures the pace (1 % in 5 s: hours left), then the longest gap, then the deadline.
    expect(client.calls.map((call) => call.at - startedAt)).toEqual([0, 5_000, 35_000, 60_000]);
    expect(result.jobs[0]).toMatchObject({ outcome: "timeout", polls: 4 });
  });

  it("polls every interval, as before, when --max-interval equals --interval", async () => {
    const { client, clock, run } = gateHarness({
      until: "ready",
      settleMs: 0,
      timeoutMs: 20_000,
      maxIntervalMs: 5_000,
    });
    const startedAt = clock.now();
    client.script(DETAIL, JOB, [exporting(10), exporting(11), exporting(12)]);
    await run();
    expect(client.calls.map((call) => call.at - startedAt)).toEqual([0, 5_000, 10_000, 15_000, 20_000]);
  });

  it("polls once more exactly when the settle ends, not every interval through it", async () => {
    const { client, clock, run } = gateHarness({ until: "ready", settleMs: 12_000 });
    const startedAt = clock.now();
    client.script(DETAIL, JOB, [ready()]);
    const result = await run();
    expect(client.calls.map((call) => call.at - startedAt)).toEqual([0, 12_000]);
    expect(result.jobs[0]).toMatchObject({ outcome: "ready", polls: 2 });
  });

  it("polls a check with one step left at the interval", async () => {
    const { client, clock, run } = gateHarness({ timeoutMs: 60_000 });
    const startedAt = clock.now();
    const steps = (done: number) =>
      Array.from({ length: 13 }, (_, index) => step(index + 1, index < done ? "pass" : "notStarted"));
    client.script("DescribeMigrationCheckJob", JOB, [
      checkAnswer("running", "", steps(0)),
      checkAnswer("running", "", steps(0)),
      checkAnswer("running", "", steps(12)),
      checkAnswer("success", "checkPass", steps(13)),
    ]);
    await run();
    const at = client.calls.map((call) => call.at - startedAt);
    // Nothing done after 5 s with 13 steps to go: the longest gap; then one step left: the interval.
    expect(at).toEqual([0, 5_000, 35_000, 40_000]);
  });
});
