#!/usr/bin/env node
import { listenForSignalsEarly } from "../app/signals.js";
import { processIO, reportUnexpected, runCli } from "./main.js";

const argv = process.argv.slice(2);
const signals = listenForSignalsEarly();

// The commands (undici, bottleneck, p-retry, the simulator) are a chunk of their own, loaded only
// once a command runs: --help and usage errors never read it.
runCli(argv, { ...processIO, onSignal: signals.onSignal }, () => import("./commands.js")).then(
  (code) => {
    signals.stop();
    process.exitCode = code;
    // A wait the run gave up on at its deadline or a signal (a credential file that never opens,
    // a socket that never answers) must not hold the exit: output gets a moment to drain, no more.
    setTimeout(() => process.exit(), 500).unref();
  },
  (error: unknown) => {
    signals.stop();
    process.exitCode = reportUnexpected(error, argv, processIO);
  },
);
