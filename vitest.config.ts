import { defineConfig } from "vitest/config";

/**
 * Two projects in one run: `unit` (in-process, on virtual time or loopback servers) and `e2e`
 * (`*.e2e.test.ts`: real processes, the bundle, redis-server). One global setup gives the run its
 * temporary folder and a bundle built from the sources (test/global-setup.ts).
 *
 * On a 2-core machine: the unit files run first, two at a time (one per core; each also runs its
 * loopback servers in its own event loop), then the e2e files, two at a time as well, each of
 * which starts child processes of its own. No test judges the machine's speed, so a busier
 * machine makes the run longer, never red.
 */
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
          maxWorkers: 4,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: "e2e", include: ["test/**/*.e2e.test.ts"], maxWorkers: 4, sequence: { groupOrder: 0 } },
      },
    ],
  },
});
