// Which BGPAdvertisements apply to a Service on a node, whether their LOCAL_PREFs conflict,
// and the advertisements that result: prefix, LOCAL_PREF, communities and target peers.

import type { BGPAdvertisement, BGPPeer, Community, ServiceInput } from '../../api/model.ts';
import { anySelectorMatches } from '../../api/selector.ts';
import type { Labels } from '../../api/labels.ts';
import { maskIP, type Cidr } from '../../net/cidr.ts';
import { ipFamily, type Family, type IP } from '../../net/ip.ts';
import { sortCommunities } from './communities.ts';
import { keptList } from '../../core/kept-list.ts';

/** One BGP advertisement of one Service IP from one node. */
export type Advertisement = {
  /** The BGPAdvertisement it comes from. */
  readonly advertisement: string;
  /** The IP masked to aggregationLength (IPv4) or aggregationLengthV6 (IPv6). */
  readonly prefix: Cidr;
  readonly localPref: number | null;
  /** Sorted: standard before large, numerically. */
  readonly communities: readonly Community[];
  /** BGPPeers with a session on this node that it goes to (named by the advertisement, carrying the family), sorted; may be empty. */
  readonly peers: readonly string[];
};

/** IPv4 before IPv6, then by address, then shorter prefix first. */
export const comparePrefix = (a: Cidr, b: Cidr): number =>
  a.family !== b.family ? (a.family === 'ipv4' ? -1 : 1) : a.base < b.base ? -1 : a.base > b.base ? 1 : a.prefixLen - b.prefixLen;

const byName = <T extends { readonly name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** BGP advertisements of `pool` whose node selectors take this node, sorted by name. */
export const adsForNode = (ads: readonly BGPAdvertisement[], pool: string, node: Labels): BGPAdvertisement[] =>
  ads.filter((a) => a.pools.includes(pool) && anySelectorMatches(a.nodeSelectors, node)).sort(byName);

export const adMatchesService = (ad: BGPAdvertisement, svc: ServiceInput): boolean => anySelectorMatches(ad.serviceSelectors, svc.labels);

function peersOverlap(a: BGPAdvertisement, b: BGPAdvertisement): boolean {
  if (a.peers.kind === 'all' || b.peers.kind === 'all') return true;
  const other = new Set(b.peers.names);
  return a.peers.names.some((n) => other.has(n));
}

/**
 * Two matching advertisements conflict when their LOCAL_PREFs differ, they can reach the same
 * peer, and some IP of the Service gets the same prefix length from both (the runtime half of
 * MetalLB's rule; the nodes are the same by construction).
 */
export function localPrefConflict(ads: readonly BGPAdvertisement[], ips: readonly IP[]): boolean {
  const length = (ad: BGPAdvertisement, ip: IP): number => (ipFamily(ip) === 'ipv4' ? ad.aggregationLength : ad.aggregationLengthV6);
  for (let j = 0; j < ads.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = ads[i];
      const b = ads[j];
      if (a === undefined || b === undefined || a.localPref === b.localPref || !peersOverlap(a, b)) continue;
      if (ips.some((ip) => length(a, ip) === length(b, ip))) return true;
    }
  }
  return false;
}

/** Address families a session carries: its address's, or both when unnumbered or dualStackAddressFamily. */
export function peerFamilies(peer: BGPPeer): Family[] {
  if (peer.target.kind === 'interface' || peer.dualStackAddressFamily) return ['ipv4', 'ipv6'];
  return [ipFamily(peer.target.address)];
}

/** The peers of `sessions` (sorted by name) that an advertisement of a `family` prefix goes to. */
export function targetPeers(ad: BGPAdvertisement, sessions: readonly BGPPeer[], family: Family): string[] {
  return sessions
    .filter((s) => peerFamilies(s).includes(family) && (ad.peers.kind === 'all' || ad.peers.names.includes(s.name)))
    .map((s) => s.name);
}

/** One advertisement per IP and matching BGPAdvertisement, in IP order, then advertisement name. */
export function buildAdvertisements(ip: IP, ads: readonly BGPAdvertisement[], sessions: readonly BGPPeer[]): Advertisement[] {
  const family = ipFamily(ip);
  return ads.map((ad) => {
    const same = sharedLists(ad, sessions);
    let peers = same.peers.get(family);
    if (peers === undefined) same.peers.set(family, (peers = keptList(targetPeers(ad, sessions, family))));
    return {
      advertisement: ad.name,
      prefix: maskIP(ip, family === 'ipv4' ? ad.aggregationLength : ad.aggregationLengthV6),
      localPref: ad.localPref,
      communities: same.communities,
      peers,
    };
  });
}

/**
 * The communities and target peers of one advertisement over one set of sessions: the same for
 * every Service it applies to, so one list each, shared (announcements are kept per Service: two
 * lists of their own were ~110 bytes a Service at 10 000).
 */
type SharedLists = { readonly sessions: readonly BGPPeer[]; readonly communities: readonly Community[]; readonly peers: Map<Family, readonly string[]> };
const shared = new WeakMap<BGPAdvertisement, SharedLists>();

function sharedLists(ad: BGPAdvertisement, sessions: readonly BGPPeer[]): SharedLists {
  const hit = shared.get(ad);
  if (hit !== undefined && hit.sessions === sessions) return hit;
  const made = { sessions, communities: keptList(sortCommunities(ad.communities)), peers: new Map<Family, readonly string[]>() };
  shared.set(ad, made);
  return made;
}
