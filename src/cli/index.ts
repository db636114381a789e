#!/usr/bin/env node
import module from "node:module";
import { codeCacheDir, runScriptWithCodeCache } from "./code-cache.js";
import type * as Main from "./main.js";

/** The content hash of chunks/main.cjs, set by scripts/build.mjs. */
declare const __DTS_GATE_MAIN_HASH__: string;

// Node 22.1+ keeps compiled ES modules between runs (in the OS temp dir): the commands' file is
// one. Node 20 has no such API. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const argv = process.argv.slice(2);
const COMMANDS = new Set(["wait", "simulate", "demo"]);
const main = runScriptWithCodeCache<typeof Main>(new URL("./chunks/main.cjs", import.meta.url), {
  dir: codeCacheDir(process.env),
  bundleHash: __DTS_GATE_MAIN_HASH__,
  slot: COMMANDS.has(argv[0] ?? "") ? (argv[0] ?? "") : "other",
});
const { runCli, processIO } = main.exports;
process.once("exit", () => main.save());

runCli(argv, processIO, () => import("./commands.js")).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    processIO.stderr.write(`dts-gate: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 4;
  },
);
