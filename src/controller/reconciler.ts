// The controller's allocation across rounds: the same result as `reconcile` (planAllocations over
// the Services with their held IPs), computed from the previous round's, so that a new or deleted
// Service costs about one claim and a walk over the Service list instead of a claim per Service.
//
// planAllocations runs three phases over a fresh Allocator, oldest Service first: (1) every
// Service re-claims its held IPs, (2) Services requesting IPs are placed, (3) the rest are placed
// automatically and PreferDualStack Services get their missing family. Phase 1's outcome for a
// claim depends only on the claims holding the same IPs before it. So while the pools are the same,
// the allocator after phase 1 is kept (claims.ts), and a round removes the claims that went away and
// adds the new ones (a Service allocated last round re-claims its IPs now), provided that none of
// them shares an IP, that every new claim succeeds, and that no removal can free an IP a failed
// claim wants; otherwise phase 1 is run afresh. Phases 2 and 3 then run for the Services that hold
// nothing and those that may grow, and are undone again.
//
// Beyond that, when the Service list is sorted, its unchanged Services (the same objects, at
// peace last round: neither placed in phase 2 or 3 nor given other addresses) keep their decision
// and allocation without being looked at; only the others are planned.

import type { Pool, ServiceInput, ServiceKey } from '../api/model.ts';
import type { AllocationOptions, AllocationPlan, ServiceDecision } from '../ipam/decision.ts';
import { screen } from '../ipam/service-order.ts';
import { Claimed, type Active } from './claims.ts';
import { allocationAfter, eventFor, outcomeOf, reconcile, type Allocation, type Allocations, type Reconciled, type ServiceEvent } from './reconcile.ts';

/** What a round leaves for the next: its Services (sorted by key) with their decisions and allocations. */
type Round = {
  readonly services: readonly ServiceInput[];
  readonly decisions: readonly ServiceDecision[];
  readonly allocations: readonly (Allocation | undefined)[];
  /** Services that must be planned again next round even if unchanged. */
  readonly unsettled: ReadonlySet<ServiceKey>;
  readonly result: Reconciled;
};

/** Services with no allocation to plan get their decision now; the others become claims on their held (or shown) IPs. */
function screenAll(services: readonly ServiceInput[], pools: readonly Pool[], previous: Allocations, options: AllocationOptions): { decided: Map<ServiceKey, ServiceDecision>; active: Active[] } {
  const decided = new Map<ServiceKey, ServiceDecision>();
  const active: Active[] = [];
  for (const svc of services) {
    const screened = screen(svc, options, pools.length > 0);
    if (screened === null) active.push({ svc, ips: previous.get(svc.key)?.ips ?? svc.ingressIPs });
    else decided.set(svc.key, screened);
  }
  return { decided, active };
}

/** Phase 1's decisions for the claims, into `decided`. */
function takeDecisions(claimed: Claimed, active: readonly Active[], decided: Map<ServiceKey, ServiceDecision>): void {
  for (const { svc } of active) {
    const d = claimed.decisionOf(svc.key);
    if (d !== undefined) decided.set(svc.key, d);
  }
}

const sortedUnique = (services: readonly ServiceInput[]): boolean => services.every((s, i) => i === 0 || (services[i - 1] as ServiceInput).key < s.key);

export class Reconciler {
  #claimed: Claimed | null = null;
  #last: Round | null = null;

  /** Same contract and result as `reconcile`. */
  reconcile(pools: readonly Pool[], services: readonly ServiceInput[], previous: Allocations, pendingBefore: ReadonlyMap<ServiceKey, string>, options: AllocationOptions): Reconciled {
    const sorted = sortedUnique(services);
    if (!sorted && new Set(services.map((s) => s.key)).size !== services.length) {
      // planAllocations assumes unique keys; parseInput guarantees them, other callers get the plain pass.
      this.#claimed = null;
      this.#last = null;
      return reconcile(pools, services, previous, pendingBefore, options);
    }
    return (sorted ? this.#delta(pools, services, previous, pendingBefore, options) : null) ?? this.#full(pools, services, previous, pendingBefore, options, sorted);
  }

  /** Plans every Service (phase 1 still from the last round's when it can). */
  #full(pools: readonly Pool[], services: readonly ServiceInput[], previous: Allocations, pendingBefore: ReadonlyMap<ServiceKey, string>, options: AllocationOptions, sorted: boolean): Reconciled {
    const { decided, active } = screenAll(services, pools, previous, options);
    const last = this.#claimed;
    this.#claimed = null; // left inconsistent if anything below throws
    const keys = last === null ? [] : [...new Set([...last.keys(), ...active.map((a) => a.svc.key)])];
    const claimed = last !== null && last.fits(pools, options) && last.update(keys, active) ? last : new Claimed(pools, options, active);
    takeDecisions(claimed, active, decided);
    const phases = claimed.phasesTwoAndThree(active.map((a) => a.svc), decided);
    this.#claimed = claimed;
    const decisions = services.map((s) => decided.get(s.key)).filter((d) => d !== undefined);
    if (!sorted) decisions.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const plan: AllocationPlan = { services: decisions, pools: phases.pools };
    const result = outcomeOf(plan, previous, pendingBefore);
    this.#last = sorted ? this.#record(services, plan, result, previous, new Set(phases.open)) : null;
    return result;
  }

