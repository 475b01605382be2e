// Who announces what over BGP: for one node, the sessions that run on it and, per Service IP,
// whether the node announces it (and why not), with the advertisements. Pure; MetalLB's
// ShouldAnnounce (reference §7.1, §5) with its reason literals.

import type { BGPAdvertisement, BGPPeer, Config, EndpointSliceInput, NodeInput, Pool, ServiceInput, ServiceKey } from '../../api/model.ts';
import { anySelectorMatches } from '../../api/selector.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { cidrContains } from '../../net/cidr.ts';
import { compareIP, type IP } from '../../net/ip.ts';
import { adMatchesService, adsForNode, buildAdvertisements, localPrefConflict, type Advertisement } from './advertisements.ts';
import { SliceIndex, hasServingEndpoint, sliceOwner, slicesByService, slicesOf, type SlicesByService } from './endpoints.ts';
import { sameItems } from '../../core/same-items.ts';

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

/** A Service's decisions; one (a Service with one address: nearly all) is kept without a list around it. */
type Decided = IPAnnouncement | readonly IPAnnouncement[];
type Remembered = { readonly ips: readonly IP[] | undefined; readonly slices: readonly EndpointSliceInput[]; readonly out: Decided };

/** Keys whose value is not the same object in both maps (walked in step while their orders agree). */
function changedKeys<K, V>(before: ReadonlyMap<K, V>, after: ReadonlyMap<K, V>): Set<K> {
  const changed = new Set<K>();
  const a = before[Symbol.iterator]();
  const b = after[Symbol.iterator]();
  let x = a.next();
  let y = b.next();
  while (!x.done && !y.done) {
    if (x.value[0] === y.value[0]) {
      if (x.value[1] !== y.value[1]) changed.add(y.value[0]);
      x = a.next();
      y = b.next();
    } else if (!after.has(x.value[0])) {
      changed.add(x.value[0]);
      x = a.next();
    } else if (!before.has(y.value[0])) {
      changed.add(y.value[0]);
      y = b.next();
    } else {
      // Another order: compare key by key.
      for (const [k, v] of after) if (before.get(k) !== v) changed.add(k);
      for (const k of before.keys()) if (!after.has(k)) changed.add(k);
      return changed;
    }
  }
  for (; !x.done; x = a.next()) changed.add(x.value[0]);
  for (; !y.done; y = b.next()) changed.add(y.value[0]);
  return changed;
}

/**
 * One node's decisions per Service, for a caller that decides again and again (a speaker, the
 * controller's dry run): a Service whose object, addresses and EndpointSlices are the same as last
 * time gets the same IPAnnouncements, without deciding again, while the pools, advertisements,
 * peers, the node and the options are the same objects. Pass objects that never change (parseInput's).
 */
export class AnnounceCache {
  #context: readonly unknown[] = [];
  #byService = new WeakMap<ServiceInput, Remembered>();
  readonly #slices = new SliceIndex();
  /** The last call's Services (sorted), their announcements and the addresses they were decided with. */
  #last: { readonly services: readonly ServiceInput[]; readonly out: readonly Decided[]; readonly allocations: BGPSnapshot['allocations'] } | null = null;

  decide(snap: BGPSnapshot, node: NodeInput, sessions: readonly BGPPeer[], services: readonly ServiceInput[], context: readonly unknown[]): IPAnnouncement[] {
    if (!sameItems(context, this.#context)) {
      this.#context = context;
      this.#byService = new WeakMap();
      this.#last = null;
    }
    const memo = this.#byService;
    const { index, changed: changedSlices } = this.#slices.update(snap.endpointSlices);
    const decideFor = (svc: ServiceInput): Decided => {
      const ips = snap.allocations.get(svc.key);
      const own = slicesOf(index, svc);
      const hit = memo.get(svc);
      if (hit !== undefined && sameItems(hit.ips, ips) && sameItems(hit.slices, own)) return hit.out;
      const all = announceService(snap, index, node, sessions, svc);
      const out = all.length === 1 ? (all[0] as IPAnnouncement) : all;
      memo.set(svc, { ips, slices: own, out });
      return out;
    };
    const last = this.#last;
    const out: Decided[] = new Array(services.length);
    // Index loops: this runs once per round over every Service, and for-of's iterator results are
    // garbage until the function is optimized.
    if (last === null) {
      for (let i = 0; i < services.length; i += 1) out[i] = decideFor(services[i] as ServiceInput);
    } else {
      // Services at the same place as last time, with the same addresses and slices, are not looked at again.
      const changedIPs = changedKeys(last.allocations, snap.allocations);
      let j = 0;
      for (let i = 0; i < services.length; i += 1) {
        const svc = services[i] as ServiceInput;
        while (j < last.services.length && (last.services[j] as ServiceInput).key < svc.key) j += 1;
        const same = last.services[j] === svc && !changedIPs.has(svc.key) && (changedSlices.size === 0 || !changedSlices.has(sliceOwner(svc)));
        out[i] = same ? (last.out[j] ?? []) : decideFor(svc);
      }
    }
    this.#last = { services, out, allocations: snap.allocations };
    return out.flat();
  }
}

/** What `nodeName` does over BGP in this snapshot. Independent of the order of every list. */
export function announceForNode(snap: BGPSnapshot, nodeName: string, cache?: AnnounceCache): NodeAnnouncement {
  const known = snap.nodes.find((n) => n.name === nodeName);
  const node = known ?? nodeOrDefault([], nodeName);
  const sessions = sessionsOnNode(snap.config.bgpPeers, node);
  const services = [...snap.services].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (cache === undefined) {
    const slices = slicesByService(snap.endpointSlices);
    return { node: nodeName, sessions, ips: services.flatMap((svc) => announceService(snap, slices, node, sessions, svc)) };
  }
  const context = [snap.config.pools, snap.config.bgpAdvertisements, snap.config.bgpPeers, known ?? nodeName, snap.options.ignoreExcludeLB];
  return { node: nodeName, sessions, ips: cache.decide(snap, node, sessions, services, context) };
}
