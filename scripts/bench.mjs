// `npm run bench`: the figures of docs/bench.md, measured in one run from the built bundles in dist/
// (plain JavaScript, no TypeScript loader). Prints one table (markdown) on stdout, progress on
// stderr, and writes the table to .bench/results.md. Not part of the test run.
//
//   npm run bench -- --only rate,stop     only the phases whose names start with these words (cold,
//                                         cost, rate, fast, stop, detection, soak, adaptive)
//   npm run bench -- --dist ../old/dist   another build, for a before/after
//
// Servers: the cost per poll, the stop rows and the soak run against the embedded simulator
// (`dts-gate simulate`, a child process: real TC3 signatures are checked, faults injected). Rate
// and detection latency need server-side arrival times per job, so they run against
// scripts/bench/recording-server.mjs, a DescribeMigrationCheckJob stand-in in this process.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { adaptiveCadence } from "./bench/adaptive.mjs";
import { bundleSizes, coldStart, filesUnder } from "./bench/cold-start.mjs";
import { costPerPoll } from "./bench/cost.mjs";
import { detectionLatency } from "./bench/latency.mjs";
import { killAll, loadAverage, log } from "./bench/lib.mjs";
import { fastRates, rateAt20 } from "./bench/rate.mjs";
import { soak } from "./bench/soak.mjs";
import { stopWithQueue } from "./bench/stop.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const argument = (name) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? (process.argv[at + 1] ?? "") : undefined;
};
const SOURCE_DIST = resolve(argument("--dist") ?? join(ROOT, "dist"));
if (!existsSync(join(SOURCE_DIST, "cli.js"))) {
  process.stderr.write(`bench: ${join(SOURCE_DIST, "cli.js")} is missing; run \`npm run build\` first\n`);
  process.exit(2);
}
const only = (argument("--only") ?? "").split(",").filter(Boolean);

const benchStart = performance.now();
const loadAtStart = loadAverage();
const tmp = mkdtempSync(join(tmpdir(), "dts-gate-bench-"));
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    killAll();
    rmSync(tmp, { recursive: true, force: true });
    process.exit(signal === "SIGINT" ? 130 : 143);
  });
}
// The bundles are copied once, so a rebuild during the run cannot mix two builds in one table;
// package.json ("type": "module") goes along, or Node would have to guess the module type.
const DIST = join(tmp, "dist");
try {
  cpSync(SOURCE_DIST, DIST, { recursive: true });
  cpSync(join(ROOT, "package.json"), join(tmp, "package.json"));
} catch (error) {
  rmSync(tmp, { recursive: true, force: true });
  process.stderr.write(`bench: cannot copy ${SOURCE_DIST}: ${error.message}\n`);
  process.exit(2);
}
const distDigest = createHash("sha256");
for (const file of filesUnder(DIST).sort()) distDigest.update(relative(DIST, file)).update(readFileSync(file));

// Every phase but `adaptive` measures fixed polling: the limiter, costs and latency at a known
// demand. A build from before --max-interval polls at a fixed interval anyway and knows no such option.
const knowsMaxInterval = spawnSync(process.execPath, [join(DIST, "cli.js"), "wait", "--help"], {
  encoding: "utf8",
}).stdout.includes("--max-interval");

/** Rows of the table: measure, figure, target, verdict (✓, ✗, or · for a figure without target). */
const rows = [];
const notes = [];
let reportCount = 0;
/** What every phase gets: paths, a fresh file per measured child, and the table to add to. */
const bench = {
  node: process.execPath,
  dist: DIST,
  cli: join(DIST, "cli.js"),
  here: join(ROOT, "scripts", "bench"),
  wrap: join(ROOT, "scripts", "bench", "cpu-wrap.mjs"),
  out: join(ROOT, ".bench"),
  tmp,
  reportFile: () => join(tmp, `report-${reportCount++}.json`),
  row: (measure, figure, target = "", ok = undefined) =>
    rows.push({ measure, figure, target, ok: ok === undefined ? "·" : ok ? "✓" : "✗" }),
  note: (text) => notes.push(text),
  /** The arguments that make `wait` poll every `interval`, as every build did before the cadence. */
  fixedPolling: (interval) => (knowsMaxInterval ? ["--max-interval", interval] : []),
};

let pace;
const phases = [
  ["cold start", () => [coldStart(bench), bundleSizes(bench)]],
  ["cost per poll", async () => (pace = await costPerPoll(bench))],
  ["rate", () => rateAt20(bench)],
  ["fast rates", () => fastRates(bench)],
  ["stop", () => stopWithQueue(bench)],
  ["detection latency", () => detectionLatency(bench)],
  ["soak", () => soak(bench, pace)],
  ["adaptive", () => adaptiveCadence(bench)],
];
let failed = false;
try {
  for (const [name, phase] of phases) {
    if (only.length > 0 && !only.some((word) => name.startsWith(word))) continue;
    try {
      await phase();
    } catch (error) {
      failed = true;
      const message = String(error instanceof Error ? error.message : error).replaceAll("\n", " ");
      bench.row(`${name}: FAILED`, message.slice(0, 300), "", false);
      log(`${name} failed: ${error instanceof Error ? error.stack : error}`);
    }
  }
} finally {
  killAll();
  rmSync(tmp, { recursive: true, force: true });
}

const totalS = (performance.now() - benchStart) / 1000;
const version = spawnSync(process.execPath, ["--version"], { encoding: "utf8" }).stdout.trim();
const where = SOURCE_DIST.startsWith(ROOT) ? relative(ROOT, SOURCE_DIST) : SOURCE_DIST;
const header = [
  `dts-gate bench, ${new Date().toISOString()}: ${where} ${distDigest.digest("hex").slice(0, 12)} (sha256 of the bundles, first 12), ${version}, ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}; load average at start ${loadAtStart}, at end ${loadAverage()}; took ${totalS.toFixed(0)} s.`,
  "",
  "Every child runs without NODE_EXTRA_CA_CERTS, NODE_OPTIONS and NODE_COMPILE_CACHE, which change any Node start-up.",
];
const table = ["| measure | figure | target | |", "| --- | --- | --- | --- |"];
for (const r of rows) table.push(`| ${r.measure} | ${r.figure} | ${r.target} | ${r.ok} |`);
const markdown = `${header.join("\n")}\n\n${table.join("\n")}\n${notes.length ? `\n${notes.map((n) => `- ${n}`).join("\n")}\n` : ""}`;
mkdirSync(bench.out, { recursive: true });
writeFileSync(join(bench.out, "results.md"), markdown);
process.stdout.write(`\n${markdown}`);
log(`done in ${totalS.toFixed(0)} s; table written to .bench/results.md`);
if (failed) process.exitCode = 1;
