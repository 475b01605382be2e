// Ordering and text of BGP communities (RFC 1997 standard, RFC 8092 large) as the speaker
// announces them: standard before large, each numerically, no duplicates.

import { communityText, type Community } from '../../api/model.ts';

const parts = (c: Community): readonly number[] => (c.kind === 'standard' ? [0, c.high, c.low] : [1, c.a, c.b, c.c]);

export function compareCommunity(a: Community, b: Community): number {
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** Sorted and without duplicates. */
export function sortCommunities(list: readonly Community[]): Community[] {
  const seen = new Set<string>();
  return [...list].sort(compareCommunity).filter((c) => {
    const t = communityText(c);
    const dup = seen.has(t);
    seen.add(t);
    return !dup;
  });
}

/** "65000:100" for standard, "1:2:3" for large (without the "large:" prefix FRR does not take). */
export const communityValue = (c: Community): string => (c.kind === 'standard' ? `${c.high}:${c.low}` : `${c.a}:${c.b}:${c.c}`);
