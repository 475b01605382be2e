// Layer 2 for one Service: the advertisements that apply, the node the election picks (every Node
// counted live) and its interfaces, and for every other Node why it is not eligible. The
// election itself decides; this module only names the rules a ruled-out Node failed. Pure.

import type { ParsedInput } from '../api/input.ts';
import { selectorMatches } from '../api/labels.ts';
import type { L2Advertisement, NodeInput, Pool, ServiceInput } from '../api/model.ts';
import { cidrContains } from '../net/cidr.ts';
import type { IP } from '../net/ip.ts';
import { advertisementsFor, canServe, elect, excludeFromLoadBalancersLabel, type ElectionSnapshot, type NoOwnerReason } from '../speaker/l2/election.ts';

/** Why a Node cannot own the Service, in the order docs/layer2.md lists the rules. */
export const l2NodeReasons = ['not-selected', 'excluded-by-label', 'network-unavailable', 'no-local-endpoint'] as const;
export type L2NodeReason = (typeof l2NodeReasons)[number];

export const l2NodeReasonText: Readonly<Record<L2NodeReason, string>> = {
  'not-selected': 'no L2Advertisement for the Service selects this node by its nodeSelectors',
  'excluded-by-label': `labeled ${excludeFromLoadBalancersLabel}`,
  'network-unavailable': 'its NetworkUnavailable condition is True',
  'no-local-endpoint': 'externalTrafficPolicy is Local and no ready endpoint of the Service runs here',
};

export const noOwnerText: Readonly<Record<NoOwnerReason, string>> = {
  'no-ingress-ip': 'the Service has no address',
  'ip-not-in-pool': 'the address lies in no pool',
  'no-serving-endpoint': 'no endpoint of the Service is ready or serving in its EndpointSlices',
  'no-advertisement': 'no L2Advertisement of the pool selects the Service by its serviceSelectors',
  'shared-ip-with-service-selector': 'the Service shares its address and an L2Advertisement of its pool selects Services by label',
  'no-eligible-node': 'every node is ruled out, see the nodes below',
};

export type L2Node =
  | { readonly node: string; readonly eligible: true; readonly rank: number; readonly score: number }
  | { readonly node: string; readonly eligible: false; readonly reasons: readonly L2NodeReason[] };

export type L2Story =
  /** No L2Advertisement names the pool: L2 is not how this Service is reached. */
  | { readonly applies: false; readonly pool: string | null }
  | {
      readonly applies: true;
      readonly pool: string;
      /** The pool's L2Advertisements that select the Service, sorted. */
      readonly advertisements: readonly string[];
      readonly owner: string | null;
      /** The owner's interfaces: "all", or the names; null without an owner. */
      readonly interfaces: 'all' | readonly string[] | null;
      readonly reason: NoOwnerReason | null;
      /** Every known Node, candidates first (best first), then the others by name; empty when the election stopped before looking at nodes. */
      readonly nodes: readonly L2Node[];
    };

export type L2Options = { readonly ignoreExcludeLB: boolean };

const selectsNode = (ad: L2Advertisement, node: NodeInput): boolean => ad.nodeSelectors.length === 0 || ad.nodeSelectors.some((s) => selectorMatches(s, node.labels));

/** The pool holding every address (the election's and the BGP decision's rule); none for no address. */
export const poolOf = (pools: readonly Pool[], ips: readonly IP[]): Pool | undefined =>
  ips.length === 0 ? undefined : pools.find((p) => ips.every((ip) => p.cidrs.some((c) => cidrContains(c, ip))));

function ruledOut(node: NodeInput, ads: readonly L2Advertisement[], svc: ServiceInput, hosting: ReadonlySet<string>, o: L2Options): L2NodeReason[] {
  const reasons: L2NodeReason[] = [];
  if (!ads.some((ad) => selectsNode(ad, node))) reasons.push('not-selected');
  if (!o.ignoreExcludeLB && Object.hasOwn(node.labels, excludeFromLoadBalancersLabel)) reasons.push('excluded-by-label');
  if (node.networkUnavailable) reasons.push('network-unavailable');
  if (svc.externalTrafficPolicy === 'Local' && !hosting.has(node.name)) reasons.push('no-local-endpoint');
  return reasons;
}

/** The L2 story of `svc` holding `ips` (the addresses the speakers see). */
export function explainL2(input: Pick<ParsedInput, 'config' | 'nodes' | 'endpointSlices'>, svc: ServiceInput, ips: readonly IP[], o: L2Options): L2Story {
  const pool = poolOf(input.config.pools, ips);
  const ofPool = pool === undefined ? [] : input.config.l2Advertisements.filter((ad) => ad.pools.includes(pool.name));
  if (pool === undefined || ofPool.length === 0) return { applies: false, pool: pool?.name ?? null };
  const snap: ElectionSnapshot = { pools: input.config.pools, l2Advertisements: input.config.l2Advertisements, nodes: input.nodes, liveSpeakers: null, ignoreExcludeLB: o.ignoreExcludeLB, excludeInterfaces: [] };
  const endpoints = input.endpointSlices.filter((s) => s.namespace === svc.namespace && s.serviceName === svc.name).flatMap((s) => s.endpoints);
  const electionService = { key: svc.key, labels: svc.labels, sharingKey: svc.sharingKey, externalTrafficPolicy: svc.externalTrafficPolicy, ingressIPs: ips, endpoints };
  const ads = advertisementsFor(snap, electionService);
  const base = { applies: true as const, pool: pool.name, advertisements: ads.map((a) => a.name).sort() };
  // As `plan` and the speakers: an L2 Service is one an advertisement selects; the rest is not L2's business.
  if (ads.length === 0) return { ...base, owner: null, interfaces: null, reason: 'no-advertisement', nodes: [] };
  const e = elect(snap, electionService);
  const reachedNodes = e.kind === 'owner' || e.reason === 'no-eligible-node';
  if (!reachedNodes) return { ...base, owner: null, interfaces: null, reason: e.kind === 'none' ? e.reason : null, nodes: [] };
  const ranking = e.kind === 'owner' ? e.ranking : [];
  const ranked = new Set(ranking.map((r) => r.node));
  const hosting = new Set(endpoints.filter((x) => canServe(x) && x.nodeName !== null).map((x) => x.nodeName as string));
  const others = [...input.nodes].filter((n) => !ranked.has(n.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((n): L2Node => {
    const reasons = ruledOut(n, ads, svc, hosting, o);
    // The election left the node out, so one of its rules must say why.
    if (reasons.length === 0) throw new Error(`L2 election left out node ${n.name} for no known reason`);
    return { node: n.name, eligible: false, reasons };
  });
  const candidates = ranking.map((r, i): L2Node => ({ node: r.node, eligible: true, rank: i + 1, score: r.score }));
  if (e.kind === 'none') return { ...base, owner: null, interfaces: null, reason: e.reason, nodes: others };
  const interfaces = e.interfaces.choice.kind === 'all' ? 'all' : e.interfaces.choice.names;
  return { ...base, owner: e.owner, interfaces, reason: null, nodes: [...candidates, ...others] };
}
