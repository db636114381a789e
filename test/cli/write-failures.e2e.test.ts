import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EMPTY_HOME } from "../helpers/cli.js";
import { CLI } from "../helpers/process.js";

/*
 * The bundle with an output that cannot be written: stdout on a full disk (/dev/full: every write
 * fails with ENOSPC) or a reader that has gone (EPIPE). The exit code stays the verdict's, and
 * the other output is still written.
 */

function demo(scenario: string, stdout: "full" | "closed"): Promise<{ code: number | null; stderr: string }> {
  const full = stdout === "full" ? openSync("/dev/full", "w") : undefined;
  // At a fast pace: the writes, not the check, are what is tested.
  const fast = ["--step-ms", "5", "--interval", "0.05"];
  const child = spawn(process.execPath, [CLI, "demo", "--scenario", scenario, ...fast], {
    env: { PATH: process.env.PATH ?? "", HOME: EMPTY_HOME },
    stdio: ["ignore", full ?? "pipe", "pipe"],
  });
  if (full !== undefined) closeSync(full);
  // A reader that goes away at once.
  child.stdout?.destroy();
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stderr })));
}

describe("writes that fail never decide the exit code", () => {
  for (const stdout of ["full", "closed"] as const) {
    it(`stdout ${stdout === "full" ? "on a full disk (/dev/full)" : "closed by its reader"}: exit 0 for an open gate, 1 for a closed one`, async () => {
      const [open, closed] = await Promise.all([demo("pass", stdout), demo("not-pass", stdout)]);
      expect(open.code, open.stderr).toBe(0);
      expect(open.stderr).toContain("dts-1ewjspuw PASSED");
      expect(closed.code, closed.stderr).toBe(1);
      expect(closed.stderr).toContain("dts-1ewjspuw NOT PASSED");
      // The failed writes are not reported as errors of their own.
      for (const run of [open, closed]) expect(run.stderr).not.toMatch(/EPIPE|ENOSPC/);
    }, 30_000);
  }
});
