/**
 * At most `max` of `items`, those that `matters` first, then the others in order; the kept ones in
 * their original order. What a report of bounded size shows of a list of any length: the failures
 * before the rest, and the rest counted.
 */
export function keepAtMost<T>(
  items: readonly T[],
  max: number,
  matters: (item: T) => boolean,
): { readonly kept: T[]; readonly leftOut: T[] } {
  if (items.length <= max) return { kept: [...items], leftOut: [] };
  const keep = new Set<number>();
  for (let index = 0; index < items.length && keep.size < max; index++) {
    if (matters(items[index] as T)) keep.add(index);
  }
  for (let index = 0; index < items.length && keep.size < max; index++) keep.add(index);
  const kept: T[] = [];
  const leftOut: T[] = [];
  for (let index = 0; index < items.length; index++) (keep.has(index) ? kept : leftOut).push(items[index] as T);
  return { kept, leftOut };
}
