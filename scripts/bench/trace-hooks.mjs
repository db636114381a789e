// Module hooks for trace-loads.mjs (they run on the loader thread).
import { appendFileSync } from "node:fs";

export async function load(url, context, nextLoad) {
  if (process.env.BENCH_LOADS && url.startsWith("file:")) appendFileSync(process.env.BENCH_LOADS, `${url}\n`);
  return nextLoad(url, context);
}
