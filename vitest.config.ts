import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

/**
 * Two projects in one run: `unit` (in-process, on virtual time or loopback servers) and `e2e`
 * (`*.e2e.test.ts`: real processes, the bundle, redis-server). One global setup gives the run its
 * temporary folder and a bundle built from the sources (test/global-setup.ts).
 *
 * Both run side by side, on twice as many workers as the machine has cores: most files wait on
 * timers, loopback servers and child processes more than they compute. No test judges the
 * machine's speed, so a busier machine makes the run longer, never red.
 */
const WORKERS = 2 * availableParallelism();

export default defineConfig({
  test: {
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // A worker keeps its modules from one file to the next: importing undici, fast-check and the
    // sources again for every file cost more CPU than the tests themselves. No test relies on
    // fresh module state (the suite passes in any order: --sequence.shuffle).
    isolate: false,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/**/*.e2e.test.ts"],
          maxWorkers: WORKERS,
        },
      },
      {
        extends: true,
        test: { name: "e2e", include: ["test/**/*.e2e.test.ts"], maxWorkers: WORKERS },
      },
    ],
  },
});
