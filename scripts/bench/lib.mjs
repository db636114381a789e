// Small helpers of scripts/bench.mjs: child processes, /proc readers, statistics, formatting.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { performance } from "node:perf_hooks";

export const DEMO_ENV = {
  TENCENTCLOUD_SECRET_ID: "AKIDdtsGateDemo0000000000000000000000",
  TENCENTCLOUD_SECRET_KEY: "dtsGateDemoKey000000000000000000",
};

/**
 * Settings of this machine that change what a Node process does at start, whatever it runs:
 * NODE_EXTRA_CA_CERTS makes Node 20 parse a CA bundle before the first line (about 57 ms here),
 * which would hide the cost of the CLI behind a slower `node -e ''`.
 */
const START_UP_VARIABLES = new Set(["NODE_EXTRA_CA_CERTS", "NODE_OPTIONS", "NODE_COMPILE_CACHE"]);

/**
 * This environment without any Tencent Cloud setting and without START_UP_VARIABLES, plus the
 * simulator's demo credentials.
 */
export function benchEnv(extra = {}) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("TENCENTCLOUD_") && !START_UP_VARIABLES.has(name)) env[name] = value;
  }
  return { ...env, ...DEMO_ENV, NO_COLOR: "1", ...extra };
}

export function log(text) {
  process.stderr.write(`[bench ${((performance.now() - START) / 1000).toFixed(1).padStart(5)}s] ${text}\n`);
}
const START = performance.now();

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Children still running, so that a failing bench never leaves one behind. */
const live = new Set();
export function killAll() {
  for (const child of live) child.kill("SIGKILL");
}

/**
 * Runs a command to its end. Resolves with its exit code, output, and when (performance.now() of
 * this process) it was spawned, first wrote to stdout, and exited. `onSpawn(child)` sees it running.
 */
export function run(command, args, { env, onSpawn, onStdout } = {}) {
  return new Promise((resolve, reject) => {
    const spawnedAt = performance.now();
    const child = spawn(command, args, { env: env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    live.add(child);
    let stdout = "";
    let stderr = "";
    let firstStdoutAt;
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (text) => {
      firstStdoutAt ??= performance.now();
      stdout += text;
      onStdout?.(child, text);
    });
    child.stderr.on("data", (text) => {
      stderr += text;
    });
    let exitAt;
    child.on("exit", () => {
      exitAt = performance.now();
    });
    child.on("error", (error) => {
      live.delete(child);
      reject(error);
    });
    child.on("close", (code, signal) => {
      live.delete(child);
      resolve({ code, signal, stdout, stderr, spawnedAt, firstStdoutAt, exitAt: exitAt ?? performance.now() });
    });
    onSpawn?.(child);
  });
}

/** `dts-gate simulate …` as a child; resolves once it listens. */
export function startSimulatorChild(node, cli, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [cli, "simulate", "--port", "0", ...args], {
      env: benchEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    live.add(child);
    let out = "";
    let err = "";
    child.stderr.on("data", (chunk) => {
      err += chunk;
    });
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        resolve({
          url: match[1],
          pid: child.pid,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once("close", () => {
                live.delete(child);
                done();
              });
              child.kill("SIGINT");
            }),
        });
      }
    });
    child.on("close", (code) => {
      live.delete(child);
      reject(new Error(`the simulator exited (${code}) before listening: ${err.trim()}`));
    });
  });
}

/** VmRSS of a process in kB, undefined once it is gone. */
export function rssKb(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function tcpInodes() {
  const inodes = new Set();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length > 9) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** Open TCP sockets of a process (its stdio socketpairs are not TCP); undefined once it is gone. */
export function tcpSockets(pid) {
  let fds;
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }
  const tcp = tcpInodes();
  let count = 0;
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match && tcp.has(match[1])) count++;
    } catch {}
  }
  return count;
}

export function loadAverage() {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "n/a";
  }
}

export const fmt = {
  ms: (value) => `${value.toFixed(1)} ms`,
  us: (value) => `${Math.round(value)} µs`,
  kb: (bytes) => `${(bytes / 1024).toFixed(1)} KiB`,
  mb: (kb) => `${(kb / 1024).toFixed(1)} MB`,
  x: (value) => `${value.toFixed(2)}×`,
  s: (ms) => `${(ms / 1000).toFixed(2)} s`,
};

/** The most of `times` (ms, any order) that fall in any window of `windowMs` (one second). */
export function maxInSlidingSecond(times, windowMs = 1000) {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** `count` distinct job ids (`dts-` + 8 of [a-z0-9]) starting with `prefix` (one letter or digit). */
export function jobIds(count, prefix) {
  return Array.from({ length: count }, (_, i) => `dts-${prefix}${i.toString(36).padStart(7, "0")}`);
}

/**
 * `dts-gate wait ARGS… --output json` under cpu-wrap.mjs, on `node` with `nodeArgs`. Resolves with
 * run()'s result plus the JSON report (`doc`), its first job (`job`) and the usage at exit.
 * `bench` is the context of scripts/bench.mjs (its paths and a fresh report file per run).
 */
export async function waitRun(bench, args, { nodeArgs = [], env = {}, node = bench.node, ...hooks } = {}) {
  const report = bench.reportFile();
  const result = await run(node, [...nodeArgs, bench.wrap, bench.cli, "wait", ...args, "--output", "json"], {
    env: benchEnv({ BENCH_REPORT: report, ...env }),
    ...hooks,
  });
  let doc;
  try {
    doc = JSON.parse(result.stdout);
  } catch {
    throw new Error(`wait printed no JSON (exit ${result.code}): ${result.stderr.slice(-500)}`);
  }
  const usage = JSON.parse(readFileSync(report, "utf8"));
  return { ...result, doc, job: doc.jobs[0], usage, cpuUs: usage.userUs + usage.systemUs };
}
