import { defineConfig } from "vitest/config";

/**
 * Two projects in one run: `unit` (in-process, on virtual time or loopback servers) and `e2e`
 * (`*.e2e.test.ts`: real processes, the bundle, redis-server). One global setup gives the run its
 * temporary folder and a bundle built from the sources (test/global-setup.ts).
 */
export default defineConfig({
  test: {
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Most test files wait on loopback servers and child processes, not on the CPU: more files at
    // once than the machine's two cores keeps the suite short without starving any of them.
    maxWorkers: 4,
    projects: [
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: ["test/**/*.e2e.test.ts"] } },
      { extends: true, test: { name: "e2e", include: ["test/**/*.e2e.test.ts"] } },
    ],
  },
});
