import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

/*
 * The package as a user gets it: `npm pack` of this checkout, installed globally into a fresh
 * prefix, run from another directory with an empty HOME and no other install.
 */

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const scratch = () => mkdtempSync(join(tmpdir(), "dts-gate-package-"));

describe("the npm package", () => {
  it("packs dist/, action.yml, README and LICENSE, with no runtime dependency, and runs once installed", async () => {
    const packDir = scratch();
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", packDir], { cwd: ROOT });
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    if (!packed) throw new Error("npm pack gave nothing");
    const paths = packed.files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining(["LICENSE", "README.md", "action.yml", "dist/cli.js", "dist/action.js"]),
    );
    expect(paths.filter((path) => !/^(dist\/|LICENSE$|README\.md$|action\.yml$|package\.json$)/.test(path))).toEqual(
      [],
    );
    const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.engines.node).toMatch(/^>=20/);

    const prefix = scratch();
    const home = scratch();
    const env = { PATH: process.env.PATH ?? "", HOME: home, npm_config_cache: join(home, ".npm") };
    await run(
      "npm",
      [
        "install",
        "--global",
        "--prefix",
        prefix,
        "--offline",
        "--no-audit",
        "--no-fund",
        join(packDir, packed.filename),
      ],
      { env },
    );
    const bin = join(prefix, "bin", "dts-gate");
    const cwd = scratch();
    const version = await run(bin, ["--version"], { env, cwd });
    expect(version.stdout.trim()).toBe(manifest.version);
    const demo = await run(bin, ["demo"], { env, cwd });
    expect(demo.stdout).toContain("gate open");
  }, 60_000);
});
