import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { retryingSendPort } from "../../src/app/run.js";
import { runGate, START_MAX_SENDS } from "../../src/core/gate.js";
import type { GateResult } from "../../src/core/types.js";
import { EXIT_CODES } from "../../src/core/verdict.js";
import type { RequestLimiter } from "../../src/pacing/limiter.js";
import { DEFAULT_RETRY_POLICY } from "../../src/pacing/retry.js";
import { ApiError } from "../../src/tencent/errors.js";
import { describeAnswer, passesExactly } from "../helpers/answers.js";
import { type Answer, apiError, FakeClient } from "../helpers/fake-client.js";
import { propertyOptions } from "../helpers/property.js";
import { VirtualClock } from "../helpers/virtual-clock.js";

const JOB_IDS = ["dts-aaaaaaaa", "dts-bbbbbbbb", "dts-cccccccc"];
const passThrough: RequestLimiter = { schedule: (task) => task(), stop: async () => {} };

const failure = fc.constantFrom(
  () => apiError("RequestLimitExceeded", { maybeApplied: false }),
  () => apiError("InternalError"),
  () => apiError("ResourceNotFound.JobNotExist"),
  () => apiError("AuthFailure.SignatureFailure"),
  () => apiError("RequestTimeout", { kind: "transient", maybeApplied: true }),
  () => apiError("NetworkError", { kind: "transient", maybeApplied: false }),
);

const describeScript = fc.array(
  fc.oneof({ weight: 4, arbitrary: describeAnswer }, { weight: 1, arbitrary: failure.map((make) => make()) }),
  { minLength: 1, maxLength: 6 },
);

const startScript = fc.array(
  fc.oneof(
    { weight: 2, arbitrary: fc.constant({ RequestId: "started" }) },
    { weight: 1, arbitrary: failure.map((make) => make()) },
  ),
  { minLength: 1, maxLength: 4 },
);

const scenario = fc.record({
  jobs: fc.array(fc.record({ describe: describeScript, start: startScript }), { minLength: 1, maxLength: 3 }),
  failOnWarning: fc.boolean(),
  start: fc.boolean(),
  failFast: fc.boolean(),
  timeoutMs: fc.constantFrom(0, 12_000, 60_000),
});

/** The answer the n-th call got from a script (the fake repeats the last answer). */
function served(script: readonly Answer[], calls: number): Answer | undefined {
  return calls === 0 ? undefined : script[Math.min(calls, script.length) - 1];
}

describe("runGate under any sequence of answers", () => {
  it("never throws, opens only on exact verdicts, and reports every StartMigrateJob it sent", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (input) => {
        const clock = new VirtualClock();
        const client = new FakeClient(clock.now);
        const jobIds = JOB_IDS.slice(0, input.jobs.length);
        input.jobs.forEach((job, index) => {
          const jobId = jobIds[index] ?? "";
          client.script("DescribeMigrationCheckJob", jobId, job.describe as Answer[]);
          client.script("StartMigrateJob", jobId, job.start);
        });
        const result: GateResult = await clock.run(
          runGate(
            {
              jobIds,
              intervalMs: 5_000,
              timeoutMs: input.timeoutMs,
              failOnWarning: input.failOnWarning,
              createCheck: false,
              start: input.start,
              failFast: input.failFast,
            },
            {
              send: retryingSendPort({
                client,
                limiter: passThrough,
                clock,
                random: () => 0.5,
                policy: DEFAULT_RETRY_POLICY,
              }),
              clock,
            },
          ),
        );

        expect(result.passed).toBe(result.exitCode === EXIT_CODES.open);
        expect([0, 1, 3, 4]).toContain(result.exitCode);
        expect(result.jobs.map((job) => job.jobId)).toEqual(jobIds);
        result.jobs.forEach((job, index) => {
          const jobId = jobIds[index] ?? "";
          const script = input.jobs[index];
          if (!script) throw new Error("no script");
          const last = served(script.describe as Answer[], client.count("DescribeMigrationCheckJob", jobId));
          if (result.passed) {
            expect(last instanceof ApiError || last === undefined).toBe(false);
            expect(passesExactly(last as Record<string, unknown>)).toBe(true);
            if (input.failOnWarning) expect(job.warnings).toEqual([]);
          }
          const starts = client.count("StartMigrateJob", jobId);
          expect(job.startRequests).toBe(starts);
          expect(starts).toBeLessThanOrEqual(START_MAX_SENDS);
          if (starts > 0) {
            expect(input.start).toBe(true);
            expect(result.jobs.every((other) => other.startRequests > 0 || other.outcome !== "pass")).toBe(true);
            const sent = Array.from({ length: starts }, (_, n) => served(script.start, n + 1));
            const accepted = sent.some((answer) => !(answer instanceof ApiError));
            const maybeApplied = sent.some((answer) => answer instanceof ApiError && answer.maybeApplied);
            // An accepted start is reported started; one whose answer was lost, unknown; else refused.
            if (accepted) expect(job.started).not.toBeNull();
            else if (maybeApplied) expect(job.error?.code).toBe("StartOutcomeUnknown");
            else expect(job.error?.message).toContain("not started");
          }
          if (job.started !== null) expect(starts).toBeGreaterThan(0);
        });
      }),
      propertyOptions(200),
    );
  });
});
