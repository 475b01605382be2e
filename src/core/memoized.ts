// A bounded memo for pure functions of one key, for work every round repeats on the same values
// (parsing and printing addresses, canonical prefixes, policy hashes).

/** `f` remembering its last results: at most `max` of them, then it starts over. */
export function memoized<K, V>(f: (key: K) => V, max: number): (key: K) => V {
  const memo = new Map<K, V>();
  return (key: K): V => {
    const hit = memo.get(key);
    if (hit !== undefined || memo.has(key)) return hit as V;
    const value = f(key);
    if (memo.size >= max) memo.clear();
    memo.set(key, value);
    return value;
  };
}
