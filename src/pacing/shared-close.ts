import type Bottleneck from "bottleneck";
import { within } from "./redis-connection.js";

/** How long a clean shutdown may wait for Redis (setting the keys' TTL) before it cuts the sockets. */
const CLOSE_TIMEOUT_MS = 300;

/** Leaves the shared limiter once; `graceful`: sets every key's TTL and says goodbye to Redis. */
export function closerOf(
  byAction: ReadonlyMap<string, Bottleneck>,
  connection: Bottleneck.IORedisConnection,
): (graceful: boolean) => Promise<void> {
  let closing: Promise<void> | undefined;
  return (graceful) => {
    closing ??= (async () => {
      const all = [...byAction.values()];
      if (graceful) {
        // increment_reservoir(0) sets the TTL of every key of the limiter, whichever exists.
        const ttls = Promise.all(all.map((shared) => shared.incrementReservoir(0)));
        await within(ttls, CLOSE_TIMEOUT_MS, "closing").catch(() => {});
      }
      for (const shared of all) void shared.stop({ dropWaitingJobs: true }).catch(() => {});
      // The connection first: once it is terminated, bottleneck no longer unsubscribes on a dead
      // socket. Cut, not QUIT: a frozen Redis would hold the exit for QUIT's answer.
      await connection.disconnect(false);
      // Only forgets the limiter (the connection is ours), and returns nothing.
      await Promise.allSettled(all.map(async (shared) => shared.disconnect(false)));
    })().catch(() => {});
    return closing;
  };
}
