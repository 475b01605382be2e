// Whether two lists hold the same objects in the same order (or both are absent): how the caches
// tell "nothing changed" without looking inside the objects, which are replaced, never changed.

export const sameItems = <T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]));
