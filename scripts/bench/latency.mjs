// Phase 5 of scripts/bench.mjs: from the moment a check turns terminal to the exit of `wait`.
import { benchEnv, fmt, log, median, run } from "./lib.mjs";
import { startRecordingServer } from "./recording-server.mjs";

const INTERVALS_S = [0.5, 1, 5];
const RUNS = 10;
const BASE_MS = 3_000;

export async function detectionLatency(bench) {
  for (const [group, intervalS] of INTERVALS_S.entries()) {
    const ids = Array.from({ length: RUNS }, (_, k) => `dts-l${group}${String(k).padStart(2, "0")}0000`);
    // The terminal moment falls evenly over one poll interval: the median is the typical case.
    const checkMs = new Map(ids.map((id, k) => [id, BASE_MS + ((k + 0.5) / RUNS) * intervalS * 1000]));
    const server = await startRecordingServer({ checkMsOf: (jobId) => checkMs.get(jobId) ?? 0 });
    log(`detection latency: --interval ${intervalS}, ${RUNS} processes in parallel`);
    const interval = ["--interval", String(intervalS), ...bench.fixedPolling(String(intervalS))];
    const args = (id) => [bench.cli, "wait", id, "--endpoint", server.url, ...interval];
    let results;
    try {
      results = await Promise.all(
        ids.map((id) => run(bench.node, [...args(id), "--timeout", "120", "--output", "json"], { env: benchEnv() })),
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
    bench.row(
      `5. detection latency, --interval ${intervalS}`,
      `median **${fmt.s(median(latencies))}**, max ${fmt.s(Math.max(...latencies))} (of ${RUNS}); of which from the poll that saw it to exit: median ${fmt.ms(median(exitAfterAnswer))}`,
      `ideal ≈ ${fmt.s((intervalS * 1000) / 2)} + exit`,
    );
  }
}
