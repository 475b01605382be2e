// The allocator's output types: one decision per Service and exact counters per pool.

import type { ServiceKey } from '../api/model.ts';
import type { IP } from '../net/ip.ts';
import type { PendingReason } from './reasons.ts';

export type AllocationOptions = {
  /** The class this controller handles; null = only Services without a loadBalancerClass. */
  readonly loadBalancerClass: string | null;
};

export type ServiceDecision =
  | {
      readonly state: 'allocated';
      readonly key: ServiceKey;
      /** Primary family (service.families[0]) first. */
      readonly ips: readonly IP[];
      readonly pool: string;
      readonly message: string;
    }
  | { readonly state: 'pending'; readonly key: ServiceKey; readonly reason: PendingReason; readonly message: string }
  | { readonly state: 'ignored'; readonly key: ServiceKey; readonly message: string };

/** Exact address counts; a shared IP counts once. available = capacity - assigned. */
export type PoolStats = {
  readonly name: string;
  readonly assignedIPv4: bigint;
  readonly assignedIPv6: bigint;
  readonly availableIPv4: bigint;
  readonly availableIPv6: bigint;
};

export type AllocationPlan = {
  /** Sorted by key. */
  readonly services: readonly ServiceDecision[];
  /** Sorted by name. */
  readonly pools: readonly PoolStats[];
};
