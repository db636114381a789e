// Phase 1 of scripts/bench.mjs: `dts-gate --help` against bare Node, and the bundles' sizes.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { benchEnv, fmt, log, median } from "./lib.mjs";

const RUNS = 31;
const WARM_UPS = 3;
/** Issue 13's target on Node 20. */
const TARGET = 2.5;

export function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function timed(node, args) {
  const started = performance.now();
  const result = spawnSync(node, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", env: benchEnv() });
  const ms = performance.now() - started;
  if (result.status !== 0 || result.stderr !== "") {
    throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr.slice(0, 300)}`);
  }
  return { ms, stdout: result.stdout };
}

/** Medians of RUNS runs each of `--help` and `node -e ''`, in ABBA order after warm-ups. */
export function coldStart(bench) {
  const version = spawnSync(bench.node, ["--version"], { encoding: "utf8" }).stdout.trim();
  log(`cold start on ${version}: ${RUNS} runs each, interleaved`);
  const help = [bench.cli, "--help"];
  const bare = ["-e", ""];
  for (let i = 0; i < WARM_UPS; i++) {
    timed(bench.node, bare);
    const { stdout } = timed(bench.node, help); // the disk cache, and any cache of the build's own
    if (!stdout.includes("dts-gate wait")) throw new Error(`--help printed something else: ${stdout.slice(0, 200)}`);
  }
  const helpMs = [];
  const bareMs = [];
  for (let i = 0; i < RUNS; i++) {
    // ABBA order: drift in the machine's speed hits both sides alike.
    const pair = [() => bareMs.push(timed(bench.node, bare).ms), () => helpMs.push(timed(bench.node, help).ms)];
    if (i % 2 === 1) pair.reverse();
    for (const side of pair) side();
  }
  const ratio = median(helpMs) / median(bareMs);
  const major = version.slice(1).split(".")[0];
  bench.row(
    `1. cold start, Node ${major} (${version})`,
    `\`--help\` ${fmt.ms(median(helpMs))} vs \`node -e ''\` ${fmt.ms(median(bareMs))} (medians of ${RUNS}): **${fmt.x(ratio)}**`,
    `≤ ${TARGET}×${major === "20" ? "" : " (set for Node 20)"}`,
    ratio <= TARGET,
  );
}

/** The bundles' sizes, and the files `--help` loads (a module load hook, in a separate untimed run). */
export function bundleSizes(bench) {
  const size = (file) => statSync(file).size;
  const chunks = filesUnder(join(bench.dist, "chunks"));
  const chunkBytes = chunks.reduce((sum, file) => sum + size(file), 0);
  const loadsFile = join(bench.tmp, "loads.txt");
  const traced = spawnSync(bench.node, ["--import", join(bench.here, "trace-loads.mjs"), bench.cli, "--help"], {
    env: { ...benchEnv(), BENCH_LOADS: loadsFile },
    stdio: "ignore",
  });
  if (traced.status !== 0 || !existsSync(loadsFile)) throw new Error("could not trace the modules --help loads");
  // Only ES modules pass the hook: an older build's CommonJS script (chunks/main.cjs) is not seen.
  const loaded = [...new Set(readFileSync(loadsFile, "utf8").split("\n").filter(Boolean))]
    .map((url) => fileURLToPath(url))
    .filter((file) => file.startsWith(bench.dist));
  const loadedBytes = loaded.reduce((sum, file) => sum + size(file), 0);
  bench.row(
    "1. bundle sizes",
    `dist/cli.js ${fmt.kb(size(bench.cli))}; dist/action.js ${fmt.kb(size(join(bench.dist, "action.js")))}; dist/chunks ${fmt.kb(chunkBytes)} in ${chunks.length} files; \`--help\` loads ${loaded.length} ES modules, ${fmt.kb(loadedBytes)}`,
  );
}
