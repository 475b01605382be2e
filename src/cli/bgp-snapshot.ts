// The BGP view of a set of manifests for the CLI: parsed input plus the allocation plan as one
// snapshot (the same one the speaker builds from the cluster).

import type { ParsedInput } from '../api/input.ts';
import type { ServiceKey } from '../api/model.ts';
import type { AllocationPlan } from '../ipam/plan.ts';
import type { IP } from '../net/ip.ts';
import type { BGPSnapshot } from '../speaker/bgp/announce.ts';

export function allocatedIPs(plan: AllocationPlan): Map<ServiceKey, readonly IP[]> {
  return new Map(plan.services.flatMap((d) => (d.state === 'allocated' ? [[d.key, d.ips] as const] : [])));
}

export function bgpSnapshot(parsed: ParsedInput, plan: AllocationPlan, ignoreExcludeLB: boolean): BGPSnapshot {
  return {
    config: parsed.config,
    services: parsed.services,
    allocations: allocatedIPs(plan),
    nodes: parsed.nodes,
    endpointSlices: parsed.endpointSlices,
    options: { ignoreExcludeLB },
  };
}
