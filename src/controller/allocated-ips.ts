// Each Service's addresses out of an Allocations map, as the announcement code and the dry run take
// them; its own module so the speaker does not load the planner for it.

import type { ServiceKey } from '../api/model.ts';
import type { IP } from '../net/ip.ts';
import type { Allocations } from './reconcile.ts';

/**
 * The addresses of an Allocations map, read through it: a copy would be a second map the size of
 * the cluster's Services (10 000 entries: ~0.5 MB kept and ~1 MB of garbage while it grows) in
 * every process that announces. Iterates in the allocations' order.
 */
class AllocatedIPs implements ReadonlyMap<ServiceKey, readonly IP[]> {
  readonly #allocations: Allocations;
  constructor(allocations: Allocations) {
    this.#allocations = allocations;
  }
  get size(): number {
    return this.#allocations.size;
  }
  get(key: ServiceKey): readonly IP[] | undefined {
    return this.#allocations.get(key)?.ips;
  }
  has(key: ServiceKey): boolean {
    return this.#allocations.has(key);
  }
  forEach(fn: (ips: readonly IP[], key: ServiceKey, map: ReadonlyMap<ServiceKey, readonly IP[]>) => void, thisArg?: unknown): void {
    for (const [key, a] of this.#allocations) fn.call(thisArg, a.ips, key, this);
  }
  *entries(): MapIterator<[ServiceKey, readonly IP[]]> {
    for (const [key, a] of this.#allocations) yield [key, a.ips];
  }
  keys(): MapIterator<ServiceKey> {
    return this.#allocations.keys();
  }
  *values(): MapIterator<readonly IP[]> {
    for (const a of this.#allocations.values()) yield a.ips;
  }
  [Symbol.iterator](): MapIterator<[ServiceKey, readonly IP[]]> {
    return this.entries();
  }
}

const ipsMemo = new WeakMap<Allocations, ReadonlyMap<ServiceKey, readonly IP[]>>();

/**
 * Each Service's addresses, as the announcement code takes them. Memoized by map: an Allocations
 * map is never changed after a round made it, and rounds that allocate nothing pass the same one on
 * (the announcement code compares them by identity).
 */
export function allocatedIPs(allocations: Allocations): ReadonlyMap<ServiceKey, readonly IP[]> {
  let ips = ipsMemo.get(allocations);
  if (ips === undefined) {
    ips = new AllocatedIPs(allocations);
    ipsMemo.set(allocations, ips);
  }
  return ips;
}