  /**
   * What the next round needs; Services whose allocation changed are planned again then. With
   * `from` (a delta round), the Services at `from[i] >= 0` kept last round's allocation.
   */
  #record(services: readonly ServiceInput[], plan: AllocationPlan, result: Reconciled, previous: Allocations, unsettled: Set<ServiceKey>, from?: { readonly indexes: readonly number[]; readonly last: Round }): Round {
    const allocations = services.map((s, i): Allocation | undefined => {
      const k = from?.indexes[i] ?? -1;
      if (k >= 0) return from?.last.allocations[k];
      const a = result.allocations.get(s.key);
      if (a !== previous.get(s.key)) unsettled.add(s.key);
      return a;
    });
    return { services, decisions: plan.services, allocations, unsettled, result };
  }

  /**
   * The round from the last one when the Services are sorted, the pools and options the same, and
   * `previous` the last round's allocations; null otherwise (or when too much changed).
   */
  #delta(pools: readonly Pool[], services: readonly ServiceInput[], previous: Allocations, pendingBefore: ReadonlyMap<ServiceKey, string>, options: AllocationOptions): Reconciled | null {
    const last = this.#last;
    const claimed = this.#claimed;
    if (last === null || claimed === null || previous !== last.result.allocations || !claimed.fits(pools, options)) return null;
    // Walk both sorted lists: `from[i]` is the last round's index of an unchanged, settled Service.
    const from = new Array<number>(services.length).fill(-1);
    const changed: ServiceInput[] = [];
    const gone: ServiceKey[] = [];
    let j = 0;
    for (let i = 0; i < services.length; i += 1) {
      const svc = services[i] as ServiceInput;
      while (j < last.services.length && (last.services[j] as ServiceInput).key < svc.key) gone.push((last.services[j++] as ServiceInput).key);
      const before = last.services[j];
      if (before?.key === svc.key) j += 1;
      if (before === svc && !last.unsettled.has(svc.key)) from[i] = j - 1;
      else changed.push(svc);
    }
    for (; j < last.services.length; j += 1) gone.push((last.services[j] as ServiceInput).key);
    if (changed.length + gone.length > Math.max(64, services.length / 4)) return null;
    const { decided, active } = screenAll(changed, pools, previous, options);
    this.#claimed = null; // left inconsistent if anything below throws or fails
    if (!claimed.update([...changed.map((s) => s.key), ...gone], active)) return null;
    takeDecisions(claimed, active, decided);
    const phases = claimed.phasesTwoAndThree(active.map((a) => a.svc), decided);
    this.#claimed = claimed;
    const decisions = services.map((svc, i) => {
      const k = from[i] ?? -1;
      return k >= 0 ? (last.decisions[k] as ServiceDecision) : (decided.get(svc.key) as ServiceDecision);
    });
    const plan: AllocationPlan = { services: decisions, pools: phases.pools };
    const result = this.#outcome(plan, from, last, previous, pendingBefore, gone);
    this.#last = this.#record(services, plan, result, previous, new Set(phases.open), { indexes: from, last });
    return result;
  }

  /**
   * outcomeOf, for a plan whose Services at `from[i] >= 0` kept last round's decision and
   * allocation. When no allocation changed, the result's allocations are `previous` itself: a round
   * that only looks (a status update coming back, an unrelated edit) builds no map of every Service.
   */
  #outcome(plan: AllocationPlan, from: readonly number[], last: Round, previous: Allocations, pendingBefore: ReadonlyMap<ServiceKey, string>, gone: readonly ServiceKey[]): Reconciled {
    const events: ServiceEvent[] = [];
    let changed = false;
    let size = 0;
    for (let i = 0; i < plan.services.length; i += 1) {
      const d = plan.services[i] as ServiceDecision;
      const k = from[i] ?? -1;
      if (k >= 0) {
        // Unchanged: its allocation is the one `previous` holds, so only a pending state can give an event.
        if (last.allocations[k] !== undefined) size += 1;
        if (d.state !== 'pending') continue;
      }
      const before = previous.get(d.key);
      if (d.state === 'allocated' && k < 0) {
        size += 1;
        changed ||= allocationAfter(d, before) !== before;
      }
      const e = eventFor(d, before, pendingBefore.get(d.key));
      if (e !== null) events.push(e);
    }
    for (const key of gone) if (previous.has(key)) events.push({ key, type: 'Normal', reason: 'IPReleased', code: null, message: 'Service deleted' });
    changed ||= size !== previous.size;
    // Unchanged means every entry is previous's own object for the same key, and no more or fewer.
    if (!changed) return { plan, allocations: previous, changed, events };
    const allocations = new Map<ServiceKey, Allocation>();
    for (let i = 0; i < plan.services.length; i += 1) {
      const d = plan.services[i] as ServiceDecision;
      const k = from[i] ?? -1;
      const a = k >= 0 ? last.allocations[k] : d.state === 'allocated' ? allocationAfter(d, previous.get(d.key)) : undefined;
      if (a !== undefined) allocations.set(d.key, a);
    }
    return { plan, allocations, changed, events };
  }
}
