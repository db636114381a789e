// Phase 6 of scripts/bench.mjs: one long `wait` with faults along the way; RSS growth, sockets
// and timers left at the verdict.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { backToBack } from "./cost.mjs";
import { fmt, log, median, rssKb, startSimulatorChild, tcpSockets } from "./lib.mjs";

const POLLS = 10_000;
/**
 * V8 grows its heap to its working size over its first full collections (about 18 s back to back
 * here), and growth is measured after the first half: with 40 s it moved by ±10 MB between runs.
 */
const MIN_S = 60;
const FAULTS = [
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

/** Polls per second of one job back to back: one second of polling without faults. */
async function measurePace(bench) {
  const plain = await startSimulatorChild(bench.node, bench.cli, ["--scenario", "stuck", "--rate", "1000000"]);
  try {
    const { job } = await backToBack(bench, plain.url, "dts-soakcal0", 1);
    return job.polls / (job.elapsedMs / 1000);
  } finally {
    await plain.stop();
  }
}

function sampled(samples, warmMs) {
  const lastT = samples.at(-1)?.t ?? 0;
  const window = (from, to) => samples.filter((s) => s.t >= from && s.t < to).map((s) => s.rss);
  const start = window(warmMs - 1000, warmMs + 1000);
  const end = window(lastT - 2000, Number.POSITIVE_INFINITY);
  if (start.length === 0 || end.length === 0) throw new Error("the soak run was too short to sample");
  return {
    startKb: median(start),
    endKb: median(end),
    peakKb: Math.max(...samples.map((s) => s.rss)),
    duringTcp: median(samples.map((s) => s.tcp ?? 0)),
  };
}

/** `pace`: polls per second back to back, from phase 2 (measured here when it did not run). */
export async function soak(bench, pace) {
  const pollsPerSecond = pace ?? (await measurePace(bench));
  const faultArgs = FAULTS.flatMap((spec) => ["--fault", spec]);
  const sim = await startSimulatorChild(bench.node, bench.cli, [
    "--scenario",
    "stuck",
    "--rate",
    "1000000",
    ...faultArgs,
  ]);
  // Faults cost retries with backoff and one stall a request timeout (1 s): allow a few seconds.
  const timeoutS = Math.max(MIN_S, Math.ceil((POLLS / pollsPerSecond) * 1.05 + 4));
  log(`soak: ${POLLS}+ polls with ${FAULTS.length} faults; --timeout ${timeoutS}`);
  const warmMs = timeoutS * 1000 * 0.5;
  const samples = [];
  let sampler;
  let atVerdict;
  try {
    const result = await backToBack(bench, sim.url, "dts-soak0000", timeoutS, {
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
    mkdirSync(bench.out, { recursive: true });
    writeFileSync(
      join(bench.out, "soak-rss.csv"),
      `ms,vmrss_kb,tcp_sockets\n${samples.map((s) => `${Math.round(s.t)},${s.rss},${s.tcp ?? ""}`).join("\n")}\n`,
    );
    const { startKb, endKb, peakKb, duringTcp } = sampled(samples, warmMs);
    const growthKb = endKb - startKb;
    const { job, usage } = result;
    const heap =
      usage.heapWarmBytes && usage.heapEndBytes
        ? `; heap in use after a full GC ${fmt.mb(usage.heapWarmBytes / 1024)} → ${fmt.mb(usage.heapEndBytes / 1024)}`
        : "";
    bench.row(
      "6. soak: RSS (VmRSS, medians of 2 s windows)",
      `${job.polls} polls, ${job.requests} requests (${job.requests - job.polls} retried), outcome ${job.outcome}: after warm-up (${fmt.s(warmMs)}) ${fmt.mb(startKb)}, at the end ${fmt.mb(endKb)}: growth **${fmt.mb(growthKb)}**; peak ${fmt.mb(peakKb)}${heap}`,
      "growth ≤ 5 MB",
      growthKb <= 5 * 1024 && job.polls >= POLLS * 0.95,
    );
    bench.row(
      "6. soak: open TCP sockets",
      `during the run ${duringTcp}; at the verdict **${atVerdict?.tcp ?? "gone"}**`,
      "0 at the end",
      (atVerdict?.tcp ?? 0) === 0,
    );
    const verdictToExitMs = result.exitAt - result.firstStdoutAt;
    const alive = usage.aliveAfterVerdict;
    bench.row(
      "6. soak: exit after the verdict (timers left)",
      `exited **${fmt.ms(verdictToExitMs)}** after the verdict; alive 100 ms after it: ${alive === null ? "nothing" : alive.join(", ")}`,
      "≤ 250 ms, nothing left",
      verdictToExitMs <= 250 && alive === null,
    );
    if (job.polls < POLLS) bench.note(`soak: ${job.polls} polls instead of ${POLLS}.`);
  } finally {
    clearInterval(sampler);
    await sim.stop();
  }
}
