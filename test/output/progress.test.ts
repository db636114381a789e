import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { createProgress, stepsDone } from "../../src/output/progress.js";
import { safeWriter } from "../../src/output/safe-output.js";
import { ApiError } from "../../src/tencent/errors.js";
import { checkAnswer, step } from "../helpers/fake-client.js";
import { Screen } from "../helpers/screen.js";

function setup(live: boolean, terminal: { columns?: number; rows?: number } = { columns: 200 }) {
  let nowMs = 0;
  const size = { ...terminal };
  const resize = (columns: number) => {
    size.columns = columns;
  };
  const at = (ms: number) => {
    nowMs = ms;
  };
  let written = "";
  const progress = createProgress({
    write: (text) => {
      written += text;
    },
    live,
    style: { color: false },
    now: () => nowMs,
    verbose: false,
    size: () => size,
    failOnWarning: true,
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
  return { poll, output: () => written, progress, at, resize };
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
      "[   0.0s] dts-1ewjspuw running · 1 of 3 steps done · now step 1 Step 1",
      "[  10.0s] dts-1ewjspuw running · 2 of 3 steps done · now step 2 Step 2",
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
      "dts-1ewjspuw  running · 1 of 2 steps done · now step 1 Step 1  0.0s\n\r\u001b[1A\u001b[0Jdts-1ewjspuw  success · 2 of 2 steps done  1.0s\n",
    );
  });
});

const throttled = new ApiError({
  kind: "throttled",
  code: "RequestLimitExceeded",
  message: "slow down",
  maybeApplied: false,
});

describe("retries are visible", () => {
  it("off a terminal: a line when a request is retried, and one when retrying recovers", () => {
    const { progress, output, at } = setup(false);
    at(2_000);
    progress.onEvent({
      type: "retry",
      jobId: "dts-1ewjspuw",
      action: "DescribeMigrationCheckJob",
      notice: { attempt: 1, maxAttempts: 7, error: throttled, delayMs: 1_250 },
    });
    at(3_300);
    progress.onEvent({ type: "recovered", jobId: "dts-1ewjspuw", action: "DescribeMigrationCheckJob", attempts: 2 });
    expect(output().split("\n").filter(Boolean)).toEqual([
      "[   2.0s] dts-1ewjspuw DescribeMigrationCheckJob failed: RequestLimitExceeded (throttled): attempt 1 of 7, next try in 1.3 s",
      "[   3.3s] dts-1ewjspuw DescribeMigrationCheckJob succeeded on attempt 2",
    ]);
  });

  it("on a terminal: in the live line, until the request recovers", () => {
    const { poll, progress, output, at } = setup(true);
    poll(0, ["pass", "notStarted"]);
    progress.onEvent({
      type: "retry",
      jobId: "dts-1ewjspuw",
      action: "DescribeMigrationCheckJob",
      notice: { attempt: 2, maxAttempts: 7, error: throttled, delayMs: 500 },
    });
    expect(output().split("\u001b[0J").at(-1)).toBe(
      "dts-1ewjspuw  running · 1 of 2 steps done · now step 1 Step 1  retrying RequestLimitExceeded (throttled): attempt 2 of 7, next try in 0.5 s  0.0s\n",
    );
    at(900);
    progress.onEvent({ type: "recovered", jobId: "dts-1ewjspuw", action: "DescribeMigrationCheckJob", attempts: 3 });
    expect(output().split("\u001b[0J").at(-1)).toBe(
      "dts-1ewjspuw  running · 1 of 2 steps done · now step 1 Step 1  0.9s\n",
    );
  });

  it("the live line ticks between polls", () => {
    const { poll, progress, output, at } = setup(true);
    poll(0, ["pass", "notStarted"]);
    at(4_000);
    progress.tick();
    expect(output().split("\u001b[0J").at(-1)).toBe(
      "dts-1ewjspuw  running · 1 of 2 steps done · now step 1 Step 1  4.0s\n",
    );
  });

  it("after CreateMigrateCheckJob, an old result is not shown as progress", () => {
    const { progress, output } = setup(false);
    progress.onEvent({
      type: "poll",
      jobId: "dts-1ewjspuw",
      state: "waiting",
      response: checkAnswer("success", "checkPass", [step(0, "pass")]),
      polls: 1,
      elapsedMs: 0,
      stale: true,
    });
    expect(output()).toBe("[   0.0s] dts-1ewjspuw waiting for the new check to start\n");
  });

  it("names the current step by the StepNo the report shows", () => {
    const answer = checkAnswer("running", "", [step(0, "pass"), step(1, "pass"), step(2, "notStarted")]);
    expect(stepsDone(answer)).toEqual({ done: 2, total: 3, current: "2 Step 2" });
  });
});

describe("the live view keeps the jobs in the order given", () => {
  it("whichever job answers first", () => {
    const screen = new Screen(120);
    const progress = createProgress({
      write: (text) => screen.write(text),
      live: true,
      style: { color: false },
      now: () => 0,
      verbose: false,
      size: () => ({ columns: 120 }),
      jobIds: ["dts-aaaaaaaa", "dts-bbbbbbbb", "dts-cccccccc"],
    });
    for (const jobId of ["dts-aaaaaaaa", "dts-cccccccc", "dts-bbbbbbbb"]) {
      progress.onEvent({
        type: "poll",
        jobId,
        state: "waiting",
        response: checkAnswer("running", "", [step(1, "pass")]),
        polls: 1,
        elapsedMs: 0,
      });
    }
    const shown = screen
      .lines()
      .map((line) => line.slice(0, 12))
      .filter((id) => id.startsWith("dts-"));
    expect(shown).toEqual(["dts-aaaaaaaa", "dts-bbbbbbbb", "dts-cccccccc"]);
  });
});

