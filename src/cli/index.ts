#!/usr/bin/env node
import { processIO, reportUnexpected, runCli } from "./main.js";

const argv = process.argv.slice(2);

// The commands (undici, bottleneck, p-retry, the simulator) are a chunk of their own, loaded only
// once a command runs: --help and usage errors never read it.
runCli(argv, processIO, () => import("./commands.js")).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportUnexpected(error, argv, processIO);
  },
);
