// The adaptive cadence against fixed polling on virtual time: seeded schedules with uneven steps
// (test/helpers/cadence-evaluation.ts, bundled here by esbuild from the TypeScript sources), no
// server, no sleeping. Prints a markdown table: requests per job, median and p90 detection delay.
//
//   node scripts/bench/cadence-virtual.mjs [--seed 1] [--jobs 2000] [--interval 5] [--max 6,20]
//
// --max lists longest gaps as multiples of --interval (6 is the default of --max-interval).
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const argument = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? (process.argv[at + 1] ?? fallback) : fallback;
};
const seed = Number(argument("--seed", "1"));
const jobs = Number(argument("--jobs", "2000"));
const intervalMs = Number(argument("--interval", "5")) * 1000;
const factors = argument("--max", "6,20").split(",").map(Number);

const entry = fileURLToPath(new URL("../../test/helpers/cadence-evaluation.ts", import.meta.url));
const bundled = await build({ entryPoints: [entry], bundle: true, write: false, format: "esm", platform: "node" });
const code = bundled.outputFiles[0]?.text ?? "";
const { evaluate } = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const lines = [
  `Virtual time, seed ${seed}, ${jobs} jobs of each kind, --interval ${intervalMs / 1000} s.`,
  "",
  "| kind | --max-interval | requests per job (adaptive / fixed) | share | median delay (adaptive / fixed) | p90 delay (adaptive / fixed) |",
  "| --- | --- | --- | --- | --- | --- |",
];
for (const factor of factors) {
  for (const kind of ["check", "migration"]) {
    const { adaptive, fixed } = evaluate(kind, { seed, jobs, intervalMs, maxIntervalMs: factor * intervalMs });
    lines.push(
      `| ${kind} | ${factor} × interval | ${adaptive.requestsPerJob.toFixed(1)} / ${fixed.requestsPerJob.toFixed(1)} | ${(adaptive.requestsPerJob / fixed.requestsPerJob).toFixed(3)} | ${seconds(adaptive.medianDelayMs)} / ${seconds(fixed.medianDelayMs)} | ${seconds(adaptive.p90DelayMs)} / ${seconds(fixed.p90DelayMs)} |`,
    );
  }
}
process.stdout.write(`${lines.join("\n")}\n`);
