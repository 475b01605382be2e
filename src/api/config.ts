// Builds the Config from the per-object drafts: unique names, references resolved (pools,
// namespaces, community aliases, BFD profiles) and every rule that spans several objects.

import { checkDuplicateAdvertisements, checkEchoModeIPv6, checkLocalPref } from './bgp-advertisement-rules.ts';
import { finishBGPAdvertisement, type BGPAdvertisementDraft } from './bgp-advertisement.ts';
import { checkBFDReferences, checkPeerPairs, type PeerDraft } from './bgp-peer-rules.ts';
import { buildCommunityAliases, type CommunityDraft } from './community.ts';
import { finishL2Advertisement, type L2AdvertisementDraft } from './l2-advertisement.ts';
import type { BFDProfile, Config, NamespaceInput, NodeInput } from './model.ts';
import { checkOverlaps, finishPool, type PoolDraft } from './pool.ts';
import { fail, index, show, warn, type Reader } from './wire.ts';

export type BFDProfileDraft = { readonly reader: Reader; readonly profile: BFDProfile };

/** Everything read from barelb's own kinds, before cross-object rules. */
export type ConfigDrafts = {
  readonly pools: PoolDraft[];
  readonly l2Advertisements: L2AdvertisementDraft[];
  readonly bgpAdvertisements: BGPAdvertisementDraft[];
  readonly bgpPeers: PeerDraft[];
  readonly bfdProfiles: BFDProfileDraft[];
  readonly communities: CommunityDraft[];
};

export const emptyDrafts = (): ConfigDrafts => ({ pools: [], l2Advertisements: [], bgpAdvertisements: [], bgpPeers: [], bfdProfiles: [], communities: [] });

/**
 * Sorts by name and keeps the first object of each name; names are identities (Services and
 * advertisements refer to them), so the same name in two namespaces is a duplicate too.
 */
function unique<T extends { readonly reader: Reader }>(items: readonly T[], name: (t: T) => string, kind: string): T[] {
  const sorted = [...items].sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
  const seen = new Map<string, string>();
  return sorted.filter((item) => {
    const first = seen.get(name(item));
    if (first !== undefined) fail(item.reader, 'metadata.name', `duplicate ${kind} name ${show(name(item))} (also used by ${first}); this one is ignored`);
    else seen.set(name(item), item.reader.object);
    return first === undefined;
  });
}

function warnUnknownPeers(ads: readonly BGPAdvertisementDraft[], peers: readonly PeerDraft[]): void {
  const known = new Set(peers.map((p) => p.peer.name));
  for (const d of ads) {
    if (d.ad.peers.kind === 'all') continue;
    d.ad.peers.names.forEach((n, i) => {
      if (!known.has(n)) warn(d.reader, index('spec.peers', i), `no BGPPeer named ${show(n)}; nothing is announced to it`);
    });
  }
}

export function buildConfig(drafts: ConfigDrafts, namespaces: readonly NamespaceInput[], nodes: readonly NodeInput[]): Config {
  const pools = unique(drafts.pools, (p) => p.name, 'IPAddressPool');
  checkOverlaps(pools);
  const communities = buildCommunityAliases(unique(drafts.communities, (c) => c.name, 'Community'));
  const bfd = unique(drafts.bfdProfiles, (b) => b.profile.name, 'BFDProfile');
  const bfdProfiles = bfd.map((b) => b.profile);
  const peers = unique(drafts.bgpPeers, (p) => p.peer.name, 'BGPPeer');
  checkBFDReferences(peers, bfdProfiles);
  checkPeerPairs(peers, nodes);
  const l2Advertisements = unique(drafts.l2Advertisements, (a) => a.ad.name, 'L2Advertisement').map((d) => finishL2Advertisement(d, pools));
  const bgpDrafts = unique(drafts.bgpAdvertisements, (a) => a.ad.name, 'BGPAdvertisement');
  const bgp = bgpDrafts.map((draft) => ({ draft, ad: finishBGPAdvertisement(draft, pools, communities) }));
  checkDuplicateAdvertisements(bgp);
  checkLocalPref(bgp, pools, nodes);
  checkEchoModeIPv6(bgp, pools, peers.map((p) => p.peer), bfdProfiles);
  warnUnknownPeers(bgpDrafts, peers);
  return {
    pools: pools.map((p) => finishPool(p, namespaces)),
    l2Advertisements,
    bgpAdvertisements: bgp.map((b) => b.ad),
    bgpPeers: peers.map((p) => p.peer),
    bfdProfiles,
    communities,
  };
}
