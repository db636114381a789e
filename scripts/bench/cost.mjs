// Phase 2 of scripts/bench.mjs: the CPU a poll costs, against the official SDK and the HTTP layers
// alone, in interleaved rounds against the simulator child.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { benchEnv, fmt, log, median, run, startSimulatorChild, waitRun } from "./lib.mjs";

const POLLS = 1_000;
/** Runs of each side; the figure is the median. */
const ROUNDS = 3;
/** Issue 13's target: no worse than the official SDK. */
const TARGET = 1.0;
/** A bound only: a run ends after POLLS polls (see costPerPoll). */
const RUN_TIMEOUT_S = 120;
/** Polls shorter apart than a poll takes: back to back, as the SDK loop calls. */
export const BACK_TO_BACK_INTERVAL_S = "0.0001";
/**
 * The highest rate `--rate` accepts: about 90 polls a second, so the loop is paced, not back to
 * back (CPU per poll is still what is measured; the run takes longer).
 */
export const LIFTED_RATE = "100";
/**
 * The reference loops call at dts-gate's pace at LIFTED_RATE, each call started this long after the
 * one before: the limiter's spacing, (1,000 ms + its 30 ms margin) / 100, rounded up. Back to back
 * they would pay less idle time per call than a paced process does, which is no work of a poll.
 */
const REFERENCE_PACE_MS = "11";
/** The HTTP layers of http-floor.mjs, cheapest last. */
const HTTP_LAYERS = ["undici", "node-http", "node-net"];

const costJob = (name) => `dts-cost${name.padStart(4, "0")}`;
const GATE_JOBS = Array.from({ length: ROUNDS }, (_, round) => costJob(`g${round}`));

/** One job polled back to back with the rate lifted, for `timeoutS` seconds at most. */
export function backToBack(bench, url, jobId, timeoutS, options = {}) {
  const interval = ["--interval", BACK_TO_BACK_INTERVAL_S, ...bench.fixedPolling(BACK_TO_BACK_INTERVAL_S)];
  const args = [jobId, "--endpoint", url, ...interval, "--rate", LIFTED_RATE];
  return waitRun(bench, [...args, "--timeout", String(timeoutS), ...(options.extraArgs ?? [])], options);
}

/** Runs a bench script that reports its usage at exit (usage-report.mjs); it must exit 0. */
async function reportingRun(bench, args, name, paceMs = REFERENCE_PACE_MS) {
  const report = bench.reportFile();
  const result = await run(bench.node, args, {
    env: benchEnv({ BENCH_REPORT: report, BENCH_PACE_MS: paceMs }),
  });
  if (result.code !== 0) throw new Error(`${name} exited ${result.code}: ${result.stderr.slice(-500)}`);
  const usage = JSON.parse(readFileSync(report, "utf8"));
  return { result, usage, cpuUs: usage.userUs + usage.systemUs };
}

async function sdkRun(bench, url, jobId, count) {
  const script = join(bench.here, "sdk-loop.mjs");
  const { result, usage, cpuUs } = await reportingRun(bench, [script, url, String(count), jobId], "the SDK loop");
  if (usage.errors > 0) throw new Error(`the SDK loop got ${usage.errors} errors`);
  return { cpuUs, calls: usage.calls, wallMs: result.exitAt - result.spawnedAt };
}

async function floorRun(bench, url, layer, count, paceMs = REFERENCE_PACE_MS) {
  const args = [join(bench.here, "http-floor.mjs"), layer, url, String(count), costJob("f")];
  return { cpuUs: (await reportingRun(bench, args, `http-floor ${layer}`, paceMs)).cpuUs };
}

/**
 * Returns the pace (polls per second) of one job polled back to back, which sizes the soak.
 *
 * Both sides make the same number of requests: the SDK loop counts its own calls, and the
 * simulator answers the gate's request POLLS + 1 with UnauthorizedOperation (`--fault denied`),
 * which ends the wait at once. A run bounded by time would make as many polls as the machine
 * allows, and the more polls, the more of the start's warm-up (V8 optimising) each one hides.
 */
