// The stateful, incremental allocator the controller drives one Service change at a time.
// It owns the free space of every pool CIDR and the sharing index; it never does I/O.

import type { Pool, ServiceInput, ServiceKey } from '../api/model.ts';
import { ipFamily, ipToBigInt, type IP } from '../net/ip.ts';
import type { AllocationOptions, PoolStats, ServiceDecision } from './decision.ts';
import { familyNeed, orderByFamily, type FamilyNeed } from './family-policy.ts';
import { lowestUsable, placeAutomatically, placeGiven, type Context, type Pick, type Placement } from './placement.ts';
import { PoolSet, poolAssigned, poolCapacity } from './pool-set.ts';
import type { Rejection } from './reasons.ts';
import { screen, sortByAge } from './service-order.ts';
import { SharingIndex } from './sharing.ts';

/** What the allocator holds for one Service. `ips` primary family first. */
export type Allocation = { readonly service: ServiceInput; readonly pool: string; readonly ips: readonly IP[] };

const pending = (svc: ServiceInput, r: Rejection): ServiceDecision => ({ state: 'pending', key: svc.key, reason: r.reason, message: r.message });

const sameSet = (a: readonly IP[], b: readonly IP[]): boolean => a.length === b.length && a.every((ip) => b.includes(ip));

export class Allocator {
  readonly #options: AllocationOptions;
  #ctx: Context;
  readonly #held = new Map<ServiceKey, Allocation>();

  /** Starts nothing; pools must have distinct names and non-overlapping CIDRs (throws otherwise). */
  constructor(pools: readonly Pool[], options: AllocationOptions) {
    this.#options = options;
    this.#ctx = { pools: new PoolSet(pools), sharing: new SharingIndex() };
  }

  allocationOf(key: ServiceKey): Allocation | undefined {
    return this.#held.get(key);
  }

  /** Whether more than one Service holds the IP. */
  isShared(ip: IP): boolean {
    return this.#ctx.sharing.userCount(ip) > 1;
  }

  /**
   * Converges one Service (the controller's entry point): keeps the addresses it holds (here,
   * else its status ingress IPs) while they are still valid for it, else allocates anew.
   */
  assign(svc: ServiceInput): ServiceDecision {
    const held = this.#held.get(svc.key)?.ips ?? svc.ingressIPs;
    if (held.length > 0 && this.claim(svc, held).state === 'allocated') return this.addMissingFamily(svc);
    return this.allocate(svc);
  }

