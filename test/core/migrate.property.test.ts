import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JobRecord } from "../../src/core/job-record.js";
import { migratePhase } from "../../src/core/phases/migrate.js";
import { readMigrationAnswer } from "../../src/core/phases/migration-answer.js";
import { migrationDetailAnswer, nearlyReadyAnswer, readyAnswer, readyByRule } from "../helpers/answers.js";
import { apiError } from "../helpers/fake-client.js";
import { gateHarness, JOB } from "../helpers/gate-harness.js";
import { propertyOptions } from "../helpers/property.js";

const limits = fc.record({ maxLagSeconds: fc.constantFrom(0, 2), maxGapMB: fc.constantFrom(0, 3) });

describe("the migrate phase under any DescribeMigrationDetail answer", () => {
  it("never crashes, is done only on Status exactly success, and ready only by the rule", () => {
    fc.assert(
      fc.property(
        fc.oneof(migrationDetailAnswer, nearlyReadyAnswer),
        limits,
        fc.boolean(),
        (answer, limit, startedByGate) => {
          const phase = migratePhase(new JobRecord(JOB), {
            name: "migrate",
            target: "ready",
            startedByGate,
            settleMs: 0,
            ...limit,
          });
          const { view } = phase.read(answer);
          const verdict = phase.take(view, 0);
          if (verdict.state === "done" && verdict.outcome === "done") expect(answer.Status).toBe("success");
          if (verdict.state === "done" && verdict.outcome === "ready") {
            expect(readyByRule(answer, limit.maxLagSeconds, limit.maxGapMB)).toBe(true);
          }
          expect(() => JSON.stringify(readMigrationAnswer(answer).view)).not.toThrow();
        },
      ),
      propertyOptions(500),
    );
  });
});

const script = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: migrationDetailAnswer },
    { weight: 3, arbitrary: nearlyReadyAnswer },
    { weight: 3, arbitrary: fc.constant(null).map(readyAnswer) },
    { weight: 1, arbitrary: fc.constant(null).map(() => apiError("InternalError")) },
  ),
  { minLength: 1, maxLength: 8 },
);

describe("the gate under any sequence of DescribeMigrationDetail answers, on virtual time", () => {
  it("never crashes; ready only after the rule held in every answer for the settle; done only on success", async () => {
    await fc.assert(
      fc.asyncProperty(
        script,
        fc.constantFrom("ready", "done") as fc.Arbitrary<"ready" | "done">,
        fc.constantFrom(0, 10_000),
        async (answers, until, settleMs) => {
          const { client, clock, run } = gateHarness({ until, settleMs, timeoutMs: 40_000, intervalMs: 5_000 });
          client.script("DescribeMigrationDetail", JOB, answers);
          const startedAt = clock.now();
          const result = await run();
          expect([0, 1, 3, 4]).toContain(result.exitCode);
          expect(result.passed).toBe(result.exitCode === 0);
          const job = result.jobs[0];
          // Every poll's answer, with the time it was taken in (the fake repeats its last answer).
          const polls = client.calls.map((call, index) => ({
            at: call.at - startedAt,
            answer: answers[Math.min(index, answers.length - 1)],
          }));
          const last = polls.at(-1)?.answer;
          if (job?.outcome === "done") expect(last && !(last instanceof Error) && last.Status).toBe("success");
          if (job?.outcome === "ready") {
            // The answers that ended the wait, back to the first of the streak that met the rule.
            let streakStartAt = Number.POSITIVE_INFINITY;
            for (const poll of [...polls].reverse()) {
              if (poll.answer instanceof Error) continue;
              if (!readyByRule(poll.answer as Record<string, unknown>, 0, 0)) break;
              streakStartAt = poll.at;
            }
            expect((polls.at(-1)?.at ?? 0) - streakStartAt).toBeGreaterThanOrEqual(settleMs);
          }
        },
      ),
      propertyOptions(100),
    );
  });
});
