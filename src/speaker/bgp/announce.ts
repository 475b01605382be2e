// Who announces what over BGP: for one node, the sessions that run on it and, per Service IP,
// whether the node announces it (and why not), with the advertisements. Pure; MetalLB's
// ShouldAnnounce (reference §7.1, §5) with its reason literals.

import type { BGPAdvertisement, BGPPeer, Config, EndpointSliceInput, NodeInput, Pool, ServiceInput, ServiceKey } from '../../api/model.ts';
import { anySelectorMatches } from '../../api/selector.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { cidrContains } from '../../net/cidr.ts';
import { compareIP, type IP } from '../../net/ip.ts';
import { adMatchesService, adsForNode, buildAdvertisements, localPrefConflict, type Advertisement } from './advertisements.ts';
import { hasServingEndpoint, slicesByService, slicesOf, type SlicesByService } from './endpoints.ts';

export type { Advertisement } from './advertisements.ts';

/** Why a node does not announce a Service IP, in the order the checks run. */
export const notAnnouncedReasons = [
  'ipNotAllowed',
  'notOwner',
  'noMatchingAdvertisement',
  'conflictingAdvertisements',
  'nodeNetworkUnavailable',
  'nodeLabeledExcludeBalancers',
  'noLocalEndpoints',
  'noEndpoints',
] as const;
export type NotAnnouncedReason = (typeof notAnnouncedReasons)[number];

/** The label that keeps a node from announcing (any value), unless ignoreExcludeLB. */
export const excludeBalancersLabel = 'node.kubernetes.io/exclude-from-external-load-balancers';

export type AnnounceOptions = {
  /** MetalLB's --ignore-exclude-lb: announce from nodes labeled exclude-from-external-load-balancers. */
  readonly ignoreExcludeLB: boolean;
};

/** Everything the decision reads: one consistent view of the cluster. */
export type BGPSnapshot = {
  readonly config: Config;
  readonly services: readonly ServiceInput[];
  /** Addresses per Service (planAllocations, or the Services' status); absent or empty = nothing to announce. */
  readonly allocations: ReadonlyMap<ServiceKey, readonly IP[]>;
  readonly nodes: readonly NodeInput[];
  readonly endpointSlices: readonly EndpointSliceInput[];
  readonly options: AnnounceOptions;
};

export type IPAnnouncement =
  | {
      readonly service: ServiceKey;
      readonly ip: IP;
      readonly announced: true;
      readonly pool: string;
      /** Sorted by prefix's IP, then advertisement name. */
      readonly advertisements: readonly Advertisement[];
    }
  | { readonly service: ServiceKey; readonly ip: IP; readonly announced: false; readonly reason: NotAnnouncedReason };

export type NodeAnnouncement = {
  readonly node: string;
  /** BGPPeers whose session runs on this node (nodeSelectors empty or matching), sorted by name. */
  readonly sessions: readonly BGPPeer[];
  /** One entry per allocated Service IP, sorted by Service key, then IP. */
  readonly ips: readonly IPAnnouncement[];
};

/** A node absent from the snapshot is a node without labels or conditions. */
export const nodeOrDefault = (nodes: readonly NodeInput[], name: string): NodeInput =>
  nodes.find((n) => n.name === name) ?? { name, labels: {}, networkUnavailable: false, addresses: [] };

export const sessionsOnNode = (peers: readonly BGPPeer[], node: NodeInput): BGPPeer[] =>
  peers.filter((p) => anySelectorMatches(p.nodeSelectors, node.labels)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** MetalLB's poolFor: the pool holding every IP of the Service. */
const poolOf = (pools: readonly Pool[], ips: readonly IP[]): Pool | undefined =>
  pools.find((p) => ips.every((ip) => p.cidrs.some((c) => cidrContains(c, ip))));

function decide(snap: BGPSnapshot, slices: SlicesByService, node: NodeInput, svc: ServiceInput, ips: readonly IP[]): Result<{ pool: Pool; ads: BGPAdvertisement[] }, NotAnnouncedReason> {
  const pool = poolOf(snap.config.pools, ips);
  if (pool === undefined) return err('ipNotAllowed');
  const onNode = adsForNode(snap.config.bgpAdvertisements, pool.name, node.labels);
  if (onNode.length === 0) return err('notOwner');
  const ads = onNode.filter((a) => adMatchesService(a, svc));
  if (ads.length === 0) return err('noMatchingAdvertisement');
  if (localPrefConflict(ads, ips)) return err('conflictingAdvertisements');
  if (node.networkUnavailable) return err('nodeNetworkUnavailable');
  if (!snap.options.ignoreExcludeLB && Object.hasOwn(node.labels, excludeBalancersLabel)) return err('nodeLabeledExcludeBalancers');
  const own = slicesOf(slices, svc);
  if (svc.externalTrafficPolicy === 'Local' && !hasServingEndpoint(own, svc, node.name)) return err('noLocalEndpoints');
  if (!hasServingEndpoint(own, svc, null)) return err('noEndpoints');
  return ok({ pool, ads });
}

function announceService(snap: BGPSnapshot, slices: SlicesByService, node: NodeInput, sessions: readonly BGPPeer[], svc: ServiceInput): IPAnnouncement[] {
  const ips = [...new Set(snap.allocations.get(svc.key) ?? [])].sort(compareIP);
  if (ips.length === 0) return [];
  const decision = decide(snap, slices, node, svc, ips);
  return ips.map((ip): IPAnnouncement =>
    decision.ok
      ? { service: svc.key, ip, announced: true, pool: decision.value.pool.name, advertisements: buildAdvertisements(ip, decision.value.ads, sessions) }
      : { service: svc.key, ip, announced: false, reason: decision.error },
  );
}

/** What `nodeName` does over BGP in this snapshot. Independent of the order of every list. */
export function announceForNode(snap: BGPSnapshot, nodeName: string): NodeAnnouncement {
  const node = nodeOrDefault(snap.nodes, nodeName);
  const sessions = sessionsOnNode(snap.config.bgpPeers, node);
  const services = [...snap.services].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const slices = slicesByService(snap.endpointSlices);
  return { node: nodeName, sessions, ips: services.flatMap((svc) => announceService(snap, slices, node, sessions, svc)) };
}
