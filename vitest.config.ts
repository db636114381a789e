import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Most test files wait on loopback servers and child processes, not on the CPU: more files at
    // once than the machine's two cores keeps the suite short without starving any of them.
    maxWorkers: 4,
  },
});