  /**
   * Re-claims exactly the given IPs (the restart path, MetalLB's Assign). On failure the Service
   * holds nothing and the decision says why; the caller then allocates it anew.
   */
  claim(svc: ServiceInput, ips: readonly IP[] = svc.ingressIPs): ServiceDecision {
    // Free the Service's old addresses only after the claim: re-claiming what it holds must
    // not churn the free space.
    const orphans = this.#detach(svc.key);
    const decision = this.#claim(svc, ips);
    const kept = new Set(this.#held.get(svc.key)?.ips ?? []);
    for (const o of orphans) if (!kept.has(o.ip)) o.space.free(o.value);
    return decision;
  }

  /** Allocates anew, ignoring what the Service held: its requested IPs, else automatically. */
  allocate(svc: ServiceInput): ServiceDecision {
    this.release(svc.key);
    const early = this.#early(svc);
    if (!early.ok) return early.decision;
    const placed = svc.requestedIPs.length > 0
      ? placeGiven(this.#ctx, svc, early.need, svc.requestedIPs)
      : placeAutomatically(this.#ctx, svc, early.need);
    return placed.ok ? this.#occupy(svc, early.need, placed.value, 'assigned') : pending(svc, placed.error);
  }

  /**
   * PreferDualStack holding one IP: adds the missing family from the same pool when an address
   * is usable (MetalLB §4.5: never jumps pools). Services with requested IPs get exactly those.
   */
  addMissingFamily(svc: ServiceInput): ServiceDecision {
    const held = this.#held.get(svc.key);
    if (held === undefined) return this.allocate(svc);
    const need = familyNeed(svc);
    const kept = `kept ${held.ips.join(', ')}`;
    if (!need.ok || need.value.all || svc.requestedIPs.length > 0) return this.#decision(svc, held, kept);
    const missing = need.value.wanted.find((f) => !held.ips.some((ip) => ipFamily(ip) === f));
    const pool = this.#ctx.pools.byName.get(held.pool);
    if (missing === undefined || pool === undefined) return this.#decision(svc, held, kept);
    const pick = lowestUsable(this.#ctx, pool, missing, svc);
    if (pick === null) return this.#decision(svc, held, `${kept} (no ${missing} address usable)`);
    this.#take(svc, pick);
    const grown: Allocation = { ...held, ips: orderByFamily([...held.ips, pick.ip], need.value) };
    this.#held.set(svc.key, grown);
    return this.#decision(svc, grown, `${kept} and assigned ${pick.ip}`);
  }

  /** Frees what the Service held; returns those IPs (non-empty: retry pending Services). */
  release(key: ServiceKey): readonly IP[] {
    const ips = this.#held.get(key)?.ips ?? [];
    for (const o of this.#detach(key)) o.space.free(o.value);
    return ips;
  }

  /**
   * Replaces the pools. Every allocation whose IPs still lie in a pool compatible with its
   * Service is kept (re-homed if the pool was renamed or split); the others are released and
   * their keys returned, sorted. After any pool change the caller retries pending Services.
   */
  setPools(pools: readonly Pool[]): readonly ServiceKey[] {
    const previous = new Map([...this.#held.values()].map((a) => [a.service.key, a.ips] as const));
    const services = sortByAge([...this.#held.values()].map((a) => a.service));
    this.#ctx = { pools: new PoolSet(pools), sharing: new SharingIndex() };
    this.#held.clear();
    const released: ServiceKey[] = [];
    for (const svc of services) {
      const kept = this.claim(svc, previous.get(svc.key) ?? []);
      if (kept.state !== 'allocated') released.push(svc.key);
    }
    return released.sort();
  }

  /** Exact counters per pool, sorted by name. */
  stats(): readonly PoolStats[] {
    return this.#ctx.pools.sorted.map((p) => {
      const assignedIPv4 = poolAssigned(p, 'ipv4');
      const assignedIPv6 = poolAssigned(p, 'ipv6');
      return {
        name: p.pool.name,
        assignedIPv4,
        assignedIPv6,
        availableIPv4: poolCapacity(p, 'ipv4') - assignedIPv4,
        availableIPv6: poolCapacity(p, 'ipv6') - assignedIPv6,
      };
    });
  }

  #claim(svc: ServiceInput, ips: readonly IP[]): ServiceDecision {
    const early = this.#early(svc);
    if (!early.ok) return early.decision;
    if (svc.requestedIPs.length > 0 && !sameSet(ips, svc.requestedIPs)) {
      const message = `held [${ips.join(', ')}] differs from the requested [${svc.requestedIPs.join(', ')}]`;
      return pending(svc, { reason: 'invalid-request', message });
    }
    const placed = placeGiven(this.#ctx, svc, early.need, ips);
    return placed.ok ? this.#occupy(svc, early.need, placed.value, 'kept') : pending(svc, placed.error);
  }

  /** Drops the Service's record and sharing entries; returns the addresses nobody uses any more. */
  #detach(key: ServiceKey): Pick[] {
    const held = this.#held.get(key);
    if (held === undefined) return [];
    this.#held.delete(key);
    const orphans: Pick[] = [];
    for (const ip of held.ips) {
      const value = ipToBigInt(ip);
      const at = this.#ctx.pools.locate(ipFamily(ip), value);
      if (this.#ctx.sharing.remove(ip, key) && at !== undefined) orphans.push({ ip, value, space: at.space });
    }
    return orphans;
  }

  #early(svc: ServiceInput): { readonly ok: true; readonly need: FamilyNeed } | { readonly ok: false; readonly decision: ServiceDecision } {
    const screened = screen(svc, this.#options, !this.#ctx.pools.isEmpty);
    if (screened !== null) return { ok: false, decision: screened };
    const need = familyNeed(svc);
    return need.ok ? { ok: true, need: need.value } : { ok: false, decision: pending(svc, need.error) };
  }

  #occupy(svc: ServiceInput, need: FamilyNeed, placed: Placement, verb: 'kept' | 'assigned'): ServiceDecision {
    for (const p of placed.picks) this.#take(svc, p);
    const held: Allocation = { service: svc, pool: placed.pool.pool.name, ips: orderByFamily(placed.picks.map((p) => p.ip), need) };
    this.#held.set(svc.key, held);
    const missing = need.wanted.filter((f) => !held.ips.some((ip) => ipFamily(ip) === f));
    const note = !need.all && missing.length > 0 ? ` (no ${missing.join('')} address usable)` : '';
    return this.#decision(svc, held, `${verb} ${held.ips.join(', ')}${note}`);
  }

  #take(svc: ServiceInput, pick: Pick): void {
    pick.space.take(pick.value);
    this.#ctx.sharing.add(pick.ip, pick.space.family, pick.value, svc);
  }

  #decision(svc: ServiceInput, held: Allocation, lead: string): ServiceDecision {
    const others = [...new Set(held.ips.flatMap((ip) => this.#ctx.sharing.usersOf(ip)))].filter((k) => k !== svc.key);
    const shared = others.length > 0 ? `; shared with ${others.join(', ')}` : '';
    return { state: 'allocated', key: svc.key, ips: held.ips, pool: held.pool, message: `${lead} from pool "${held.pool}"${shared}` };
  }
}
