// Why each pool did or did not give one Service its address. The allocator's own code decides:
// every other Service holds what the plan gave it, then the Service is offered each pool alone.
// Pure; same input, same verdicts.

import type { Pool, ServiceInput, ServiceKey } from '../api/model.ts';
import { Allocator } from '../ipam/allocator.ts';
import type { AllocationOptions, ServiceDecision } from '../ipam/decision.ts';
import { candidatesFor, describePool, incompatibility } from '../ipam/pool-choice.ts';
import { PoolSet } from '../ipam/pool-set.ts';
import type { PendingReason } from '../ipam/reasons.ts';
import { sortByAge } from '../ipam/service-order.ts';
import { cidrContains } from '../net/cidr.ts';
import type { IP } from '../net/ip.ts';

/** Verdicts of explain's own, before the allocator's pending reasons (which a pool can also get). */
export const poolVerdictCodes = [
  'chosen',
  'usable',
  'auto-assign-disabled',
  'namespace-not-selected',
  'service-not-selected',
  'not-the-requested-pool',
  'requested-ips-elsewhere',
] as const;
export type PoolVerdictCode = (typeof poolVerdictCodes)[number] | PendingReason;

/** How the allocator reaches a pool: named by the annotation, pinned by serviceAllocation, a fallback, or not at all. */
export type PoolTier = 'annotation' | 'pinned' | 'fallback' | null;

export type PoolVerdict = {
  readonly pool: string;
  readonly tier: PoolTier;
  readonly code: PoolVerdictCode;
  /** One sentence naming the pool. */
  readonly message: string;
  /** What the pool would give the Service (chosen and usable only), primary family first. */
  readonly ips: readonly IP[];
};

/** The verdict the allocator gave a pending Service, or the pool it took the address from. */
export type AllocationStory = { readonly decision: ServiceDecision; readonly pools: readonly PoolVerdict[] };

