// The controller's decision for one snapshot: who holds which addresses, what changed, and
// what to tell the operator. Pure: the store adapters persist the result and emit the events.

import type { Pool, ServiceInput, ServiceKey } from '../api/model.ts';
import { sameItems } from '../core/same-items.ts';
import type { IP } from '../net/ip.ts';
import { planAllocations, type AllocationOptions, type AllocationPlan, type ServiceDecision } from '../ipam/plan.ts';

/** What is persisted per Service: status.loadBalancer.ingress and the pool annotation. */
export type Allocation = { readonly ips: readonly IP[]; readonly pool: string };
export type Allocations = ReadonlyMap<ServiceKey, Allocation>;

export type ServiceEvent = {
  readonly key: ServiceKey;
  readonly type: 'Normal' | 'Warning';
  /** Stable: IPAllocated, IPReleased, AllocationFailed (with the pending reason code). */
  readonly reason: 'IPAllocated' | 'IPReleased' | 'AllocationFailed';
  readonly code: string | null;
  readonly message: string;
};

export type Reconciled = {
  readonly plan: AllocationPlan;
  readonly allocations: Allocations;
  /** True when some Service's addresses differ from `previous`: only then is a write due. */
  readonly changed: boolean;
  readonly events: readonly ServiceEvent[];
};

type Allocated = Extract<ServiceDecision, { readonly state: 'allocated' }>;

/**
 * What a Service holds after an allocated decision: the allocation it held before when the
 * decision keeps it (so later stages see "unchanged" by identity), else a new one.
 */
export const allocationAfter = (d: Allocated, before: Allocation | undefined): Allocation =>
  before !== undefined && before.pool === d.pool && sameItems(before.ips, d.ips) ? before : { ips: d.ips, pool: d.pool };

/**
 * Addresses already held (the store's record, else the Service's own status) are the
 * Services' ingress IPs, so planning re-claims them before anything new is handed out.
 */
function withHeldIPs(services: readonly ServiceInput[], previous: Allocations): ServiceInput[] {
  return services.map((s) => {
    const held = previous.get(s.key);
    return held === undefined ? s : { ...s, ingressIPs: held.ips };
  });
}

/** The event a decision gives against the Service's allocation before and its pending state last round ("reason:message"). */
export function eventFor(d: ServiceDecision, before: Allocation | undefined, previousReason: string | undefined): ServiceEvent | null {
  switch (d.state) {
    case 'allocated':
      if (before !== undefined && sameItems(before.ips, d.ips) && before.pool === d.pool) return null;
      return { key: d.key, type: 'Normal', reason: 'IPAllocated', code: null, message: d.message };
    case 'pending':
      if (before !== undefined) return { key: d.key, type: 'Warning', reason: 'IPReleased', code: d.reason, message: `released ${before.ips.join(', ')}: ${d.message}` };
      if (previousReason === `${d.reason}:${d.message}`) return null;
      return { key: d.key, type: 'Warning', reason: 'AllocationFailed', code: d.reason, message: d.message };
    case 'ignored':
      return before === undefined ? null : { key: d.key, type: 'Normal', reason: 'IPReleased', code: null, message: `released ${before.ips.join(', ')}: ${d.message}` };
  }
}

/**
 * `pendingBefore` holds "reason:message" of Services pending in the previous round, so an
 * unchanged pending state is not reported again on every snapshot.
 */
export function reconcile(
  pools: readonly Pool[],
  services: readonly ServiceInput[],
  previous: Allocations,
  pendingBefore: ReadonlyMap<ServiceKey, string>,
  options: AllocationOptions,
): Reconciled {
  return outcomeOf(planAllocations(pools, withHeldIPs(services, previous), options), previous, pendingBefore);
}

/**
 * What a plan means against the previous round: the allocations to persist (an unchanged one is
 * the previous object), whether any changed, and the events.
 */
export function outcomeOf(plan: AllocationPlan, previous: Allocations, pendingBefore: ReadonlyMap<ServiceKey, string>): Reconciled {
  const allocations = new Map<ServiceKey, Allocation>();
  const events: ServiceEvent[] = [];
  let changed = false;
  for (const d of plan.services) {
    const before = previous.get(d.key);
    if (d.state === 'allocated') {
      const after = allocationAfter(d, before);
      allocations.set(d.key, after);
      changed ||= after !== before;
    }
    const e = eventFor(d, before, pendingBefore.get(d.key));
    if (e !== null) events.push(e);
  }
  if (previous.size > 0) {
    const known = new Set(plan.services.map((d) => d.key));
    for (const key of previous.keys()) if (!known.has(key)) events.push({ key, type: 'Normal', reason: 'IPReleased', code: null, message: 'Service deleted' });
  }
  changed ||= allocations.size !== previous.size;
  return { plan, allocations, changed, events };
}

export function pendingIndex(plan: AllocationPlan): Map<ServiceKey, string> {
  const out = new Map<ServiceKey, string>();
  for (let i = 0; i < plan.services.length; i += 1) {
    const d = plan.services[i] as ServiceDecision;
    if (d.state === 'pending') out.set(d.key, `${d.reason}:${d.message}`);
  }
  return out;
}
