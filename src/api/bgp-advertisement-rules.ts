// Rules across BGPAdvertisements, pools and peers: no two identical advertisements, one
// LOCAL_PREF per pool where announcements could meet, and no BFD echo mode with IPv6 pools.

import type { BFDProfile, BGPAdvertisement, BGPPeer, NodeInput } from './model.ts';
import type { BGPAdvertisementDraft } from './bgp-advertisement.ts';
import { nodeSetsIntersect, selectedNodes } from './node.ts';
import type { PoolDraft } from './pool.ts';
import { fail, show } from './wire.ts';

export type FinishedAdvertisement = { readonly draft: BGPAdvertisementDraft; readonly ad: BGPAdvertisement };

/** Advertisements arrive sorted by name; the later of two identical specs is reported. */
export function checkDuplicateAdvertisements(ads: readonly FinishedAdvertisement[]): void {
  const first = new Map<string, string>();
  for (const { draft, ad } of ads) {
    const earlier = first.get(draft.specText);
    if (earlier !== undefined) fail(draft.reader, 'spec', `duplicate definition of bgpadvertisements: same spec as BGPAdvertisement ${show(earlier)}`);
    else first.set(draft.specText, ad.name);
  }
}

function peersDisjoint(a: BGPAdvertisement, b: BGPAdvertisement): boolean {
  if (a.peers.kind === 'all' || b.peers.kind === 'all') return false;
  const other = new Set(b.peers.names);
  return !a.peers.names.some((n) => other.has(n));
}

function aggregationDiffers(a: BGPAdvertisement, b: BGPAdvertisement, pool: PoolDraft): boolean {
  const families = new Set(pool.entries.flatMap((e) => e.cidrs.map((c) => c.family)));
  if (families.size === 0) return false;
  return [...families].every((f) => (f === 'ipv4' ? a.aggregationLength !== b.aggregationLength : a.aggregationLengthV6 !== b.aggregationLengthV6));
}

/**
 * Two advertisements without serviceSelectors on one pool must agree on LOCAL_PREF unless
 * their aggregation differs for every family of the pool, their peers are disjoint, or their
 * nodes are. (With serviceSelectors the check happens per Service when announcing.)
 */
export function checkLocalPref(ads: readonly FinishedAdvertisement[], pools: readonly PoolDraft[], nodes: readonly NodeInput[]): void {
  const plain = ads.filter((a) => a.ad.serviceSelectors.length === 0);
  const sets = plain.map((a) => selectedNodes(a.ad.nodeSelectors, nodes));
  for (const pool of pools) {
    for (let j = 0; j < plain.length; j++) {
      const later = plain[j];
      if (later === undefined || !later.ad.pools.includes(pool.name)) continue;
      for (let i = 0; i < j; i++) {
        const earlier = plain[i];
        if (earlier === undefined || !earlier.ad.pools.includes(pool.name)) continue;
        const a = earlier.ad;
        const b = later.ad;
        if (a.localPref === b.localPref || peersDisjoint(a, b) || !nodeSetsIntersect(sets[i] ?? null, sets[j] ?? null)) continue;
        if (aggregationDiffers(a, b, pool)) continue;
        fail(later.draft.reader, 'spec.localPref', `localPref ${b.localPref ?? 0} conflicts with localPref ${a.localPref ?? 0} of BGPAdvertisement ${show(a.name)} for IPAddressPool ${show(pool.name)} (same prefixes, peers and nodes)`);
      }
    }
  }
}

/** FRR cannot run BFD echo mode over IPv6, so no IPv6 pool may reach a peer using it. */
export function checkEchoModeIPv6(ads: readonly FinishedAdvertisement[], pools: readonly PoolDraft[], peers: readonly BGPPeer[], profiles: readonly BFDProfile[]): void {
  const echo = new Set(profiles.filter((p) => p.echoMode).map((p) => p.name));
  const echoPeers = peers.filter((p) => p.bfdProfile !== null && echo.has(p.bfdProfile));
  const v6Pools = pools.filter((p) => p.entries.some((e) => e.cidrs.some((c) => c.family === 'ipv6')));
  for (const { draft, ad } of ads) {
    const pool = v6Pools.find((p) => ad.pools.includes(p.name));
    const peer = echoPeers.find((p) => ad.peers.kind === 'all' || ad.peers.names.includes(p.name));
    if (pool !== undefined && peer !== undefined) {
      fail(draft.reader, ad.peers.kind === 'all' ? 'spec' : 'spec.peers', `IPAddressPool ${show(pool.name)} has IPv6 addresses and this advertisement reaches BGPPeer ${show(peer.name)}, whose BFDProfile ${show(peer.bfdProfile)} uses echo mode; BFD echo mode does not work with IPv6`);
    }
  }
}
