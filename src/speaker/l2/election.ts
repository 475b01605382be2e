// Which node answers ARP/NDP for a Service: MetalLB's stateless election (reference §6.1) so a
// mixed MetalLB/barelb rollout agrees, with preferredNodeSelectors scored per advertisement.

import { createHash } from 'node:crypto';
import { selectorMatches } from '../../api/labels.ts';
import type { Endpoint, L2Advertisement, NodeInput, Pool, ServiceInput, ServiceKey } from '../../api/model.ts';
import { cidrContains } from '../../net/cidr.ts';
import type { IP } from '../../net/ip.ts';
import type { InterfaceFilter } from './interfaces.ts';

export const excludeFromLoadBalancersLabel = 'node.kubernetes.io/exclude-from-external-load-balancers';

/** Everything the election reads; the same snapshot gives the same answer on every node. */
export type ElectionSnapshot = {
  readonly pools: readonly Pool[];
  readonly l2Advertisements: readonly L2Advertisement[];
  readonly nodes: readonly NodeInput[];
  /** Nodes whose speaker is alive (heartbeats); null = no membership, every known node counts. */
  readonly liveSpeakers: ReadonlySet<string> | null;
  /** --ignore-exclude-lb: keep nodes labelled exclude-from-external-load-balancers. */
  readonly ignoreExcludeLB: boolean;
  /** Node-wide interface exclusions, copied into every owner's filter. */
  readonly excludeInterfaces: readonly RegExp[];
};

export type ElectionService = Pick<ServiceInput, 'key' | 'labels' | 'sharingKey' | 'externalTrafficPolicy' | 'ingressIPs'> & {
  /** The endpoints of all the Service's EndpointSlices. */
  readonly endpoints: readonly Endpoint[];
};

export const noOwnerReasons = [
  'no-ingress-ip',
  'ip-not-in-pool',
  'no-serving-endpoint',
  'no-advertisement',
  'shared-ip-with-service-selector',
  'no-eligible-node',
] as const;
export type NoOwnerReason = (typeof noOwnerReasons)[number];

export type RankedNode = { readonly node: string; readonly score: number };

export type Election =
  | {
      readonly kind: 'owner';
      readonly service: ServiceKey;
      readonly ips: readonly IP[];
      readonly owner: string;
      /** Interfaces the owner announces on: the union over the advertisements that select it. */
      readonly interfaces: InterfaceFilter;
      /** All candidates, best first: who takes over next. */
      readonly ranking: readonly RankedNode[];
    }
  | { readonly kind: 'none'; readonly service: ServiceKey; readonly reason: NoOwnerReason };

/** discovery.k8s.io/v1: an endpoint can serve when ready, or serving while terminating (reference §5). */
export const canServe = (e: Endpoint): boolean => e.ready || e.serving;

/** The advertisement's node set: empty nodeSelectors select every node. */
const selectsNode = (ad: L2Advertisement, node: NodeInput): boolean =>
  ad.nodeSelectors.length === 0 || ad.nodeSelectors.some((s) => selectorMatches(s, node.labels));

/** The pool holding every ingress IP, if one does. */
function poolOf(pools: readonly Pool[], ips: readonly IP[]): Pool | undefined {
  return pools.find((p) => ips.every((ip) => p.cidrs.some((c) => cidrContains(c, ip))));
}

/** Step 2: advertisements of the pool whose serviceSelectors are empty or match. */
function adsForService(snap: Pick<ElectionSnapshot, 'l2Advertisements'>, pool: Pool, svc: Pick<ElectionService, 'labels'>): L2Advertisement[] {
  return snap.l2Advertisements.filter(
    (ad) => ad.pools.includes(pool.name) && (ad.serviceSelectors.length === 0 || ad.serviceSelectors.some((s) => selectorMatches(s, svc.labels))),
  );
}

/** The L2Advertisements that apply to `svc` (its pool's, selecting it); empty = L2 does not apply. */
export function advertisementsFor(snap: Pick<ElectionSnapshot, 'pools' | 'l2Advertisements'>, svc: Pick<ElectionService, 'ingressIPs' | 'labels'>): L2Advertisement[] {
  const pool = poolOf(snap.pools, svc.ingressIPs);
  return svc.ingressIPs.length === 0 || pool === undefined ? [] : adsForService(snap, pool, svc);
}

