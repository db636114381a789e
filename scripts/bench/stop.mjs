// Phase 4 of scripts/bench.mjs: with 1,000 jobs queued in the limiter (--rate 20: a first round of
// polls alone takes 50 s), how soon the deadline and SIGTERM end the run, and with what report.
import { benchEnv, fmt, jobIds, log, run, startSimulatorChild } from "./lib.mjs";

const JOBS = 1_000;
const DEADLINE_S = 5;
/** SIGTERM this long after the start: the queue is full by then. */
const SIGTERM_AFTER_MS = 3_000;

/** The run's exit code and whether its JSON report names every job. */
function outcomeOf(result) {
  let jobs = 0;
  try {
    jobs = JSON.parse(result.stdout).jobs.length;
  } catch {}
  return { code: result.code ?? result.signal, jobs, complete: jobs === JOBS };
}

export async function stopWithQueue(bench) {
  const sim = await startSimulatorChild(bench.node, bench.cli, ["--scenario", "stuck", "--rate", "1000000"]);
  const interval = ["--interval", "1", ...bench.fixedPolling("1")];
  const args = [bench.cli, "wait", ...jobIds(JOBS, "q"), "--endpoint", sim.url, ...interval, "--rate", "20"];
  try {
    log(`stop: ${JOBS} jobs at --rate 20, --timeout ${DEADLINE_S}`);
    const timedOut = await run(bench.node, [...args, "--timeout", String(DEADLINE_S), "--output", "json"], {
      env: benchEnv(),
    });
    const deadline = outcomeOf(timedOut);
    const deadlineMs = timedOut.exitAt - timedOut.spawnedAt;
    bench.row(
      `4. ${JOBS} jobs queued, \`--timeout ${DEADLINE_S}\`: start to exit`,
      `**${fmt.s(deadlineMs)}**, exit ${deadline.code}, report of ${deadline.jobs} jobs`,
      `≈ ${DEADLINE_S} s, exit 3, ${JOBS} jobs`,
      deadlineMs < (DEADLINE_S + 1) * 1000 && deadline.code === 3 && deadline.complete,
    );

    log(`stop: ${JOBS} jobs at --rate 20, SIGTERM after ${SIGTERM_AFTER_MS / 1000} s`);
    let sentAt;
    const interrupted = await run(bench.node, [...args, "--timeout", "600", "--output", "json"], {
      env: benchEnv(),
      onSpawn: (child) =>
        setTimeout(() => {
          sentAt = performance.now();
          child.kill("SIGTERM");
        }, SIGTERM_AFTER_MS),
    });
    const signalled = outcomeOf(interrupted);
    const signalMs = interrupted.exitAt - (sentAt ?? interrupted.exitAt);
    bench.row(
      `4. ${JOBS} jobs queued, SIGTERM: signal to exit`,
      `**${fmt.ms(signalMs)}**, exit ${signalled.code}, report of ${signalled.jobs} jobs`,
      `< 1 s, exit 143, ${JOBS} jobs`,
      sentAt !== undefined && signalMs < 1000 && signalled.code === 143 && signalled.complete,
    );
  } finally {
    await sim.stop();
  }
}
