#!/usr/bin/env node
import module from "node:module";

// Node 22.1+ keeps compiled code between runs (in the OS temp dir), which halves start-up of the
// bundle; Node 20 has no such API. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// Loaded after the cache is on, so that the CLI itself is compiled through it.
const { runCli, processIO } = await import("./main.js");

runCli(process.argv.slice(2), processIO).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    processIO.stderr.write(`dts-gate: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 4;
  },
);
