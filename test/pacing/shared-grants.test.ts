import type { Redis as RedisClient } from "ioredis";
import { describe, expect, it } from "vitest";
import { stampGrants } from "../../src/pacing/shared-grants.js";
import { VirtualClock } from "../helpers/virtual-clock.js";

type Callback = (error: unknown, replies: unknown) => void;

/** A client whose `register` (as bottleneck defines it) answers when the test says, with `replies`. */
function fakeClient() {
  const pending: Array<{ done: Callback }> = [];
  const client = {
    register: (...args: unknown[]) => {
      pending.push({ done: args.at(-1) as Callback });
    },
  };
  return { client: client as unknown as RedisClient, pending };
}

const KEY = "b_dts-gate:v1:DescribeMigrationCheckJob:{abc}_settings";
const OTHER = "b_dts-gate:v1:StartMigrateJob:{abc}_settings";

describe("stamps of the shared budget's tokens", () => {
  it("keeps, per budget and in order, when each granted token was asked for; refusals leave none", () => {
    const clock = new VirtualClock(0);
    const { client, pending } = fakeClient();
    const grants = stampGrants(client, clock);
    const ask = (key: string) =>
      (client as unknown as { register: (...a: unknown[]) => void }).register(1, key, () => {});
    ask(KEY);
    clock.nowMs = 5;
    ask(OTHER);
    clock.nowMs = 7;
    ask(KEY);
    clock.nowMs = 9;
    pending[0]?.done(null, [1, 0, 0]);
    pending[1]?.done(null, [1, 0, 0]);
    pending[2]?.done(null, [0, 0, 0]);
    expect(grants.take(KEY)).toBe(0);
    expect(grants.take(KEY)).toBeUndefined();
    expect(grants.take(OTHER)).toBe(5);
  });

  it("calls a token stale once it is older than the quickest round trip seen plus 50 ms", () => {
    const clock = new VirtualClock(0);
    const { client, pending } = fakeClient();
    const grants = stampGrants(client, clock);
    (client as unknown as { register: (...a: unknown[]) => void }).register(1, KEY, () => {});
    clock.nowMs = 20;
    pending[0]?.done(null, [1, 0, 0]);
    const askedAt = grants.take(KEY) ?? Number.NaN;
    clock.nowMs = 70;
    expect(grants.stale(askedAt)).toBe(false);
    clock.nowMs = 71;
    expect(grants.stale(askedAt)).toBe(true);
  });
});
