import { JSDOM } from "jsdom";
import { beforeAll, describe, expect, it } from "vitest";
import { runAction } from "../../src/action/run.js";
import { DEMO_SECRET_ID, DEMO_SECRET_KEY, type SimulatorOptions } from "../../src/simulator/index.js";
import { simulatorsClosedAfterEach } from "../helpers/simulators.js";
import { fakeCore } from "./fake-core.js";

/* The Action in this process, with its real run, against the simulator over loopback HTTP. */

type Mermaid = typeof import("mermaid")["default"];
let mermaid: Mermaid;
beforeAll(async () => {
  const { window } = new JSDOM("");
  Object.assign(globalThis, { window, document: window.document });
  mermaid = (await import("mermaid")).default;
});

const JOB = "dts-1ewjspuw";
/**
 * Only the order of the states matters here: a 300 ms migration (100 ms a step) and a 0.1 s settle
 * go through the same ones as real minutes, polled every 50 ms.
 */
const simulator = simulatorsClosedAfterEach({ stepMs: 10, migrateMs: 300 });

async function runWith(options: SimulatorOptions, inputs: Record<string, string>) {
  const sim = await simulator(options);
  const fake = fakeCore({
    "job-id": JOB,
    "secret-id": DEMO_SECRET_ID,
    "secret-key": DEMO_SECRET_KEY,
    endpoint: sim.url,
    interval: "0.05",
    timeout: "30",
    "request-timeout": "2",
    settle: "0.1s",
    ...inputs,
  });
  const code = await runAction({ core: fake.core, env: {}, onSignal: () => () => {} });
  return { code, fake, sim };
}

describe("the Action takes a migration to its cut-over", () => {
  it("start-migration and complete: outputs ready, completed and lag-seconds; the summary's lag chart parses", async () => {
    const { code, fake, sim } = await runWith(
      { jobs: { [JOB]: "migrate" } },
      { "start-migration": "true", complete: "true" },
    );
    expect(code).toBe(0);
    expect(sim.completeCount(JOB)).toBe(1);
    expect(fake.outputs()).toMatchObject({ passed: "true", ready: "true", completed: "true", "lag-seconds": "0" });
    const summary = fake.summaries[0] ?? "";
    expect(summary).toContain("DTS migration: gate open");
    expect(summary).toContain("**Cut-over:** CompleteMigrateJob sent");
    const chart = /```mermaid\n([\s\S]*?)\n```/.exec(summary)?.[1] ?? "";
    expect(chart).toContain("xychart-beta");
    await expect(mermaid.parse(chart)).resolves.toBeTruthy();
    // The log tells the phases.
    const log = fake.calls.filter((call) => call[0] === "info").map((call) => String(call[1]));
    expect(log.some((line) => line.includes("cut-over sent: CompleteMigrateJob"))).toBe(true);
    expect(log.some((line) => /migrate · running · dumper \d+%/.test(line))).toBe(true);
  });

  it("until ready on a lag that never comes down: not ready, not completed, the lag it was stuck at", async () => {
    const { code, fake } = await runWith(
      { jobs: { [JOB]: "lag-stuck" } },
      // The lag stops falling about 0.5 s into the run: the deadline leaves a loaded machine a second more.
      { "start-migration": "true", until: "ready", timeout: "1.5" },
    );
    expect(code).toBe(3);
    expect(fake.outputs()).toMatchObject({ passed: "false", ready: "false", completed: "false", "lag-seconds": "37" });
  });

  it("a bad input still sets the migration outputs", async () => {
    const { code, fake } = await runWith({}, { until: "tomorrow" });
    expect(code).toBe(2);
    expect(fake.outputs()).toMatchObject({ ready: "false", completed: "false", "lag-seconds": "" });
  });
});
