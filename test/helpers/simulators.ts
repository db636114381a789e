import { afterEach } from "vitest";
import { type Simulator, type SimulatorOptions, startSimulator } from "../../src/simulator/index.js";

/**
 * Starts simulators with these defaults (each call's options over them), every one closed after
 * the test that started it: the set-up every simulator-backed test file shares.
 */
export function simulatorsClosedAfterEach(
  defaults: SimulatorOptions = {},
): (options?: SimulatorOptions) => Promise<Simulator> {
  const started: Simulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((simulator) => simulator.close()));
  });
  return async (options = {}) => {
    const simulator = await startSimulator({ ...defaults, ...options });
    started.push(simulator);
    return simulator;
  };
}
