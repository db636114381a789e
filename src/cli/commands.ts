/**
 * The commands' implementations, loaded by main.ts only once a command runs: one chunk, so that
 * `--help` reads as few files as possible and a command still loads undici, bottleneck and
 * p-retry only when it needs them (the Redis client loads on --redis-url alone).
 */
export { runDemo } from "./demo.js";
export { runSimulate } from "./simulate.js";
export { runWait } from "./wait.js";
