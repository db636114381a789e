import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

/* What the manifest and the repository tell a user who found the package. */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const manifest = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8"));

describe("package.json and the checkout", () => {
  it("point at the repository: repository, homepage and bugs", () => {
    expect(manifest.repository).toEqual({ type: "git", url: "git+https://github.com/dts-gate/dts-gate.git" });
    expect(manifest.homepage).toBe("https://github.com/dts-gate/dts-gate#readme");
    expect(manifest.bugs).toEqual({ url: "https://github.com/dts-gate/dts-gate/issues" });
  });

  it("ignore the tarball npm pack leaves behind", async () => {
    // check-ignore exits 0 when the path is ignored, 1 when it is not.
    await expect(
      promisify(execFile)("git", ["check-ignore", "-q", `dts-gate-${manifest.version}.tgz`], { cwd: ROOT }),
    ).resolves.toBeDefined();
  });
});
