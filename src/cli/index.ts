#!/usr/bin/env node
import module from "node:module";
import { processIO, runCli } from "./main.js";

// Node 22.1+ keeps compiled modules between runs (in the OS temp dir); Node 20 has no such API.
// NODE_DISABLE_COMPILE_CACHE=1 turns it off.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// The commands (undici, bottleneck, p-retry, the simulator) are a chunk of their own, loaded only
// once a command runs: --help and usage errors never read it.
runCli(process.argv.slice(2), processIO, () => import("./commands.js")).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    processIO.stderr.write(`dts-gate: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 4;
  },
);
