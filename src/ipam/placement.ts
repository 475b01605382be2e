// Where a Service's addresses go: checking a given set of IPs (requested, or held before a
// restart; MetalLB's Assign, §4.2/§4.4) and choosing the lowest usable addresses (§4.3).

import type { ServiceInput } from '../api/model.ts';
import { err, ok, type Result } from '../core/result.ts';
import { bigIntToIP, ipFamily, ipToBigInt, type Family, type IP } from '../net/ip.ts';
import { checkIPFamilies, type FamilyNeed } from './family-policy.ts';
import type { CidrSpace } from './free-space.ts';
import { candidatesFor, describePool, incompatibility, noAddressRejection, type PoolNote } from './pool-choice.ts';
import { poolHasFamily, type PoolSet, type PoolState } from './pool-set.ts';
import { reject, type Rejection } from './reasons.ts';
import type { SharingIndex } from './sharing.ts';

export type Pick = { readonly ip: IP; readonly space: CidrSpace; readonly value: bigint };
/** Addresses for one Service, all from one pool, primary family first. */
export type Placement = { readonly pool: PoolState; readonly picks: readonly Pick[] };

export type Context = { readonly pools: PoolSet; readonly sharing: SharingIndex };

/** Locates each IP in one pool and checks pool, annotation, compatibility and sharing. */
export function placeGiven(ctx: Context, svc: ServiceInput, need: FamilyNeed, ips: readonly IP[]): Result<Placement, Rejection> {
  const familyProblem = checkIPFamilies(need, ips);
  if (familyProblem !== null) return err(familyProblem);
  const picks: Pick[] = [];
  let pool: PoolState | undefined;
  for (const ip of ips) {
    const value = ipToBigInt(ip);
    const at = ctx.pools.locate(ipFamily(ip), value);
    if (at === undefined) return err(reject('ip-not-in-any-pool', `${ip} is in no pool`));
    if (!at.space.allows(value)) {
      return err(reject('ip-not-in-any-pool', `${ip} ends in .0 or .255 and ${describePool(at.pool.pool)} has avoidBuggyIPs`));
    }
    if (pool !== undefined && pool !== at.pool) {
      return err(reject('ips-in-different-pools', `${ips.join(' and ')} are in ${describePool(pool.pool)} and ${describePool(at.pool.pool)}; both must come from one pool`));
    }
    pool = at.pool;
    picks.push({ ip, space: at.space, value });
  }
  if (pool === undefined) return err(reject('invalid-request', 'no IP given'));
  const annotated = svc.addressPool;
  if (annotated !== null && annotated !== pool.pool.name) {
    if (!ctx.pools.byName.has(annotated)) {
      return err(reject('pool-not-found', `the address-pool annotation names pool "${annotated}", which does not exist`));
    }
    return err(reject('ip-not-in-requested-pool', `${ips.join(', ')} is in ${describePool(pool.pool)}, not in pool "${annotated}" named by the address-pool annotation`));
  }
  const why = incompatibility(pool.pool, svc);
  if (why !== null) return err(reject('no-matching-pool', `${ips.join(', ')}: ${why}`));
  for (const p of picks) {
    const conflict = ctx.sharing.check(p.ip, svc);
    if (conflict !== null) return err(conflict);
  }
  return ok({ pool, picks });
}

/** The lowest usable address of the family: CIDRs in configured order, free or joinable. */
export function lowestUsable(ctx: Context, pool: PoolState, family: Family, svc: ServiceInput): Pick | null {
  for (const space of pool.spaces) {
    if (space.family !== family) continue;
    const free = space.lowestFree();
    const shared = ctx.sharing.lowestSharedIn(space, svc);
    const value = free === null ? shared : shared === null || free < shared ? free : shared;
    if (value !== null) return { ip: bigIntToIP(value, family), space, value };
  }
  return null;
}

function noteFor(p: PoolState, need: FamilyNeed, found: readonly (Pick | null | undefined)[]): PoolNote {
  const parts: string[] = [];
  let absent = false;
  let full = false;
  for (const [i, f] of need.wanted.entries()) {
    if (found[i] === undefined) { absent = true; parts.push(`has no ${f} addresses`); }
    else if (found[i] === null) { full = true; parts.push(`exhausted for ${f}`); }
  }
  const exhausted = need.all ? !absent : full;
  return { kind: exhausted ? 'exhausted' : 'no-family', text: `${describePool(p.pool)} ${parts.join(', ')}` };
}

/** The first pool of the list that fits; PreferDualStack falls back to a primary-, then secondary-only pool. */
function pickFrom(ctx: Context, list: readonly PoolState[], svc: ServiceInput, need: FamilyNeed, notes: PoolNote[]): Placement | null {
  let primaryOnly: Placement | null = null;
  let secondaryOnly: Placement | null = null;
  for (const pool of list) {
    // undefined: the pool has no CIDR of the family; null: it has, all in use.
    const found = need.wanted.map((f) => (poolHasFamily(pool, f) ? lowestUsable(ctx, pool, f, svc) : undefined));
    const picks = found.filter((p): p is Pick => p !== null && p !== undefined);
    if (picks.length === need.wanted.length) return { pool, picks };
    if (!need.all && picks.length === 1) {
      if (found[0]) primaryOnly ??= { pool, picks };
      else secondaryOnly ??= { pool, picks };
    }
    notes.push(noteFor(pool, need, found));
  }
  return primaryOnly ?? secondaryOnly;
}

/** Automatic allocation: candidate lists in order, lowest usable addresses in the first pool that fits. */
export function placeAutomatically(ctx: Context, svc: ServiceInput, need: FamilyNeed): Result<Placement, Rejection> {
  const candidates = candidatesFor(ctx.pools, svc);
  if (!candidates.ok) return candidates;
  const notes: PoolNote[] = [];
  for (const list of candidates.value.lists) {
    const placed = pickFrom(ctx, list, svc, need, notes);
    if (placed !== null) return ok(placed);
  }
  return err(noAddressRejection([...notes, ...candidates.value.excluded]));
}
