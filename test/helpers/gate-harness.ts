import { retryingSendPort } from "../../src/app/run.js";
import { runGate } from "../../src/core/gate.js";
import type { GateEvent, GateOptions } from "../../src/core/types.js";
import type { RequestLimiter } from "../../src/pacing/limiter.js";
import { DEFAULT_RETRY_POLICY } from "../../src/pacing/retry.js";
import { FakeClient } from "./fake-client.js";
import { VirtualClock } from "./virtual-clock.js";

export const JOB = "dts-1ewjspuw";
export const OTHER = "dts-abcdefgh";
/** A limiter that never holds a request: the core's own logic alone, on virtual time. */
export const passThrough: RequestLimiter = { schedule: (task) => task(), stop: async () => {} };

/**
 * The pure core on virtual time: a scripted client, every event recorded, and `run` driving the
 * gate to its result (optionally with an interruption signal).
 */
export function gateHarness(overrides: Partial<GateOptions> = {}, limiter: RequestLimiter = passThrough) {
  const clock = new VirtualClock();
  const client = new FakeClient(clock.now);
  const events: GateEvent[] = [];
  const options: GateOptions = {
    jobIds: [JOB],
    intervalMs: 5_000,
    timeoutMs: 60_000,
    failOnWarning: false,
    createCheck: false,
    start: false,
    ...overrides,
  };
  const run = (interrupt?: AbortSignal) =>
    clock.run(
      runGate(options, {
        send: retryingSendPort({ client, limiter, clock, random: () => 0.5, policy: DEFAULT_RETRY_POLICY }),
        clock,
        onEvent: (event) => events.push(event),
        ...(interrupt ? { interrupt } : {}),
      }),
    );
  return { clock, client, events, run };
}
