// Every L2 Service's election from one view of the cluster: the speaker's (with the live
// speakers from heartbeats) and `barelb plan`'s (every Node in the manifests counted live).

import type { ParsedInput } from '../../api/input.ts';
import type { Endpoint, ServiceInput, ServiceKey } from '../../api/model.ts';
import type { IP } from '../../net/ip.ts';
import { advertisementsFor, elect, type Election, type ElectionService, type ElectionSnapshot } from './election.ts';

export type L2ElectionInput = {
  readonly input: Pick<ParsedInput, 'config' | 'services' | 'nodes' | 'endpointSlices'>;
  /** The controller's addresses per Service; a Service without any is not elected. */
  readonly allocations: ReadonlyMap<ServiceKey, readonly IP[]>;
  /** Speakers alive now (heartbeats); null = every known Node counts. */
  readonly liveSpeakers: ReadonlySet<string> | null;
  readonly ignoreExcludeLB: boolean;
  readonly excludeInterfaces: readonly RegExp[];
};

function snapshotOf(i: L2ElectionInput): ElectionSnapshot {
  return {
    pools: i.input.config.pools,
    l2Advertisements: i.input.config.l2Advertisements,
    nodes: i.input.nodes,
    liveSpeakers: i.liveSpeakers,
    ignoreExcludeLB: i.ignoreExcludeLB,
    excludeInterfaces: i.excludeInterfaces,
  };
}

/** The endpoints of every EndpointSlice labelled with the Service's name, in its namespace. */
function endpointsOf(i: L2ElectionInput, svc: ServiceInput): Endpoint[] {
  return i.input.endpointSlices.filter((s) => s.namespace === svc.namespace && s.serviceName === svc.name).flatMap((s) => s.endpoints);
}

/** Services with addresses, as the election reads them, in key order. */
function electionServices(i: L2ElectionInput): ElectionService[] {
  const out: ElectionService[] = [];
  for (const svc of i.input.services) {
    const ips = i.allocations.get(svc.key) ?? [];
    if (ips.length === 0) continue;
    out.push({ key: svc.key, labels: svc.labels, sharingKey: svc.sharingKey, externalTrafficPolicy: svc.externalTrafficPolicy, ingressIPs: ips, endpoints: endpointsOf(i, svc) });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** One election per Service to which an L2Advertisement applies (others are not L2's business). */
export function electL2(i: L2ElectionInput): Election[] {
  const snap = snapshotOf(i);
  return electionServices(i).filter((svc) => advertisementsFor(snap, svc).length > 0).map((svc) => elect(snap, svc));
}
