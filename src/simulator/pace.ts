/**
 * How long each step of a simulated job takes. Without a seed every step of a run takes the same
 * share; with one, the shares are drawn from a PRNG seeded by the seed and the job id, so that a
 * rehearsal or a benchmark meets uneven steps (the longest five times the shortest) and meets the
 * same ones again when run with the same seed.
 */

/** The longest step of a seeded run takes this many times the shortest. */
export const UNEVEN_RATIO = 5;

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; answers numbers in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a of the text, mixed with the seed: one PRNG stream per (seed, job, what). */
function streamSeed(seed: number, key: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Whole ms in proportion to the weights, summing to exactly `totalMs` (rounded): each share rounded
 * down, the ms left over going to the largest remainders. Whole ms keep every sum exact, so a job
 * that must be ready `totalMs` after its start is, to the ms.
 */
function wholeShares(totalMs: number, weights: readonly number[]): number[] {
  const total = Math.round(totalMs);
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((weight) => (total * weight) / sum);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) }));
  byRemainder.sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left <= 0) break;
    shares[index] = (shares[index] ?? 0) + 1;
    left -= 1;
  }
  return shares;
}

/**
 * `count` durations in whole ms summing to `totalMs`: equal without a seed; with one, weights
 * spread evenly between 1 and UNEVEN_RATIO after drawing, so the ratio is always reached (up to
 * the rounding to whole ms).
 */
export function stepDurations(totalMs: number, count: number, seed: number | undefined, key: string): number[] {
  if (count <= 0) return [];
  if (seed === undefined || count === 1) return wholeShares(totalMs, Array(count).fill(1));
  const next = mulberry32(streamSeed(seed, key));
  const draws = Array.from({ length: count }, () => next());
  const low = Math.min(...draws);
  const span = Math.max(...draws) - low;
  return wholeShares(
    totalMs,
    draws.map((draw) => (span === 0 ? 1 : 1 + ((UNEVEN_RATIO - 1) * (draw - low)) / span)),
  );
}

/** Where each step ends, counted from the start of the first: running sums of the durations. */
export function stepEnds(durations: readonly number[]): number[] {
  let at = 0;
  return durations.map((duration) => {
    at += duration;
    return at;
  });
}

/** How many steps have ended `elapsedMs` after the first began (all of them once time is infinite). */
export function stepsDone(ends: readonly number[], elapsedMs: number): number {
  if (elapsedMs < 0) return 0;
  let done = 0;
  while (done < ends.length && (ends[done] ?? 0) <= elapsedMs) done += 1;
  return done;
}