const byName = <T extends { readonly name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The other Services' allocations from the plan, re-claimed into a fresh allocator (oldest first). */
function othersHolding(pools: readonly Pool[], services: readonly ServiceInput[], decisions: readonly ServiceDecision[], key: ServiceKey, options: AllocationOptions): Allocator {
  const allocator = new Allocator(pools, options);
  const decided = new Map(decisions.map((d) => [d.key, d] as const));
  for (const svc of sortByAge(services)) {
    const d = decided.get(svc.key);
    if (svc.key !== key && d?.state === 'allocated') allocator.claim(svc, d.ips);
  }
  return allocator;
}

/** Offers the Service one pool on its own and takes the answer back, leaving the allocator as it was. */
function trial(allocator: Allocator, svc: ServiceInput): ServiceDecision {
  const d = allocator.allocate(svc);
  allocator.release(svc.key);
  return d;
}

/** Candidate order: pinned by priority, then fallbacks, then the rest by name; the named pool first. */
function orderPools(pools: readonly Pool[], svc: ServiceInput): { readonly pool: Pool; readonly tier: PoolTier }[] {
  const set = new PoolSet(pools);
  const auto = candidatesFor(set, { ...svc, addressPool: null });
  const [pinned = [], fallback = []] = auto.ok ? auto.value.lists : [];
  const tiers = new Map<string, PoolTier>([...pinned.map((p) => [p.pool.name, 'pinned'] as const), ...fallback.map((p) => [p.pool.name, 'fallback'] as const)]);
  const listed = [...pinned, ...fallback].map((p) => p.pool);
  const ordered = [...listed, ...[...pools].sort(byName).filter((p) => !tiers.has(p.name))];
  const named = svc.addressPool;
  if (named === null) return ordered.map((pool) => ({ pool, tier: tiers.get(pool.name) ?? null }));
  const first = ordered.filter((p) => p.name === named);
  return [...first, ...ordered.filter((p) => p.name !== named)].map((pool) => ({ pool, tier: pool.name === named ? 'annotation' : null }));
}

const holdsAny = (pool: Pool, ips: readonly IP[]): boolean => ips.some((ip) => pool.cidrs.some((c) => cidrContains(c, ip)));

/** namespace- or service-not-selected, by the check incompatibility() makes first. */
function selectorVerdict(pool: Pool, svc: ServiceInput): { code: PoolVerdictCode; message: string } | null {
  const why = incompatibility(pool, svc);
  if (why === null) return null;
  const namespaces = pool.serviceAllocation?.namespaces ?? null;
  return { code: namespaces !== null && !namespaces.has(svc.namespace) ? 'namespace-not-selected' : 'service-not-selected', message: why };
}

function fromTrial(pool: Pool, svc: ServiceInput, d: ServiceDecision, chosen: string | null): { code: PoolVerdictCode; message: string; ips: readonly IP[] } {
  switch (d.state) {
    case 'allocated': {
      if (pool.name === chosen) return { code: 'chosen', message: '', ips: d.ips };
      const partial = svc.ipFamilyPolicy === 'PreferDualStack' && svc.families.length === 2 && d.ips.length === 1 ? ' (one family only)' : '';
      return { code: 'usable', message: `${describePool(pool)} could give it ${d.ips.join(', ')}${partial}`, ips: d.ips };
    }
    case 'pending':
      if (d.reason === 'no-matching-pool') return { ...(selectorVerdict(pool, svc) ?? { code: d.reason, message: d.message }), ips: [] };
      return { code: d.reason, message: d.message.replace(/^no address available: /, ''), ips: [] };
    case 'ignored':
      return { code: 'invalid-request', message: d.message, ips: [] };
  }
}

/** One pool's verdict: the annotation and autoAssign first, then the allocator on that pool alone. */
function verdictFor(allocator: Allocator, pool: Pool, tier: PoolTier, svc: ServiceInput, chosen: string | null): PoolVerdict {
  const requested = svc.requestedIPs;
  const named = svc.addressPool;
  const v = (code: PoolVerdictCode, message: string, ips: readonly IP[] = []): PoolVerdict => ({ pool: pool.name, tier, code, message, ips });
  if (requested.length > 0 && !holdsAny(pool, requested)) return v('requested-ips-elsewhere', `${describePool(pool)} holds none of the requested ${requested.join(', ')}`);
  if (requested.length === 0 && named !== null && named !== pool.name) {
    return v('not-the-requested-pool', `the address-pool annotation names pool "${named}", not this one`);
  }
  if (requested.length === 0 && named === null && !pool.autoAssign) return v('auto-assign-disabled', `${describePool(pool)} has autoAssign disabled (name it with the address-pool annotation to use it)`);
  if (requested.length === 0) {
    const excluded = selectorVerdict(pool, svc);
    if (excluded !== null) return v(excluded.code, excluded.message);
  }
  // Requested IPs: the allocator checks them as given. Otherwise: this pool, alone.
  const offered = requested.length > 0 ? svc : { ...svc, addressPool: pool.name };
  const t = fromTrial(pool, svc, trial(allocator, offered), chosen);
  return v(t.code, t.message, t.ips);
}

/**
 * The pools as the allocator weighed them for `key`. `services` are the Services as planned (held
 * addresses in ingressIPs) and `decisions` the plan's. A Service the allocator never reached pool
 * choice for (ignored, invalid request, no pools) has no pool verdicts.
 */
export function explainPools(pools: readonly Pool[], services: readonly ServiceInput[], decisions: readonly ServiceDecision[], key: ServiceKey, options: AllocationOptions): AllocationStory | null {
  const svc = services.find((s) => s.key === key);
  const decision = decisions.find((d) => d.key === key);
  if (svc === undefined || decision === undefined) return null;
  const skipped = decision.state === 'ignored' || (decision.state === 'pending' && (decision.reason === 'invalid-request' || decision.reason === 'no-pools'));
  if (skipped) return { decision, pools: [] };
  const allocator = othersHolding(pools, services, decisions, key, options);
  const chosen = decision.state === 'allocated' ? decision.pool : null;
  const verdicts = orderPools(pools, svc).map(({ pool, tier }) => {
    const verdict = verdictFor(allocator, pool, tier, svc, chosen);
    // The chosen pool always speaks with the decision's words (kept, assigned, shared with).
    return pool.name === chosen && decision.state === 'allocated' ? { ...verdict, code: 'chosen' as const, message: decision.message, ips: decision.ips } : verdict;
  });
  return { decision, pools: verdicts };
}
