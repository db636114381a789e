// Phase 3 of scripts/bench.mjs: requests per sliding second, counted where they arrive (the
// recording server's timestamps), at --rate 20 (with throughput, fairness and peak RSS for 500
// jobs), and at the highest rate `--rate` accepts (every request here is one action).
import { fmt, jobIds, log, maxInSlidingSecond, waitRun } from "./lib.mjs";
import { startRecordingServer } from "./recording-server.mjs";

const JOBS = 500;
const RATE = 20;
const INTERVAL_S = 0.05;
const STEP_MS = 100; // 13 steps: every check is over before a job's second poll
const MIN_THROUGHPUT = 19;
const MAX_RSS_MB = 100;
/** The fast rates: jobs that never finish, polled for this long. */
const FAST_JOBS = 200;
const FAST_RUN_S = 5;
/** The highest `--rate` accepts (MAX_RATE in src/app/options.ts). */
export const MAX_RATE = 100;

/** One `wait` of `ids` against a recording server; resolves with the run and the arrival times. */
async function recorded(bench, ids, checkMs, args, label) {
  const server = await startRecordingServer({ checkMsOf: () => checkMs });
  const progress = setInterval(() => log(`${label}: ${server.arrivals.length} requests so far`), 10_000);
  try {
    const result = await waitRun(bench, [...ids, "--endpoint", server.url, ...args]);
    return { result, times: server.arrivals.map((arrival) => arrival.atMs), arrivals: server.arrivals };
  } finally {
    clearInterval(progress);
    await server.close();
  }
}

/** First to last arrival, in ms (a loop: spreading 100,000 times into Math.max overflows the stack). */
function spanOf(times) {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const t of times) [first, last] = [Math.min(first, t), Math.max(last, t)];
  return last - first;
}
const throughputOf = (times) => (times.length - 1) / (spanOf(times) / 1000);

/** 500 jobs at --rate 20: two polls each (about 52 s), the second after a full round. */
export async function rateAt20(bench) {
  log(`rate: ${JOBS} jobs, --rate ${RATE}, --interval ${INTERVAL_S}; about ${(2 * JOBS) / RATE} s`);
  const interval = ["--interval", String(INTERVAL_S), ...bench.fixedPolling(String(INTERVAL_S))];
  const args = [...interval, "--rate", String(RATE), "--timeout", "600"];
  const { result, times, arrivals } = await recorded(bench, jobIds(JOBS, "r"), 13 * STEP_MS, args, "rate 20");
  const passed = result.doc.jobs.filter((job) => job.outcome === "pass").length;
  if (passed !== JOBS) bench.note(`rate: only ${passed} of ${JOBS} jobs passed (exit ${result.code}).`);
  const maxSecond = maxInSlidingSecond(times);
  const spanMs = spanOf(times);
  bench.row(
    `3. rate ${RATE}: most arrivals in any sliding second`,
    `**${maxSecond}** (${times.length} requests over ${fmt.s(spanMs)}, server-side arrival times${jitterNote(times)})`,
    `≤ ${RATE}`,
    maxSecond <= RATE,
  );
  const throughput = throughputOf(times);
  bench.row(
    `3. rate ${RATE}: throughput under excess demand`,
    `**${throughput.toFixed(2)}** requests/s (demand: ${JOBS} jobs every ${INTERVAL_S} s)`,
    `≥ ${MIN_THROUGHPUT}/s`,
    throughput >= MIN_THROUGHPUT,
  );
  const byJob = new Map();
  for (const { atMs, jobId } of arrivals) byJob.set(jobId, [...(byJob.get(jobId) ?? []), atMs]);
  let maxGapMs = 0;
  for (const list of byJob.values())
    for (let i = 1; i < list.length; i++) maxGapMs = Math.max(maxGapMs, list[i] - list[i - 1]);
  const roundMs = (JOBS / RATE) * 1000;
  bench.row(
    `3. rate ${RATE}: fairness (largest gap between two polls of one job)`,
    `${fmt.s(maxGapMs)} = **${fmt.x(maxGapMs / roundMs)}** the fair round (${JOBS} jobs / ${RATE}/s = ${fmt.s(roundMs)})`,
  );
  const peakKb = result.usage.maxRssKb;
  bench.row(
    `3. peak RSS, ${JOBS} jobs`,
    `**${fmt.mb(peakKb)}** (maxRSS of the \`wait\` process over the whole run)`,
    `< ${MAX_RSS_MB} MB`,
    peakKb < MAX_RSS_MB * 1024,
  );
}

/**
 * Arrival times are taken by this process's event loop, so a stall of a few ms on either side
 * bunches requests the client sent further apart: the count in 0.99 s tells that jitter from a
 * limiter letting more through (which would show there too).
 */
const jitterNote = (times) => `; in any 0.99 s: ${maxInSlidingSecond(times, 990)}`;

/** FAST_JOBS jobs that never finish, demand far above `rate`, for FAST_RUN_S seconds. */
async function fastRate(bench, rate, intervalS, note = "") {
  log(`rate: ${FAST_JOBS} jobs, --rate ${rate}, --interval ${intervalS}, for ${FAST_RUN_S} s`);
  const interval = ["--interval", String(intervalS), ...bench.fixedPolling(String(intervalS))];
  const args = [...interval, "--rate", String(rate), "--timeout", String(FAST_RUN_S)];
  const { times } = await recorded(bench, jobIds(FAST_JOBS, "f"), Number.POSITIVE_INFINITY, args, `rate ${rate}`);
  const maxSecond = maxInSlidingSecond(times);
  bench.row(
    `3. rate ${rate.toLocaleString("en-US")}: most arrivals in any sliding second`,
    `**${maxSecond}** (${times.length} requests, ${throughputOf(times).toFixed(0)}/s achieved, ${FAST_JOBS} jobs polled every ${intervalS} s${jitterNote(times)})${note}`,
    `≤ ${rate}`,
    maxSecond <= rate,
  );
}

export async function fastRates(bench) {
  await fastRate(bench, MAX_RATE, 0.05);
}
