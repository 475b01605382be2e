// Where two versions of a list differ: the common head and tail are skipped, so comparing a
// 10 000-line text with its next version costs the changed stretch plus one pass of ===.

/** Items [start, oldEnd) of `before` became items [start, newEnd) of `after`; the rest is equal, in order. */
export type ChangedWindow = { readonly start: number; readonly oldEnd: number; readonly newEnd: number };

export function changedWindow<T>(before: readonly T[], after: readonly T[]): ChangedWindow {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before[start] === after[start]) start += 1;
  let tail = 0;
  while (tail < shorter - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail += 1;
  return { start, oldEnd: before.length - tail, newEnd: after.length - tail };
}
