import { describe, expect, it } from "vitest";
import { createProgress } from "../../src/gate/progress.js";
import { checkAnswer, step } from "../helpers/fake-client.js";

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
  });
  const poll = (atMs: number, steps: string[], status = "running") => {
    nowMs = atMs;
    progress.onEvent({
      type: "poll",
      jobId: "dts-1ewjspuw",
      state: "waiting",
      response: checkAnswer(
        status,
        "",
        steps.map((s, i) => step(i, s)),
      ),
      polls: 1,
      elapsedMs: atMs,
    });
  };
  return { poll, output: () => written };
}

describe("progress off a terminal", () => {
  it("prints a line per change of state, and a heartbeat after 30 s without one", async () => {
    const { poll, output } = setup(false);
    poll(0, ["pass", "notStarted", "notStarted"]);
    poll(5_000, ["pass", "notStarted", "notStarted"]);
    poll(10_000, ["pass", "pass", "notStarted"]);
    poll(20_000, ["pass", "pass", "notStarted"]);
    poll(41_000, ["pass", "pass", "notStarted"]);
    poll(45_000, ["pass", "pass", "notStarted"]);
    expect(output().split("\n").filter(Boolean)).toEqual([
      "[   0.0s] dts-1ewjspuw running · step 2 of 3",
      "[  10.0s] dts-1ewjspuw running · step 3 of 3",
      "[  41.0s] still waiting for 1 of 1 job",
    ]);
  });
});

describe("progress on a terminal", () => {
  it("redraws one line per job in place", () => {
    const { poll, output } = setup(true);
    poll(0, ["pass", "notStarted"]);
    poll(1_000, ["pass", "pass"], "success");
    expect(output()).toBe(
      "dts-1ewjspuw  running · step 2 of 2  0.0s\n\u001b[1A\u001b[0Jdts-1ewjspuw  success · step 2 of 2  1.0s\n",
    );
  });
});