describe("the live view fits the terminal", () => {
  function liveView(columns: number, rows?: number) {
    const screen = new Screen(columns);
    let nowMs = 0;
    const size = { columns, ...(rows === undefined ? {} : { rows }) };
    const progress = createProgress({
      write: (text) => screen.write(text),
      live: true,
      style: { color: true },
      now: () => nowMs,
      verbose: false,
      size: () => size,
      failOnWarning: true,
    });
    const poll = (jobId: string, atMs: number, name: string) => {
      nowMs = atMs;
      const steps = [step(1, "pass"), { ...step(2, "notStarted"), StepName: name }];
      progress.onEvent({
        type: "poll",
        jobId,
        state: "waiting",
        response: checkAnswer("running", "", steps),
        polls: 1,
        elapsedMs: atMs,
      });
    };
    const resize = (to: number) => {
      size.columns = to;
      screen.resize(to);
    };
    return { screen, progress, poll, resize };
  }

  const JOBS = ["dts-aaaaaaaa", "dts-bbbbbbbb", "dts-cccccccc"];
  const LONG = "Target instance content conflict check of every table to migrate";
  const WIDE = "目标实例内容冲突检查（所有待迁移的表）";

  for (const columns of [40, 80, 200]) {
    it(`at ${columns} columns: one line per job, cut with … by display width, nothing left behind`, () => {
      const { screen, poll } = liveView(columns);
      screen.write("credentials from the environment\n");
      for (let round = 0; round < 5; round++) {
        for (const [index, jobId] of JOBS.entries()) poll(jobId, round * 1000 + index, index === 1 ? WIDE : LONG);
      }
      const lines = screen.lines();
      expect(lines).toHaveLength(1 + JOBS.length);
      expect(lines[0]).toBe("credentials from the environment");
      for (const [index, jobId] of JOBS.entries()) {
        const line = lines[index + 1] ?? "";
        expect(
          `${jobId}  running · 1 of 2 steps done · now step 2`.startsWith(line.slice(0, 39).replace(/…$/, "")),
        ).toBe(true);
        expect(stringWidth(line)).toBeLessThan(columns);
        if (columns < 100) expect(line.endsWith("…")).toBe(true);
      }
    });
  }

  it("starts every redraw at column 0: a ^C echoed by the terminal leaves nothing behind", () => {
    const { screen, poll } = liveView(80);
    poll(JOBS[0] ?? "", 0, "Step");
    screen.write("^C");
    poll(JOBS[0] ?? "", 1000, "Step");
    expect(screen.lines()).toEqual(["dts-aaaaaaaa  running · 1 of 2 steps done · now step 2 Step  1.0s"]);
  });

  it("a terminal made narrower mid-wait: what was drawn is cleared, as the terminal wrapped it again", () => {
    const { screen, poll, resize } = liveView(120);
    screen.write("credentials from the environment\n");
    for (const jobId of JOBS) poll(jobId, 0, LONG);
    resize(60);
    // Each drawn line of about 100 columns now takes two rows.
    expect(screen.lines()).toHaveLength(1 + 2 * JOBS.length);
    poll(JOBS[0] ?? "", 1000, LONG);
    const lines = screen.lines();
    expect(lines[0]).toBe("credentials from the environment");
    expect(lines.slice(1).map((line) => line.slice(0, 12))).toEqual(JOBS);
    for (const line of lines) expect(stringWidth(line)).toBeLessThan(60);
  });

  it("shows no more lines than the terminal has rows", () => {
    const { screen, poll } = liveView(80, 3);
    for (const jobId of JOBS) poll(jobId, 0, "Step");
    poll(JOBS[0] ?? "", 1000, "Step");
    expect(screen.lines()).toEqual([
      "dts-aaaaaaaa  running · 1 of 2 steps done · now step 2 Step  1.0s",
      "… and 2 more jobs (3 waiting in all)",
    ]);
  });
});

describe("the live line and secrets", () => {
  it("a line cut in the middle of a secret shows none of it once written", () => {
    const TOKEN = "tok3nAbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    let written = "";
    const progress = createProgress({
      write: safeWriter(
        (text) => {
          written += text;
        },
        [TOKEN],
      ),
      live: true,
      style: { color: true },
      now: () => 0,
      verbose: false,
      size: () => ({ columns: 80 }),
    });
    const steps = [{ ...step(1, "notStarted"), StepName: `echo ${TOKEN} echo` }];
    progress.onEvent({
      type: "poll",
      jobId: "dts-1ewjspuw",
      state: "waiting",
      response: checkAnswer("running", "", steps),
      polls: 1,
      elapsedMs: 0,
    });
    expect(written).toContain("now step 1 echo ***…");
    expect(written).not.toContain(TOKEN.slice(0, 4));
  });
});
