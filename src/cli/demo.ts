import { DEFAULTS } from "../shared/defaults.js";
import { DEMO_SECRET_ID, DEMO_SECRET_KEY, type ScenarioName, startSimulator } from "../simulator/index.js";
import { Credentials } from "../tencent/credentials.js";
import type { CliIO } from "./io.js";
import { runWait } from "./wait.js";

export const DEMO_JOB_ID = "dts-1ewjspuw";

/** `dts-gate demo`: the simulator in-process and a real `wait` against it. */
export async function runDemo(scenario: ScenarioName, timeoutMs: number, io: CliIO): Promise<number> {
  const simulator = await startSimulator({ scenario, stepMs: 300 });
  try {
    io.stderr.write(
      `dts-gate demo: simulated DTS at ${simulator.url} (scenario ${scenario}, demo credentials)\n` +
        `$ dts-gate wait ${DEMO_JOB_ID} --endpoint ${simulator.url} --interval 0.5 --timeout ${timeoutMs / 1000}s\n\n`,
    );
    return await runWait(
      {
        jobIds: [DEMO_JOB_ID],
        endpoint: new URL(simulator.url),
        intervalMs: 500,
        timeoutMs,
        requestTimeoutMs: DEFAULTS.requestTimeoutSeconds * 1000,
        rate: DEFAULTS.rate,
        output: "text",
        failOnWarning: false,
        createCheck: false,
        start: false,
        verbose: false,
        credentials: new Credentials(DEMO_SECRET_ID, DEMO_SECRET_KEY),
      },
      io,
    );
  } finally {
    await simulator.close();
  }
}
