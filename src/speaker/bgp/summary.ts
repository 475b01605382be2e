// The cluster-wide view of BGP announcements for `barelb plan`: per Service, which nodes
// announce it, to which peers, with which prefixes and attributes. Pure.

import { communityText, type ServiceKey } from '../../api/model.ts';
import type { Cidr } from '../../net/cidr.ts';
import { comparePrefix } from './advertisements.ts';
import { announceForNode, type BGPSnapshot } from './announce.ts';

/** One node announcing some prefixes of a Service to some peers with one set of attributes. */
export type BGPAnnouncementSummary = {
  readonly node: string;
  /** Sorted BGPPeer names. */
  readonly peers: readonly string[];
  /** Canonical CIDR text, sorted (IPv4 first, then by address and length). */
  readonly prefixes: readonly string[];
  readonly localPref: number | null;
  /** Sorted; large communities carry the "large:" prefix, as in BGPAdvertisements. */
  readonly communities: readonly string[];
};

type Group = { node: string; peers: string[]; prefixes: Map<string, Cidr>; localPref: number | null; communities: string[] };

function finish(g: Group): BGPAnnouncementSummary {
  const prefixes = [...g.prefixes.values()].sort(comparePrefix).map((c) => c.text);
  return { node: g.node, peers: g.peers, prefixes, localPref: g.localPref, communities: g.communities };
}

/**
 * Runs the per-node decision for every known Node (sorted by name) and groups what each node
 * announces per Service by (peers, LOCAL_PREF, communities). Services nobody announces are absent.
 */
export function summarizeBGP(snap: BGPSnapshot): ReadonlyMap<ServiceKey, readonly BGPAnnouncementSummary[]> {
  const groups = new Map<ServiceKey, Map<string, Group>>();
  const nodes = [...new Set(snap.nodes.map((n) => n.name))].sort();
  for (const nodeName of nodes) {
    for (const entry of announceForNode(snap, nodeName).ips) {
      if (!entry.announced) continue;
      const perService = groups.get(entry.service) ?? groups.set(entry.service, new Map()).get(entry.service) ?? new Map<string, Group>();
      for (const ad of entry.advertisements) {
        const communities = ad.communities.map(communityText);
        const key = JSON.stringify([nodeName, ad.peers, ad.localPref, communities]);
        const group = perService.get(key) ?? { node: nodeName, peers: [...ad.peers], prefixes: new Map(), localPref: ad.localPref, communities };
        group.prefixes.set(ad.prefix.text, ad.prefix);
        perService.set(key, group);
      }
    }
  }
  const out = new Map<ServiceKey, readonly BGPAnnouncementSummary[]>();
  for (const [svc, perService] of [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const keys = [...perService.keys()].sort();
    out.set(svc, keys.map((k) => perService.get(k)).filter((g) => g !== undefined).map(finish));
  }
  return out;
}
