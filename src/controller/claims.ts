// The allocation state the Reconciler keeps between rounds: planAllocations' state after phase 1
// (every Service re-claiming its held IPs, oldest first), changed claim by claim, and phases 2 and
// 3 run on top of it and undone again. See reconciler.ts for why this equals planAllocations.

import type { Pool, ServiceInput, ServiceKey } from '../api/model.ts';
import { canonicalJson } from '../api/wire.ts';
import { Allocator } from '../ipam/allocator.ts';
import type { AllocationOptions, AllocationPlan, ServiceDecision } from '../ipam/decision.ts';
import { sortByAge } from '../ipam/service-order.ts';
import { sameItems } from '../core/same-items.ts';
import type { IP } from '../net/ip.ts';

type Allocated = Extract<ServiceDecision, { readonly state: 'allocated' }>;

/** One phase-1 claim: the Service re-claiming `ips`, and its outcome (null: the claim failed). */
type Claim = { readonly svc: ServiceInput; readonly ips: readonly IP[]; readonly decision: Allocated | null };

/** A Service that planning does not screen out, and the IPs it holds (the store's record, else its status). */
export type Active = { readonly svc: ServiceInput; readonly ips: readonly IP[] };

/** planAllocations' phase 3 condition: PreferDualStack holding one family may get the other. */
const canGrow = (svc: ServiceInput, d: ServiceDecision): boolean =>
  d.state === 'allocated' && d.ips.length === 1 && svc.families.length === 2 &&
  svc.ipFamilyPolicy === 'PreferDualStack' && svc.requestedIPs.length === 0;

export class Claimed {
  readonly pools: readonly Pool[];
  readonly poolsKey: string;
  readonly loadBalancerClass: string | null;
  /** Holds exactly the successful claims. */
  readonly #allocator: Allocator;
  readonly #claims = new Map<ServiceKey, Claim>();
  /** Claims that failed (their Services are placed again in phase 3). */
  #failed = 0;

  /** Phase 1 from scratch: every active Service with IPs claims them, oldest first. */
  constructor(pools: readonly Pool[], options: AllocationOptions, active: readonly Active[]) {
    this.pools = pools;
    this.poolsKey = canonicalJson(pools);
    this.loadBalancerClass = options.loadBalancerClass;
    this.#allocator = new Allocator(pools, options);
    const ips = new Map(active.map((a) => [a.svc.key, a.ips]));
    for (const svc of sortByAge(active.map((a) => a.svc))) {
      const held = ips.get(svc.key) ?? [];
      if (held.length > 0) this.#claim(svc, held);
    }
  }

  /** Whether this state was built for these pools and options. */
  fits(pools: readonly Pool[], options: AllocationOptions): boolean {
    return this.loadBalancerClass === options.loadBalancerClass && (this.pools === pools || this.poolsKey === canonicalJson(pools));
  }

  /** The phase-1 decision of a Service, when its claim succeeded. */
  decisionOf(key: ServiceKey): Allocated | undefined {
    return this.#claims.get(key)?.decision ?? undefined;
  }

  /** Keys with a claim. */
  keys(): IterableIterator<ServiceKey> {
    return this.#claims.keys();
  }

  /**
   * Brings phase 1 to `active` for the Services with these keys (`keys` must hold every key whose
   * claim may have changed: Services changed, added or gone). False when the change may reach other
   * claims (shared IPs, a failed claim that could now succeed, a new claim that fails or shares):
   * then this state is spent and phase 1 must be run from scratch.
   */
  update(keys: Iterable<ServiceKey>, active: readonly Active[]): boolean {
    const wanted = new Map<ServiceKey, Active>();
    for (const a of active) if (a.ips.length > 0) wanted.set(a.svc.key, a);
    const gone: Claim[] = [];
    for (const key of keys) {
      const claim = this.#claims.get(key);
      const now = wanted.get(key);
      if (claim !== undefined && (now === undefined || now.svc !== claim.svc || !sameItems(now.ips, claim.ips))) gone.push(claim);
    }
    const added = [...wanted.values()].filter((a) => this.#claims.get(a.svc.key)?.svc !== a.svc || !sameItems(this.#claims.get(a.svc.key)?.ips ?? [], a.ips));
    if (gone.some((claim) => this.#shares(claim))) return false;
    if (this.#failed - gone.filter((g) => g.decision === null).length > 0 && gone.some((g) => g.decision !== null)) return false;
    for (const claim of gone) this.#unclaim(claim.svc.key);
    const ips = new Map(added.map((a) => [a.svc.key, a.ips]));
    for (const svc of sortByAge(added.map((a) => a.svc))) {
      const claim = this.#claim(svc, ips.get(svc.key) ?? []);
      if (claim.decision === null || this.#shares(claim)) return false;
    }
    return true;
  }

  /**
   * Phases 2 and 3 for the Services of `active` that phase 1 left without addresses or that may
   * grow, in age order: their decisions go into `decided`. Returns the pool counters after them and
   * those Services' keys, then undoes the phases on the allocator.
   */
  phasesTwoAndThree(active: readonly ServiceInput[], decided: Map<ServiceKey, ServiceDecision>): { readonly pools: AllocationPlan['pools']; readonly open: readonly ServiceKey[] } {
    const open = sortByAge(active.filter((svc) => {
      const d = decided.get(svc.key);
      return d === undefined || canGrow(svc, d);
    }));
    const undo: (() => void)[] = [];
    const allocate = (svc: ServiceInput): void => {
      const d = this.#allocator.allocate(svc);
      decided.set(svc.key, d);
      if (d.state === 'allocated') undo.push(() => this.#allocator.release(svc.key));
    };
    for (const svc of open) {
      if (svc.requestedIPs.length > 0 && !decided.has(svc.key)) allocate(svc);
    }
    for (const svc of open) {
      const done = decided.get(svc.key);
      if (done === undefined) allocate(svc);
      else if (canGrow(svc, done)) {
        const grown = this.#allocator.addMissingFamily(svc);
        decided.set(svc.key, grown);
        const before = this.#claims.get(svc.key);
        if (grown.state === 'allocated' && before !== undefined && grown.ips.length > 1) undo.push(() => void this.#allocator.claim(svc, before.ips));
      }
    }
    const stats = this.#allocator.stats();
    for (const step of undo.reverse()) step();
    return { pools: stats, open: open.map((svc) => svc.key) };
  }

  #claim(svc: ServiceInput, ips: readonly IP[]): Claim {
    const kept = this.#allocator.claim(svc, ips);
    const claim: Claim = { svc, ips, decision: kept.state === 'allocated' ? kept : null };
    this.#claims.set(svc.key, claim);
    if (claim.decision === null) this.#failed += 1;
    return claim;
  }

  #unclaim(key: ServiceKey): void {
    const claim = this.#claims.get(key);
    if (claim === undefined) return;
    this.#claims.delete(key);
    if (claim.decision === null) {
      this.#failed -= 1;
      return;
    }
    this.#allocator.release(key);
  }

  /** Whether another claim holds one of its IPs (the allocator holds exactly the successful claims). */
  #shares(claim: Claim): boolean {
    return claim.decision !== null && claim.decision.ips.some((ip) => this.#allocator.isShared(ip));
  }
}
