// Calls in a row, each started at least BENCH_PACE_MS after the one before (0 or unset: back to
// back): the reference loops run at the pace dts-gate's limiter allows, so that both sides pay
// the same idle time between calls and their CPU per call compares the work of a call.
import { setTimeout as sleep } from "node:timers/promises";

const paceMs = Number(process.env.BENCH_PACE_MS ?? 0);

/** Runs `call` `count` times, paced; `onCall` gets each result. */
export async function pacedCalls(count, call, onCall) {
  let nextAt = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = nextAt - performance.now();
    if (wait > 0) await sleep(wait);
    nextAt = performance.now() + paceMs;
    onCall(await call());
  }
}
