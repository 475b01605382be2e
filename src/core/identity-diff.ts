// What changed between two versions of a list whose unchanged items are the same objects (the
// parse cache's): found by walking both lists, so an unchanged list of thousands costs pointer
// comparisons, not a set of each.

/**
 * Items of `before` that are not in `after`, and items of `after` that are not in `before` (by
 * identity). An item that only moved may be reported in both; one that changed never in neither.
 */
export function identityDiff<T>(before: readonly T[], after: readonly T[]): { readonly removed: T[]; readonly added: T[] } {
  const removed: T[] = [];
  const added: T[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length && j < after.length) {
    const a = before[i] as T;
    const b = after[j] as T;
    if (a === b) {
      i += 1;
      j += 1;
    } else if (a === after[j + 1]) {
      added.push(b);
      j += 1;
    } else if (before[i + 1] === b) {
      removed.push(a);
      i += 1;
    } else if (before.length - i + after.length - j > 64 && removed.length + added.length > 32) {
      // Not a few edits: compare as sets.
      const now = new Set(after);
      const then = new Set(before);
      return { removed: [...removed, ...before.slice(i).filter((x) => !now.has(x))], added: [...added, ...after.slice(j).filter((x) => !then.has(x))] };
    } else {
      removed.push(a);
      added.push(b);
      i += 1;
      j += 1;
    }
  }
  for (; i < before.length; i += 1) removed.push(before[i] as T);
  for (; j < after.length; j += 1) added.push(after[j] as T);
  return { removed, added };
}