export async function costPerPoll(bench) {
  const endOfRun = GATE_JOBS.flatMap((job) => ["--fault", `denied:${job}@${POLLS}`]);
  const sim = await startSimulatorChild(bench.node, bench.cli, [
    "--scenario",
    "stuck",
    "--rate",
    "1000000",
    ...endOfRun,
  ]);
  const url = sim.url;
  const checkCount = (result) => {
    if (result.job.polls !== POLLS || result.job.requests !== POLLS + 1) {
      throw new Error(`a cost run made ${result.job.polls} polls in ${result.job.requests} requests, not ${POLLS} + 1`);
    }
    return result;
  };
  // Each side: one run of a single request (start-up), and one of POLLS + 1 requests.
  const sides = [
    {
      name: "dts-gate",
      base: () => backToBack(bench, url, costJob("b"), 0),
      run: async (round) => checkCount(await backToBack(bench, url, GATE_JOBS[round], RUN_TIMEOUT_S)),
    },
    {
      name: "official SDK",
      base: () => sdkRun(bench, url, costJob("sb"), 1),
      run: () => sdkRun(bench, url, costJob("s"), POLLS + 1),
    },
    ...HTTP_LAYERS.map((layer) => ({
      name: layer,
      base: () => floorRun(bench, url, layer, 1),
      run: () => floorRun(bench, url, layer, POLLS + 1),
    })),
  ];
  const bases = new Map(sides.map((side) => [side, []]));
  const runs = new Map(sides.map((side) => [side, []]));
  try {
    log(`cost per poll: simulator at ${url}; ${ROUNDS} rounds, every side in turn, of 1 request and of ${POLLS} + 1`);
    // The simulator warms up first: a client's CPU per request depends on how fast the server answers.
    await floorRun(bench, url, "node-net", 2 * POLLS, "0");
    // Interleaved rounds: the machine's speed drifts (the simulator shares it), both sides alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of sides) {
        bases.get(side).push((await side.base()).cpuUs);
        runs.get(side).push(await side.run(round));
      }
    }
  } finally {
    await sim.stop();
  }
  // A run of POLLS + 1 requests less a run of 1: the cost of POLLS requests.
  const perCall = (side) => (median(runs.get(side).map((r) => r.cpuUs)) - median(bases.get(side))) / POLLS;
  const [gateSide, sdkSide, ...layerSides] = sides;
  const sdkPerCall = perCall(sdkSide);
  const ratio = perCall(gateSide) / sdkPerCall;
  bench.row(
    "2. cost per poll (CPU user+sys per request)",
    `dts-gate ${fmt.us(perCall(gateSide))} vs official SDK ${fmt.us(sdkPerCall)}, medians of ${ROUNDS} runs of ${POLLS} requests each, both at ${REFERENCE_PACE_MS} ms a request: **${fmt.x(ratio)}**`,
    `≤ ${TARGET.toFixed(1)}×`,
    ratio <= TARGET,
  );
  bench.row(
    "2. the HTTP layer alone, same rounds (scripts/bench/http-floor.mjs: no gate, signed once)",
    `${layerSides.map((side) => `${side.name} ${fmt.us(perCall(side))} (${fmt.x(perCall(side) / sdkPerCall)})`).join("; ")}; ratios to the official SDK's cost per call`,
  );
  const gate = runs.get(gateSide)[0];
  const sdk = runs.get(sdkSide)[0];
  const pace = gate.job.polls / (gate.job.elapsedMs / 1000);
  bench.row(
    "2. start-up CPU, and pace with the rate lifted",
    `dts-gate ${fmt.ms(median(bases.get(gateSide)) / 1000)} for one look, SDK ${fmt.ms(median(bases.get(sdkSide)) / 1000)} for one call; dts-gate ${pace.toFixed(0)} polls/s (\`--interval ${BACK_TO_BACK_INTERVAL_S} --rate ${LIFTED_RATE}\`), SDK loop ${(sdk.calls / (sdk.wallMs / 1000)).toFixed(0)} calls/s`,
  );
  return pace;
}
