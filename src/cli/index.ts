#!/usr/bin/env node
import { exitAfterDrain, listenForSignalsEarly } from "../app/signals.js";
import { unsupportedNode } from "./node-version.js";

// First the Node version, before loading anything that an older Node could fail to load (and
// without top-level await, which older Nodes cannot even parse).
const tooOld = unsupportedNode(process.versions.node);
if (tooOld === undefined) {
  // Signals are heard from here on: one that comes while the commands load is kept for the run.
  const signals = listenForSignalsEarly();
  import("./main.js").then(({ processIO, reportUnexpected, runCli }) => {
    const argv = process.argv.slice(2);
    // The commands (undici, bottleneck, p-retry, the simulator) are a chunk of their own, loaded
    // only once a command runs: --help and usage errors never read it.
    runCli(argv, { ...processIO, onSignal: signals.onSignal }, () => import("./commands.js")).then(
      (code) => exitAfterDrain(code, signals),
      (error: unknown) => {
        signals.stop();
        process.exitCode = reportUnexpected(error, argv, processIO);
      },
    );
  });
} else {
  process.stderr.write(tooOld);
  process.exitCode = 2;
}
