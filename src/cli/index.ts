#!/usr/bin/env node
import { unsupportedNode } from "./node-version.js";

// First the Node version, before loading anything that an older Node could fail to load (and
// without top-level await, which older Nodes cannot even parse).
const tooOld = unsupportedNode(process.versions.node);
if (tooOld === undefined) {
  import("./main.js").then(({ processIO, reportUnexpected, runCli }) => {
    const argv = process.argv.slice(2);
    // The commands (undici, bottleneck, p-retry, the simulator) are a chunk of their own, loaded
    // only once a command runs: --help and usage errors never read it.
    runCli(argv, processIO, () => import("./commands.js")).then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        process.exitCode = reportUnexpected(error, argv, processIO);
      },
    );
  });
} else {
  process.stderr.write(tooOld);
  process.exitCode = 2;
}
