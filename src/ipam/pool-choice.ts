// Which pools a Service may take an address from, in the order they are tried (MetalLB §4.3),
// made deterministic: pinned pools by priority (positive ascending, 0 last) then name, then
// fallback pools by name. Also the per-pool notes that explain a pending Service.

import type { Pool, ServiceInput } from '../api/model.ts';
import { selectorMatches, selectorText } from '../api/labels.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { PoolSet, PoolState } from './pool-set.ts';
import { reject, type PendingReason, type Rejection } from './reasons.ts';

export type PoolNoteKind = 'exhausted' | 'no-family' | 'excluded';
/** Why one pool gave the Service nothing; `text` names the pool. */
export type PoolNote = { readonly kind: PoolNoteKind; readonly text: string };

export type Candidates = {
  /** Tried in order: a later list is used only when no pool of an earlier one fits. */
  readonly lists: readonly (readonly PoolState[])[];
  /** Pools that were not candidates at all, and why. */
  readonly excluded: readonly PoolNote[];
};

export type PoolSubject = Pick<ServiceInput, 'namespace' | 'labels' | 'addressPool'>;

export function describePool(pool: Pool): string {
  const priority = pool.serviceAllocation?.priority ?? 0;
  return priority > 0 ? `pool "${pool.name}" (priority ${priority})` : `pool "${pool.name}"`;
}

/** null when the pool's serviceAllocation admits the Service (autoAssign is not considered). */
export function incompatibility(pool: Pool, svc: PoolSubject): string | null {
  const sa = pool.serviceAllocation;
  if (sa === null) return null;
  if (sa.namespaces !== null && !sa.namespaces.has(svc.namespace)) {
    return `${describePool(pool)} is for namespaces [${[...sa.namespaces].sort().join(', ')}]`;
  }
  if (sa.serviceSelectors.length > 0 && !sa.serviceSelectors.some((s) => selectorMatches(s, svc.labels))) {
    return `${describePool(pool)} is for services matching {${sa.serviceSelectors.map(selectorText).join('} or {')}}`;
  }
  return null;
}

const rank = (p: Pool): number => {
  const priority = p.serviceAllocation?.priority ?? 0;
  return priority > 0 ? priority : Number.POSITIVE_INFINITY;
};

/** Orders pinned pools: positive priorities ascending, 0 after them, ties by name. */
export function byPriority(a: PoolState, b: PoolState): number {
  const d = rank(a.pool) - rank(b.pool);
  if (d !== 0 && !Number.isNaN(d)) return d < 0 ? -1 : 1;
  return a.pool.name < b.pool.name ? -1 : a.pool.name > b.pool.name ? 1 : 0;
}

export function candidatesFor(pools: PoolSet, svc: PoolSubject): Result<Candidates, Rejection> {
  if (svc.addressPool !== null) {
    const named = pools.byName.get(svc.addressPool);
    if (named === undefined) {
      const known = pools.sorted.map((p) => p.pool.name).join(', ');
      return err(reject('pool-not-found', `the address-pool annotation names pool "${svc.addressPool}", which does not exist (pools: ${known})`));
    }
    const why = incompatibility(named.pool, svc);
    return ok(why === null ? { lists: [[named]], excluded: [] } : { lists: [], excluded: [{ kind: 'excluded', text: why }] });
  }
  const pinned: PoolState[] = [];
  const fallback: PoolState[] = [];
  const excluded: PoolNote[] = [];
  for (const p of pools.sorted) {
    const why = p.pool.autoAssign ? incompatibility(p.pool, svc) : `${describePool(p.pool)} has autoAssign disabled`;
    if (why !== null) excluded.push({ kind: 'excluded', text: why });
    else (p.pool.serviceAllocation === null ? fallback : pinned).push(p);
  }
  pinned.sort(byPriority);
  return ok({ lists: [pinned, fallback], excluded });
}

/** The most specific reason: a full matching pool beats a family mismatch beats no matching pool. */
export function noAddressRejection(notes: readonly PoolNote[]): Rejection {
  const reason: PendingReason = notes.some((n) => n.kind === 'exhausted')
    ? 'pool-exhausted'
    : notes.some((n) => n.kind === 'no-family')
      ? 'family-mismatch'
      : 'no-matching-pool';
  return reject(reason, `no address available: ${notes.map((n) => n.text).join('; ')}`);
}
