// BGP for one Service: per known Node, whether it announces the Service's addresses (the speaker's
// own decision, announceForNode), its sessions, and each advertisement with its prefix, peers
// and attributes; or the reason it does not announce. Pure.

import type { ParsedInput } from '../api/input.ts';
import { communityText, type ServiceInput } from '../api/model.ts';
import type { IP } from '../net/ip.ts';
import { announceForNode, excludeBalancersLabel, type BGPSnapshot, type NotAnnouncedReason } from '../speaker/bgp/announce.ts';
import { poolOf } from './l2.ts';

export const notAnnouncedText: Readonly<Record<NotAnnouncedReason, string>> = {
  ipNotAllowed: 'the address lies in no pool',
  notOwner: 'no BGPAdvertisement of the pool selects this node by its nodeSelectors',
  noMatchingAdvertisement: 'no BGPAdvertisement selecting this node selects the Service by its serviceSelectors',
  conflictingAdvertisements: 'two BGPAdvertisements give the same prefix different LOCAL_PREFs towards one peer',
  nodeNetworkUnavailable: 'its NetworkUnavailable condition is True',
  nodeLabeledExcludeBalancers: `labeled ${excludeBalancersLabel}`,
  noLocalEndpoints: 'externalTrafficPolicy is Local and no ready endpoint of the Service runs here',
  noEndpoints: 'no endpoint of the Service is ready or serving in its EndpointSlices',
};

/** One prefix from one BGPAdvertisement, as the node sends it. */
export type BGPRoute = {
  readonly advertisement: string;
  readonly prefix: string;
  /** aggregationLength (IPv4) or aggregationLengthV6 (IPv6): the prefix length. */
  readonly aggregationLength: number;
  readonly localPref: number | null;
  /** RFC 1997, "A:B", sorted. */
  readonly communities: readonly string[];
  /** RFC 8092, "A:B:C" (without "large:"), sorted. */
  readonly largeCommunities: readonly string[];
  /** Sessions on this node it goes to, sorted; empty = it reaches no peer. */
  readonly peers: readonly string[];
};

export type BGPNode =
  | { readonly node: string; readonly announced: true; readonly sessions: readonly string[]; readonly routes: readonly BGPRoute[] }
  | { readonly node: string; readonly announced: false; readonly sessions: readonly string[]; readonly reason: NotAnnouncedReason };

export type BGPStory =
  /** No BGPAdvertisement names the pool: BGP is not how this Service is reached. */
  | { readonly applies: false; readonly pool: string | null }
  | {
      readonly applies: true;
      readonly pool: string;
      /** The pool's BGPAdvertisements, sorted (whether they select the Service is per node). */
      readonly advertisements: readonly string[];
      /** Every known Node, by name. */
      readonly nodes: readonly BGPNode[];
    };

export type BGPOptions = { readonly ignoreExcludeLB: boolean };

/** The BGP story of `svc` holding `ips` (the addresses the speakers see). */
export function explainBGP(input: Pick<ParsedInput, 'config' | 'nodes' | 'endpointSlices'>, svc: ServiceInput, ips: readonly IP[], o: BGPOptions): BGPStory {
  const pool = poolOf(input.config.pools, ips);
  const ofPool = pool === undefined ? [] : input.config.bgpAdvertisements.filter((ad) => ad.pools.includes(pool.name));
  if (pool === undefined || ofPool.length === 0) return { applies: false, pool: pool?.name ?? null };
  // Only this Service: a node's decision for one Service never depends on the others.
  const snap: BGPSnapshot = {
    config: input.config,
    services: [svc],
    allocations: new Map([[svc.key, ips]]),
    nodes: input.nodes,
    endpointSlices: input.endpointSlices,
    options: { ignoreExcludeLB: o.ignoreExcludeLB },
  };
  const names = [...new Set(input.nodes.map((n) => n.name))].sort();
  const nodes = names.map((name): BGPNode => {
    const a = announceForNode(snap, name);
    const sessions = a.sessions.map((p) => p.name);
    const notAnnounced = a.ips.find((e) => !e.announced);
    if (notAnnounced !== undefined && !notAnnounced.announced) return { node: name, announced: false, sessions, reason: notAnnounced.reason };
    const routes = a.ips.flatMap((e) =>
      e.announced
        ? e.advertisements.map((ad): BGPRoute => ({
            advertisement: ad.advertisement,
            prefix: ad.prefix.text,
            aggregationLength: ad.prefix.prefixLen,
            localPref: ad.localPref,
            communities: ad.communities.filter((c) => c.kind === 'standard').map(communityText),
            largeCommunities: ad.communities.filter((c) => c.kind === 'large').map((c) => communityText(c).replace(/^large:/, '')),
            peers: ad.peers,
          }))
        : [],
    );
    return { node: name, announced: true, sessions, routes };
  });
  return { applies: true, pool: pool.name, advertisements: ofPool.map((a) => a.name).sort(), nodes };
}

/** A node "announces" only when some route reaches a peer. */
export const reachesAPeer = (n: BGPNode): boolean => n.announced && n.routes.some((r) => r.peers.length > 0);
