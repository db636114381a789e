import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI } from "../helpers/process.js";

/*
 * What `--help`, completion and a usage error load from the committed bundle: the entry, the
 * command line's chunk (yargs and the option parsers) and what those import statically; never the
 * commands' chunk (undici, the simulator, the gate).
 */

const STATIC_IMPORT = /import\s*(?:[\w{}\s,$]+from\s*)?["'](\.[^"']+)["']/g;
const DYNAMIC_IMPORT = /import\(\s*["'](\.[^"']+)["']\s*\)/g;

/** The files a module loads before it runs: itself and its static imports, transitively. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const [, path = ""] of readFileSync(file, "utf8").matchAll(STATIC_IMPORT)) {
    staticClosure(join(dirname(file), path), seen);
  }
  return seen;
}

/** The chunks the entry loads by a dynamic import: the command line's, then the commands'. */
function entryChunks(): string[] {
  const entry = readFileSync(CLI, "utf8");
  return [...entry.matchAll(DYNAMIC_IMPORT)].map(([, path = ""]) => join(dirname(CLI), path));
}

describe("the bundle's start", () => {
  it("runs a command without reading the XML writer: only --junit loads it", () => {
    const [, commands = ""] = entryChunks();
    const loaded = [...staticClosure(commands)].map((path) => readFileSync(path, "utf8"));
    // The XML namespace URI lives in xmlbuilder2's DOM alone.
    expect(loaded.some((text) => text.includes("http://www.w3.org/XML/1998/namespace"))).toBe(false);
  });

  it("reads under 300 KB for --help: the command line's chunk, not the commands'", () => {
    const [commandLine, ...others] = entryChunks();
    expect(commandLine).toMatch(/main-[\w-]+\.js$/);
    expect(others.map((path) => path.replace(/-[\w]+\.js$/, ""))).toEqual([join(dirname(CLI), "chunks/commands")]);
    const loaded = new Set([...staticClosure(CLI), ...staticClosure(commandLine ?? "")]);
    expect([...loaded].some((path) => /commands-/.test(path))).toBe(false);
    const bytes = [...loaded].reduce((sum, path) => sum + readFileSync(path).length, 0);
    expect(bytes).toBeLessThan(300_000);
  });
});