/** Step 5: live speakers, not NetworkUnavailable, not excluded, selected by at least one ad. */
function usableNodes(snap: ElectionSnapshot, ads: readonly L2Advertisement[]): NodeInput[] {
  return snap.nodes.filter(
    (n) =>
      (snap.liveSpeakers === null || snap.liveSpeakers.has(n.name)) &&
      !n.networkUnavailable &&
      (snap.ignoreExcludeLB || !Object.hasOwn(n.labels, excludeFromLoadBalancersLabel)) &&
      ads.some((ad) => selectsNode(ad, n)),
  );
}

/** Step 6: with externalTrafficPolicy Local, only nodes running a serving endpoint. */
function withLocalEndpoints(nodes: readonly NodeInput[], endpoints: readonly Endpoint[]): NodeInput[] {
  const hosting = new Set(endpoints.filter((e) => canServe(e) && e.nodeName !== null).map((e) => e.nodeName));
  return nodes.filter((n) => hosting.has(n.name));
}

/** An ad's preferences count only for nodes the ad itself selects; weights add up within and across ads. */
export function preferenceScore(ads: readonly L2Advertisement[], node: NodeInput): number {
  let score = 0;
  for (const ad of ads) {
    if (!selectsNode(ad, node)) continue;
    for (const p of ad.preferredNodeSelectors) if (selectorMatches(p.preference, node.labels)) score += p.weight;
  }
  return score;
}

/** Step 8: score descending, then SHA-256("<node>#<first IP>") bytewise ascending. */
export function rankNodes(ads: readonly L2Advertisement[], nodes: readonly NodeInput[], firstIP: IP): RankedNode[] {
  const keyed = nodes.map((n) => ({
    node: n.name,
    score: preferenceScore(ads, n),
    hash: createHash('sha256').update(`${n.name}#${firstIP}`).digest(),
  }));
  keyed.sort((a, b) => b.score - a.score || Buffer.compare(a.hash, b.hash));
  return keyed.map(({ node, score }) => ({ node, score }));
}

/** Union of the interfaces of the ads selecting `owner`; one ad without interfaces means all. */
function interfacesFor(snap: ElectionSnapshot, ads: readonly L2Advertisement[], owner: NodeInput): InterfaceFilter {
  const names = new Set<string>();
  for (const ad of ads.filter((a) => selectsNode(a, owner))) {
    if (ad.interfaces.kind === 'all') return { choice: { kind: 'all' }, exclude: snap.excludeInterfaces };
    for (const name of ad.interfaces.names) names.add(name);
  }
  return { choice: { kind: 'only', names: [...names].sort() }, exclude: snap.excludeInterfaces };
}

/** Elects the node that announces `svc`'s ingress IPs, or says why nobody does. */
export function elect(snap: ElectionSnapshot, svc: ElectionService): Election {
  const none = (reason: NoOwnerReason): Election => ({ kind: 'none', service: svc.key, reason });
  const firstIP = svc.ingressIPs[0];
  if (firstIP === undefined) return none('no-ingress-ip');
  const pool = poolOf(snap.pools, svc.ingressIPs);
  if (pool === undefined) return none('ip-not-in-pool');
  if (!svc.endpoints.some(canServe)) return none('no-serving-endpoint');
  const ads = adsForService(snap, pool, svc);
  if (ads.length === 0) return none('no-advertisement');
  const sharing = svc.sharingKey !== null && svc.sharingKey !== '';
  if (sharing && ads.some((ad) => ad.serviceSelectors.length > 0)) return none('shared-ip-with-service-selector');
  let candidates = usableNodes(snap, ads);
  if (svc.externalTrafficPolicy === 'Local') candidates = withLocalEndpoints(candidates, svc.endpoints);
  const ranking = rankNodes(ads, candidates, firstIP);
  const winner = ranking[0];
  if (winner === undefined) return none('no-eligible-node');
  const owner = candidates.find((n) => n.name === winner.node) as NodeInput;
  return { kind: 'owner', service: svc.key, ips: svc.ingressIPs, owner: winner.node, interfaces: interfacesFor(snap, ads, owner), ranking };
}
