/**
 * Options for every fast-check property of the suite. A failure prints its seed and path; to replay
 * it exactly, run the same test with FC_SEED=<seed> FC_PATH=<path> (and FC_RUNS to run longer).
 */
export function propertyOptions(numRuns: number): { numRuns: number; seed?: number; path?: string } {
  const seed = process.env.FC_SEED;
  const path = process.env.FC_PATH;
  const runs = process.env.FC_RUNS;
  return {
    numRuns: runs ? Number(runs) : numRuns,
    ...(seed ? { seed: Number(seed) } : {}),
    ...(path ? { path } : {}),
  };
}
