// "Did you mean": the Service keys closest to one that does not exist (the same name in another
// namespace, or a typing mistake or two away). Pure.

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * Up to `limit` keys ("namespace/name") the user may have meant, closest first: the same name in
 * any namespace, or a key a few edits away (one per three characters of the name, 1 to 3).
 */
export function closeMatches(wanted: string, keys: readonly string[], limit = 5): string[] {
  const name = wanted.slice(wanted.indexOf('/') + 1);
  const budget = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  return [...new Set(keys)]
    .filter((k) => k !== wanted)
    .map((k) => ({ k, d: k.slice(k.indexOf('/') + 1) === name ? 0 : editDistance(wanted, k) }))
    .filter((x) => x.d <= budget)
    .sort((a, b) => a.d - b.d || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .slice(0, limit)
    .map((x) => x.k);
}
