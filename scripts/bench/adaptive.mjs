// Phase `adaptive` of scripts/bench.mjs: the adaptive cadence against fixed polling, over real HTTP
// with real signatures. Each round starts two identical seeded simulators (`dts-gate simulate
// --seed`: uneven steps, the longest five times the shortest, the same for the same job ids), one
// `wait` with the default --max-interval against the first and one with --max-interval equal to
// --interval (fixed polling) against the second, side by side. A relay in front of each simulator
// records every request's arrival: the requests per job, the moment the job's check began (its
// first request) or its migration began (StartMigrateJob), and the poll that saw the verdict (the
// job's last one). The simulator's check ends 13 × --step-ms after it began, a migration reaches
// readyComplete --migrate-ms after StartMigrateJob: the detection delay is the last poll less that.
import { startArrivalRelay } from "./arrival-relay.mjs";
import { benchEnv, fmt, jobIds, log, run, startSimulatorChild } from "./lib.mjs";

const SEED = 7;
const INTERVAL_MS = 200;
const JOBS = 12;
const CHECK_STEPS = 13;
/** Round lengths in intervals: checks of 15 to 40, migrations of 30 to 60 to readyComplete. */
const KINDS = {
  check: { spans: [15, 20, 25, 30, 35, 40], share: 0.5 },
  migration: { spans: [30, 40, 50, 60], share: 0.35 },
};

function percentile(values, share) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))] ?? 0;
}

/** The simulator's arguments and how to read a job's begin and end off the relay, for one round. */
function roundOf(kind, spanIntervals) {
  const totalMs = spanIntervals * INTERVAL_MS;
  if (kind === "check") {
    const stepMs = Math.round(totalMs / CHECK_STEPS);
    return {
      simulate: ["--scenario", "pass", "--step-ms", String(stepMs)],
      wait: [],
      polled: "DescribeMigrationCheckJob",
      beganAt: (own) => own[0]?.atMs,
      lastsMs: stepMs * CHECK_STEPS,
    };
  }
  return {
    simulate: ["--scenario", "migrate", "--step-ms", "5", "--migrate-ms", String(totalMs)],
    wait: ["--start", "--until", "ready", "--settle", "0"],
    polled: "DescribeMigrationDetail",
    beganAt: (own) => own.find((arrival) => arrival.action === "StartMigrateJob")?.atMs,
    lastsMs: totalMs,
  };
}

/** One `wait` of the round's jobs through a relay to its own simulator: requests and delay per job. */
async function measured(bench, round, ids, fixed) {
  const sim = await startSimulatorChild(bench.node, bench.cli, [
    ...round.simulate,
    "--seed",
    String(SEED),
    "--rate",
    "1000000",
  ]);
  const relay = await startArrivalRelay(sim.url);
  try {
    const gaps = fixed ? ["--max-interval", `${INTERVAL_MS}ms`] : [];
    const args = [bench.cli, "wait", ...ids, "--endpoint", relay.url, "--interval", `${INTERVAL_MS}ms`, ...gaps];
    const result = await run(
      bench.node,
      [...args, ...round.wait, "--rate", "100", "--timeout", "120", "--output", "json"],
      {
        env: benchEnv(),
      },
    );
    if (result.code !== 0) throw new Error(`wait exited ${result.code}: ${result.stderr.slice(-300)}`);
    return ids.map((id) => {
      const own = relay.arrivals.filter((arrival) => arrival.jobId === id);
      const polls = own.filter((arrival) => arrival.action === round.polled);
      const beganAt = round.beganAt(own);
      if (beganAt === undefined || polls.length === 0) throw new Error(`${id}: no begin or no poll through the relay`);
      return { requests: polls.length, delayMs: (polls.at(-1)?.atMs ?? 0) - (beganAt + round.lastsMs) };
    });
  } finally {
    await relay.close();
    await sim.stop();
  }
}

function summary(runs) {
  const delays = runs.map((one) => one.delayMs);
  return {
    requests: runs.reduce((sum, one) => sum + one.requests, 0) / runs.length,
    median: percentile(delays, 0.5),
    p90: percentile(delays, 0.9),
  };
}

export async function adaptiveCadence(bench) {
  for (const [kind, { spans, share }] of Object.entries(KINDS)) {
    const adaptive = [];
    const fixed = [];
    for (const [index, span] of spans.entries()) {
      const ids = jobIds(JOBS, "abcdefghij"[index] ?? "z");
      log(
        `adaptive: ${kind}s of ${span} intervals (${fmt.s(span * INTERVAL_MS)}), ${JOBS} jobs, adaptive and fixed side by side`,
      );
      const round = roundOf(kind, span);
      const [own, plain] = await Promise.all([measured(bench, round, ids, false), measured(bench, round, ids, true)]);
      adaptive.push(...own);
      fixed.push(...plain);
    }
    const a = summary(adaptive);
    const f = summary(fixed);
    const label = `adaptive, ${kind}s (${adaptive.length} jobs, --interval ${INTERVAL_MS / 1000})`;
    bench.row(
      `${label}: requests per job`,
      `**${a.requests.toFixed(1)}** against ${f.requests.toFixed(1)} fixed: **${(a.requests / f.requests).toFixed(2)}**`,
      `≤ ${share} of fixed`,
      a.requests <= share * f.requests,
    );
    bench.row(
      `${label}: detection delay, median`,
      `**${fmt.s(a.median)}** against ${fmt.s(f.median)} fixed`,
      "≤ fixed + 0.15 s",
      a.median <= f.median + 150,
    );
    bench.row(
      `${label}: detection delay, p90`,
      `**${fmt.s(a.p90)}** against ${fmt.s(f.p90)} fixed`,
      `≤ 3 intervals (${fmt.s(3 * INTERVAL_MS)})`,
      a.p90 <= 3 * INTERVAL_MS,
    );
  }
}
