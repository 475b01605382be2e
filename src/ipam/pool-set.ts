// The configured pools as allocation state: one CidrSpace per CIDR, and a lookup from an
// address to the space (and pool) holding it by binary search over all CIDRs of its family.

import type { Pool } from '../api/model.ts';
import type { Family } from '../net/ip.ts';
import { CidrSpace, cidrCapacity } from './free-space.ts';

export type PoolState = {
  readonly pool: Pool;
  /** In the pool's configured order. */
  readonly spaces: readonly CidrSpace[];
};

export type Located = { readonly pool: PoolState; readonly space: CidrSpace };

export const poolHasFamily = (p: PoolState, family: Family): boolean => p.spaces.some((s) => s.family === family);

export function poolCapacity(p: PoolState, family: Family): bigint {
  let total = 0n;
  for (const s of p.spaces) if (s.family === family) total += cidrCapacity(s.cidr, p.pool.avoidBuggyIPs);
  return total;
}

export function poolAssigned(p: PoolState, family: Family): bigint {
  let total = 0n;
  for (const s of p.spaces) if (s.family === family) total += BigInt(s.usedCount);
  return total;
}

/**
 * All pools by name, plus a per-family index of CIDRs sorted by first address.
 * Throws on duplicate pool names or overlapping CIDRs: the config parser rules both out.
 */
export class PoolSet {
  readonly byName: ReadonlyMap<string, PoolState>;
  /** Sorted by name. */
  readonly sorted: readonly PoolState[];
  readonly #index: Readonly<Record<Family, readonly Located[]>>;

  constructor(pools: readonly Pool[]) {
    const byName = new Map<string, PoolState>();
    const index: Record<Family, Located[]> = { ipv4: [], ipv6: [] };
    for (const pool of pools) {
      if (byName.has(pool.name)) throw new Error(`duplicate pool name "${pool.name}"`);
      const state: PoolState = { pool, spaces: pool.cidrs.map((c) => new CidrSpace(c, pool.avoidBuggyIPs)) };
      byName.set(pool.name, state);
      for (const space of state.spaces) index[space.family].push({ pool: state, space });
    }
    for (const list of Object.values(index)) {
      list.sort((a, b) => (a.space.base < b.space.base ? -1 : a.space.base > b.space.base ? 1 : 0));
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1] as Located;
        const cur = list[i] as Located;
        if (cur.space.base <= prev.space.last) {
          throw new Error(`CIDR ${cur.space.cidr.text} (pool "${cur.pool.pool.name}") overlaps ${prev.space.cidr.text} (pool "${prev.pool.pool.name}")`);
        }
      }
    }
    this.byName = byName;
    this.sorted = [...byName.values()].sort((a, b) => (a.pool.name < b.pool.name ? -1 : a.pool.name > b.pool.name ? 1 : 0));
    this.#index = index;
  }

  get isEmpty(): boolean {
    return this.byName.size === 0;
  }

  /** The space whose CIDR contains the value (buggy addresses included), or undefined. O(log CIDRs). */
  locate(family: Family, value: bigint): Located | undefined {
    const list = this.#index[family];
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const entry = list[mid] as Located;
      if (value < entry.space.base) hi = mid - 1;
      else if (value > entry.space.last) lo = mid + 1;
      else return entry;
    }
    return undefined;
  }
}
