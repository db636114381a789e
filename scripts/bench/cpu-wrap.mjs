// Runs dist/cli.js in this very process (as `node dist/cli.js ARGS…` would) and, when the process
// exits, writes what it cost to the JSON file named by BENCH_REPORT: CPU time (user + sys, µs),
// peak RSS, when the verdict was written (the first write to stdout: with --output json the only
// one), and what was still alive 100 ms after it (nothing, when the process exited before).
// Under `node --expose-gc` with BENCH_HEAP_AT_MS set, it also records the heap in use after a full
// collection at that moment and at the verdict: what a leak would show, without V8's heap sizing.
// The wrapper's own cost is the same in every run, so differences between runs cancel it.
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { reportUsageAtExit } from "./usage-report.mjs";

const [cliPath, ...args] = process.argv.slice(2);
const reportPath = process.env.BENCH_REPORT;
if (!cliPath || !reportPath) {
  process.stderr.write("usage: BENCH_REPORT=FILE node cpu-wrap.mjs dist/cli.js ARGS…\n");
  process.exit(2);
}

let verdictAtMs;
let aliveAfterVerdict;
const heap = {};
const heapNow = () => {
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};
const heapAtMs = Number(process.env.BENCH_HEAP_AT_MS);
if (typeof globalThis.gc === "function" && heapAtMs > 0) {
  setTimeout(() => {
    heap.warm = heapNow();
  }, heapAtMs).unref();
}
const onFirstOutput = () => {
  if (verdictAtMs === undefined) {
    verdictAtMs = performance.now();
    if (heap.warm !== undefined) heap.end = heapNow();
    // unref: this timer never keeps the process alive; it fires only if something else does.
    setTimeout(() => {
      aliveAfterVerdict = process.getActiveResourcesInfo();
    }, 100).unref();
  }
};
// The CLI writes everything through process.stdout (src/cli/io.ts).
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  onFirstOutput();
  return write(chunk, ...rest);
};

reportUsageAtExit(reportPath, () => ({
  verdictAtMs: verdictAtMs ?? null,
  exitAtMs: performance.now(),
  aliveAfterVerdict: aliveAfterVerdict ?? null,
  heapWarmBytes: heap.warm ?? null,
  heapEndBytes: heap.end ?? null,
}));

process.argv = [process.argv[0], cliPath, ...args];
await import(pathToFileURL(cliPath).href);
