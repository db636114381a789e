// `node --import ./trace-loads.mjs …`: records the URL of every ES module the process loads
// (one a line, appended to the file named by BENCH_LOADS). Used once, outside the timed runs, to
// show what `dts-gate --help` really loads.
import { register } from "node:module";

register("./trace-hooks.mjs", import.meta.url);
