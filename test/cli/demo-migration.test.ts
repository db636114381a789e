import { describe, expect, it } from "vitest";
import { runCaptured } from "../helpers/cli.js";

describe("demo of a migration", () => {
  it("--scenario cutover: check, start, ready, cut-over and done, every phase shown; exit 0 within its 30 s timeout", async () => {
    const run = await runCaptured(["demo", "--scenario", "cutover"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("--create-check --start --until done --settle 2s --compare --complete");
    // The phases in their order: a line of each.
    const marks = [
      "check created",
      "dts-1ewjspuw PASSED",
      "migration started",
      "migrate · running · dumper",
      "migrate · readyComplete",
      "dts-1ewjspuw READY",
      "cut-over sent: CompleteMigrateJob",
      "complete · completing",
      "dts-1ewjspuw DONE",
    ];
    const positions = marks.map((mark) => run.stderr.indexOf(mark));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(run.stdout).toContain("migration: success");
    expect(run.stdout).toMatch(/cut-over: CompleteMigrateJob sent \(RequestId [0-9a-f-]{36}\)/);
    expect(run.stdout).toContain("gate open: the migration is done");
  }, 40_000);

  it("--scenario migrate-failed: exit 1, naming the failed step and its ErrorInfo", async () => {
    const run = await runCaptured(["demo", "--scenario", "migrate-failed"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("failed at: loader (Import the data into the target)");
    expect(run.stdout).toMatch(
      /gate closed: dts-1ewjspuw: the migration is failed \(ErrorInfo: LoaderError\.DuplicateEntry: /,
    );
  });
});
