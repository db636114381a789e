import type { Simulator, SimulatorOptions } from "../../src/simulator/index.js";
import { fakeClock, JOB, post } from "./helpers.js";

/** Short durations for the lifecycle tests: the check takes 130 ms, a migration 1 s. */
export const STEP_MS = 10;
export const MIGRATE_MS = 1000;

// biome-ignore lint/suspicious/noExplicitAny: answers are inspected freely
export type Json = any;

/**
 * A simulator on a settable clock with short durations, and `call(action, body)` signing at that
 * clock: time moves only when a test moves it.
 */
export async function lifecycle(start: (options?: SimulatorOptions) => Promise<Simulator>, options: SimulatorOptions) {
  const clock = fakeClock();
  const sim = await start({ stepMs: STEP_MS, createLagMs: 0, migrateMs: MIGRATE_MS, now: clock.now, ...options });
  const call = async (action: string, body: Record<string, unknown> = { JobId: JOB }): Promise<Json> =>
    (await post(sim.url, { action, body, timestamp: clock.seconds() })).json.Response;
  return { sim, clock, call };
}

/** The values in order with repeats squeezed out: the sequence of states a poller would see. */
export function squeeze<T>(values: readonly T[]): T[] {
  return values.filter((value, index) => index === 0 || value !== values[index - 1]);
}

/**
 * Polls `describe` every `everyMs` of simulator time for `forMs` (at least one poll), answers in order.
 */
export async function pollFor(
  clock: { advance: (ms: number) => void },
  describe: () => Promise<Json>,
  everyMs: number,
  forMs: number,
): Promise<Json[]> {
  const answers: Json[] = [];
  for (let waited = 0; waited <= forMs; waited += everyMs) {
    answers.push(await describe());
    clock.advance(everyMs);
  }
  return answers;
}
