// Which Services the allocator handles at all, and the deterministic order it handles them in:
// oldest creationTimestamp first (missing or unparseable last), then namespace/name.

import type { ServiceInput } from '../api/model.ts';
import type { AllocationOptions, ServiceDecision } from './decision.ts';

/**
 * Whether barelb serving `lbClass` (null: Services without a class) handles the Service at all:
 * the controller allocates only these, and speakers announce only these.
 */
export const servedBy = (svc: ServiceInput, lbClass: string | null): boolean => svc.type === 'LoadBalancer' && svc.loadBalancerClass === lbClass;

/** Why a Service that is not servedBy(lbClass) is not. */
function notServed(svc: ServiceInput, lbClass: string | null): string {
  if (svc.type !== 'LoadBalancer') return `type is ${svc.type}; only LoadBalancer Services get an address`;
  const handled = lbClass === null ? 'Services without a class' : `class "${lbClass}"`;
  const has = svc.loadBalancerClass === null ? 'no loadBalancerClass' : `loadBalancerClass "${svc.loadBalancerClass}"`;
  return `the Service has ${has}; this controller handles ${handled}`;
}

/** The decision for a Service that never reaches pool choice, or null when it does. */
export function screen(svc: ServiceInput, options: AllocationOptions, hasPools: boolean): ServiceDecision | null {
  const key = svc.key;
  if (!servedBy(svc, options.loadBalancerClass)) return { state: 'ignored', key, message: notServed(svc, options.loadBalancerClass) };
  if (svc.requestError !== null) return { state: 'pending', key, reason: 'invalid-request', message: svc.requestError };
  if (!hasPools) {
    return { state: 'pending', key, reason: 'no-pools', message: 'no IPAddressPool is configured; any address the Service held is released' };
  }
  return null;
}

function timeOf(svc: ServiceInput): number {
  const t = svc.creationTimestamp === null ? NaN : Date.parse(svc.creationTimestamp);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/** A sorted copy, oldest first, then by key. Each timestamp is parsed once. */
export function sortByAge(services: readonly ServiceInput[]): ServiceInput[] {
  const rows = services.map((svc) => ({ svc, t: timeOf(svc) }));
  rows.sort((a, b) => (a.t !== b.t ? (a.t < b.t ? -1 : 1) : a.svc.key < b.svc.key ? -1 : a.svc.key > b.svc.key ? 1 : 0));
  return rows.map((r) => r.svc);
}
