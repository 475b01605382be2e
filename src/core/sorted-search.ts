// Binary search in a sorted list, by a comparison of each item with the sought one.

/**
 * Where the sought item is, or goes, in `list` (sorted by the same order as `compare`), and
 * whether it is there. `compare(item)` is negative when `item` sorts before the sought one, zero
 * when it is the one, positive after.
 */
export function sortedSearch<T>(list: readonly T[], compare: (item: T) => number): { readonly at: number; readonly found: boolean } {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = compare(list[mid] as T);
    if (c === 0) return { at: mid, found: true };
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return { at: lo, found: false };
}
