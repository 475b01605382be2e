// planAllocations: the whole allocation for one snapshot, as a pure function over a fresh
// Allocator. Deterministic: same pools and Services, in any order, give the same plan.

import type { Pool, ServiceInput, ServiceKey } from '../api/model.ts';
import { Allocator } from './allocator.ts';
import type { AllocationOptions, AllocationPlan, ServiceDecision } from './decision.ts';
import { screen, sortByAge } from './service-order.ts';

export type { AllocationOptions, AllocationPlan, PoolStats, ServiceDecision } from './decision.ts';

const canGrow = (svc: ServiceInput, d: ServiceDecision): boolean =>
  d.state === 'allocated' && d.ips.length === 1 && svc.families.length === 2 &&
  svc.ipFamilyPolicy === 'PreferDualStack' && svc.requestedIPs.length === 0;

/**
 * Phase 1 re-claims every Service's ingress IPs, oldest first (an older claim wins a conflict),
 * so an address never moves while it is valid. Phase 2 places Services that request IPs by
 * name, so automatic allocation cannot take them. Phase 3 allocates the rest automatically and
 * gives PreferDualStack Services their missing family. Keys are assumed unique.
 */
export function planAllocations(pools: readonly Pool[], services: readonly ServiceInput[], options: AllocationOptions): AllocationPlan {
  const allocator = new Allocator(pools, options);
  const decided = new Map<ServiceKey, ServiceDecision>();
  const active: ServiceInput[] = [];
  for (const svc of sortByAge(services)) {
    const screened = screen(svc, options, pools.length > 0);
    if (screened === null) active.push(svc);
    else decided.set(svc.key, screened);
  }
  for (const svc of active) {
    if (svc.ingressIPs.length === 0) continue;
    const kept = allocator.claim(svc, svc.ingressIPs);
    if (kept.state === 'allocated') decided.set(svc.key, kept);
  }
  for (const svc of active) {
    if (svc.requestedIPs.length > 0 && !decided.has(svc.key)) decided.set(svc.key, allocator.allocate(svc));
  }
  for (const svc of active) {
    const done = decided.get(svc.key);
    if (done === undefined) decided.set(svc.key, allocator.allocate(svc));
    else if (canGrow(svc, done)) decided.set(svc.key, allocator.addMissingFamily(svc));
  }
  const sorted = [...decided.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { services: sorted, pools: allocator.stats() };
}
