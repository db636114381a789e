import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SECRET_ID, DEMO_SECRET_KEY, type Simulator, startSimulator } from "../../src/simulator/index.js";
import { runActionProcess } from "./helpers.js";

/* dist/action.js when the runner's output file is on a full disk (/dev/full: ENOSPC on every write). */

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({ stepMs: 5, jobs: { "dts-1ewjspuw": "pass", "dts-aaaaaaaa": "not-pass" } });
});
afterAll(async () => {
  await simulator.close();
});

function run(jobId: string) {
  return runActionProcess({
    inputs: {
      "job-id": jobId,
      "secret-id": DEMO_SECRET_ID,
      "secret-key": DEMO_SECRET_KEY,
      endpoint: simulator.url,
      interval: "0.05",
      timeout: "20",
    },
    env: { GITHUB_OUTPUT: "/dev/full" },
  });
}

describe("the Action with outputs that cannot be written", () => {
  it("ends with the verdict's exit code, and still writes the log and the job summary", async () => {
    const [open, closed] = await Promise.all([run("dts-1ewjspuw"), run("dts-aaaaaaaa")]);
    expect(open.code, open.stderr).toBe(0);
    expect(open.summary).toContain("gate open");
    expect(open.stdout).toContain("dts-1ewjspuw  PASSED");
    expect(closed.code, closed.stderr).toBe(1);
    expect(closed.summary).toContain("gate closed");
  });
});
