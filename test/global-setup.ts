import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * One folder for the whole run: every test's temporary files go under it (TMPDIR points there, for
 * the workers and the processes they start), and it is removed at the end, whatever a test left.
 * The bundle the process tests run is built into it from the sources, so they never test a stale
 * committed dist/ (CI checks that the committed one is fresh, separately).
 */
export default function setup() {
  // Each project of the run calls this too: the first call's folder and bundle serve them all.
  if (process.env.DTS_GATE_TEST_BUNDLE !== undefined) return () => {};
  const runDir = mkdtempSync(join(tmpdir(), "dts-gate-test-run-"));
  const bundleDir = join(runDir, "dist");
  execFileSync(process.execPath, [fileURLToPath(new URL("../scripts/build.mjs", import.meta.url)), bundleDir], {
    stdio: "inherit",
  });
  process.env.TMPDIR = runDir;
  process.env.DTS_GATE_TEST_BUNDLE = bundleDir;
  return () => rmSync(runDir, { recursive: true, force: true });
}
