// Each Service's addresses out of an Allocations map, as the announcement code and the dry run take
// them; its own module so the speaker does not load the planner for it.

import type { ServiceKey } from '../api/model.ts';
import type { IP } from '../net/ip.ts';
import type { Allocations } from './reconcile.ts';

const ipsMemo = new WeakMap<Allocations, ReadonlyMap<ServiceKey, readonly IP[]>>();

/**
 * Each Service's addresses, as the announcement code takes them. Memoized by map: an Allocations
 * map is never changed after a round made it, and rounds that allocate nothing pass the same one on.
 */
export function allocatedIPs(allocations: Allocations): ReadonlyMap<ServiceKey, readonly IP[]> {
  let ips = ipsMemo.get(allocations);
  if (ips === undefined) {
    const out = new Map<ServiceKey, readonly IP[]>();
    for (const [key, a] of allocations) out.set(key, a.ips);
    ips = out;
    ipsMemo.set(allocations, ips);
  }
  return ips;
}
