import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, type RetryNotice, retryPolicyFor, sendWithRetry } from "../../src/pacing/retry.js";
import type { CallResult } from "../../src/tencent/client.js";
import type { ApiError } from "../../src/tencent/errors.js";
import { apiError } from "../helpers/fake-client.js";
import { passThrough } from "../helpers/gate-harness.js";
import { VirtualClock } from "../helpers/virtual-clock.js";

const THIRTY_MINUTES = 30 * 60_000;

/** A server down for `outageMs` from the first request (each failure `failure()`), then answering. */
function outage(clock: VirtualClock, outageMs: number, failure: () => ApiError) {
  const startedAt = clock.now();
  let sends = 0;
  const send = async (): Promise<CallResult<"DescribeMigrationCheckJob">> => {
    sends++;
    if (clock.now() - startedAt < outageMs) return { ok: false, error: failure() };
    return { ok: true, value: { RequestId: "req-up" } } as unknown as CallResult<"DescribeMigrationCheckJob">;
  };
  return { send, sends: () => sends };
}

function retrying(clock: VirtualClock, policy = retryPolicyFor(THIRTY_MINUTES), signal?: AbortSignal) {
  const notices: RetryNotice[] = [];
  const deps = {
    limiter: passThrough,
    action: "DescribeMigrationCheckJob",
    clock,
    random: () => 0.5,
    policy,
    adoptServerClock: () => {},
    onRetry: (notice: RetryNotice) => notices.push(notice),
    ...(signal ? { signal } : {}),
  };
  return { deps, notices };
}

describe("retries of a run with a deadline", () => {
  it("ride out a 12 s outage of 5xx answers, each retry told, with no attempt cap", async () => {
    const clock = new VirtualClock();
    const server = outage(clock, 12_000, () => apiError("InternalError"));
    const { deps, notices } = retrying(clock);
    const result = await clock.run(sendWithRetry(server.send, deps));
    expect(result.ok).toBe(true);
    expect(result.attempts).toBeGreaterThan(DEFAULT_RETRY_POLICY.retries + 1);
    expect(notices).toHaveLength(result.attempts - 1);
    expect(notices.every((notice) => notice.maxAttempts === undefined && notice.delayMs !== undefined)).toBe(true);
    // Capped backoff: no pause longer than the cap.
    expect(Math.max(...notices.map((notice) => notice.delayMs ?? 0))).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.capMs);
  });

  it("keep retrying throttling until the run's signal ends the wait", async () => {
    const clock = new VirtualClock();
    const server = outage(clock, Number.POSITIVE_INFINITY, () => apiError("RequestLimitExceeded"));
    const deadline = new AbortController();
    void clock.sleep(5 * 60_000).then(() => deadline.abort(new Error("deadline")));
    const { deps } = retrying(clock, retryPolicyFor(THIRTY_MINUTES), deadline.signal);
    const result = await clock.run(sendWithRetry(server.send, deps));
    expect(result.ok).toBe(false);
    expect(server.sends()).toBeGreaterThan(20);
    expect(clock.now() - 1_700_000_000_000).toBe(5 * 60_000);
  });

  it("end at once on a fatal error", async () => {
    const clock = new VirtualClock();
    const server = outage(clock, Number.POSITIVE_INFINITY, () => apiError("AuthFailure.SecretIdNotFound"));
    const { deps, notices } = retrying(clock);
    const result = await clock.run(sendWithRetry(server.send, deps));
    expect(result).toMatchObject({ ok: false, attempts: 1 });
    expect(notices.map((notice) => notice.delayMs)).toEqual([undefined]);
  });

  it("keep the cap of an action that must not run twice", async () => {
    const clock = new VirtualClock();
    const server = outage(clock, Number.POSITIVE_INFINITY, () => apiError("RequestLimitExceeded"));
    const { deps } = retrying(clock);
    const result = await clock.run(sendWithRetry(server.send, deps, { idempotent: false, maxSends: 3 }));
    expect(result).toMatchObject({ ok: false, attempts: 3 });
  });
});

describe("retries of a run without a deadline (one look)", () => {
  it("keep the default's attempts", async () => {
    const clock = new VirtualClock();
    const server = outage(clock, Number.POSITIVE_INFINITY, () => apiError("InternalError"));
    const { deps, notices } = retrying(clock, retryPolicyFor(0));
    const result = await clock.run(sendWithRetry(server.send, deps));
    expect(result).toMatchObject({ ok: false, attempts: DEFAULT_RETRY_POLICY.retries + 1 });
    expect(notices.at(-1)).toMatchObject({ maxAttempts: DEFAULT_RETRY_POLICY.retries + 1 });
  });
});
