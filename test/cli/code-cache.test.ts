import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { codeCacheDir, runScriptWithCodeCache } from "../../src/cli/code-cache.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "dts-gate-code-cache-"));
  dirs.push(dir);
  return dir;
}

/**
 * A script as the build makes chunks/main.cjs: CommonJS in form, `import.meta.url` passed in.
 * `variant` changes one character of a comment: V8 keeps what it compiled in memory by source
 * text, so that a second run in this process reads the cache file only if the text differs (the
 * length, which V8 checks, stays the same).
 */
function writeScript(dir: string, variant = "a", body = ""): URL {
  const file = join(dir, "main.cjs");
  writeFileSync(
    file,
    `"use strict"; /* ${variant} */
function square(n) { return n * n; }
module.exports = { square, url: __importMetaUrl, path: require("node:path").sep, early: typeof exports };
${body}`,
  );
  return pathToFileURL(file);
}

describe("runScriptWithCodeCache", () => {
  it("runs the script as a CommonJS module, then keeps V8's code for the next run", () => {
    const dir = tempDir();
    const cacheDir = join(dir, "cache");
    const file = writeScript(dir);
    const options = { dir: cacheDir, bundleHash: "0123456789abcdef", slot: "other" };

    const first = runScriptWithCodeCache<{ square(n: number): number; url: string; path: string; early: string }>(
      file,
      options,
    );
    expect(first.exports.square(7)).toBe(49);
    expect(first.exports.url).toBe(file.href);
    expect(first.exports.path).toBe("/");
    expect(first.exports.early).toBe("object");
    expect(first.cache).toBe("absent");
    first.save();
    const [cacheFile, ...others] = readdirSync(cacheDir);
    expect(others).toEqual([]);
    expect(cacheFile).toMatch(new RegExp(`^0123456789abcdef-${process.version}-${process.platform}-.*-other\\.v8$`));

    const second = runScriptWithCodeCache<{ square(n: number): number }>(writeScript(dir, "b"), options);
    expect(second.cache).toBe("used");
    expect(second.exports.square(9)).toBe(81);
  });

  it("refuses data V8 did not make for this source, and writes it anew", () => {
    const dir = tempDir();
    const cacheDir = join(dir, "cache");
    const file = writeScript(dir);
    const options = { dir: cacheDir, bundleHash: "fedcba9876543210", slot: "wait" };
    runScriptWithCodeCache(file, options).save();
    const [name = ""] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, name), "not a code cache");

    const run = runScriptWithCodeCache<{ square(n: number): number }>(writeScript(dir, "b"), options);
    expect(run.cache).toBe("refused");
    expect(run.exports.square(3)).toBe(9);
    run.save();
    expect(readFileSync(join(cacheDir, name), "utf8")).not.toBe("not a code cache");
    expect(runScriptWithCodeCache(writeScript(dir, "c"), options).cache).toBe("used");
  });

  it("removes the files of other builds when it writes, and keeps one file per slot", () => {
    const dir = tempDir();
    const cacheDir = join(dir, "cache");
    const file = writeScript(dir);
    runScriptWithCodeCache(file, { dir: cacheDir, bundleHash: "aaaaaaaaaaaaaaaa", slot: "other" }).save();
    runScriptWithCodeCache(file, { dir: cacheDir, bundleHash: "bbbbbbbbbbbbbbbb", slot: "other" }).save();
    runScriptWithCodeCache(file, { dir: cacheDir, bundleHash: "bbbbbbbbbbbbbbbb", slot: "wait" }).save();
    const names = readdirSync(cacheDir).sort();
    expect(names).toHaveLength(2);
    expect(names.every((name) => name.startsWith("bbbbbbbbbbbbbbbb-"))).toBe(true);
  });

  it("runs without a cache when there is no directory for one, or it cannot be written", () => {
    const dir = tempDir();
    const file = writeScript(dir);
    const off = runScriptWithCodeCache<{ square(n: number): number }>(file, {
      dir: undefined,
      bundleHash: "0000000000000000",
      slot: "other",
    });
    expect(off.cache).toBe("off");
    expect(off.exports.square(2)).toBe(4);
    off.save();

    // A file where the directory should be: saving fails, quietly.
    const blocked = join(dir, "blocked");
    writeFileSync(blocked, "");
    const run = runScriptWithCodeCache(file, { dir: blocked, bundleHash: "0000000000000000", slot: "other" });
    expect(run.cache).toBe("absent");
    expect(() => run.save()).not.toThrow();
  });

  it("lets a script's own error through", () => {
    const dir = tempDir();
    const file = writeScript(dir, "a", 'throw new TypeError("broken bundle");');
    expect(() => runScriptWithCodeCache(file, { dir: undefined, bundleHash: "x", slot: "other" })).toThrow(
      "broken bundle",
    );
  });
});

describe("codeCacheDir", () => {
  it("is the user's cache directory, and off with Node's own switch", () => {
    expect(codeCacheDir({ HOME: "/home/ci" })).toBe("/home/ci/.cache/dts-gate");
    expect(codeCacheDir({ HOME: "/home/ci", XDG_CACHE_HOME: "/var/cache/ci" })).toBe("/var/cache/ci/dts-gate");
    expect(codeCacheDir({})).toBeUndefined();
    expect(codeCacheDir({ HOME: "/home/ci", NODE_DISABLE_COMPILE_CACHE: "1" })).toBeUndefined();
  });
});
