// The desired FRR state of one node, as data: routers (one per VRF), their neighbors with every
// session setting and what each neighbor is sent, BFD profiles, logging and the extra config.
// Built from a NodeAnnouncement; secrets are already resolved by the caller.

import type { BFDProfile, BGPPeer, Community, Config, PeerTarget, PeerTimers, RemoteASN } from '../../api/model.ts';
import { peerIdentifier } from '../../api/bgp-peer-rules.ts';
import { passwordProblem } from '../../api/names.ts';
import { err, ok, type Result } from '../../core/result.ts';
import type { Cidr } from '../../net/cidr.ts';
import { compareIP, type Family, type IP } from '../../net/ip.ts';
import { comparePrefix, peerFamilies } from './advertisements.ts';
import type { Advertisement, NodeAnnouncement } from './announce.ts';
import { sortCommunities } from './communities.ts';
import { extraConfigLines, type ExtraConfig } from './extra-config.ts';
import type { FrrLogLevel } from './log-level.ts';
import { renderError, type RenderError } from './render-error.ts';

export type RenderOptions = {
  /** The `hostname` line (MetalLB: the OS hostname). */
  readonly hostname: string;
  readonly logLevel: FrrLogLevel;
  /** Passwords of BGPPeers' passwordSecrets by "namespace/name", read by the caller. */
  readonly secretPasswords: ReadonlyMap<string, string>;
  /** Raw text appended last; null for none. */
  readonly extraConfig: ExtraConfig | null;
};

/** What one neighbor is sent for one prefix; several advertisements of a prefix are merged. */
export type FrrAdvertisement = { readonly prefix: Cidr; readonly localPref: number | null; readonly communities: readonly Community[] };

export type FrrNeighbor = {
  readonly peer: string;
  /** Address or interface, plus "-<vrf>": names the neighbor's route-maps (MetalLB's ID). */
  readonly id: string;
  readonly target: PeerTarget;
  readonly vrf: string | null;
  readonly remoteASN: RemoteASN;
  readonly localASN: number | null;
  readonly port: number;
  readonly timers: PeerTimers | null;
  readonly connectTimeSeconds: number | null;
  readonly password: string | null;
  readonly sourceAddress: IP | null;
  readonly ebgpMultiHop: boolean;
  readonly gracefulRestart: boolean;
  readonly bfdProfile: string | null;
  /** Address families activated: the peer address's, both for unnumbered or dualStackAddressFamily. */
  readonly families: readonly Family[];
  /** Single-hop eBGP over IPv6 only (MetalLB's rule). */
  readonly disableConnectedCheck: boolean;
  /** One per prefix, sorted by prefix; only prefixes of an activated family. */
  readonly advertisements: readonly FrrAdvertisement[];
};

export type FrrRouter = {
  readonly asn: number;
  readonly routerID: IP | null;
  /** null = the default VRF. */
  readonly vrf: string | null;
  /** Sorted: addresses (IPv4 first) then interfaces. */
  readonly neighbors: readonly FrrNeighbor[];
};

export type FrrModel = {
  readonly logLevel: FrrLogLevel;
  readonly hostname: string;
  /** The default VRF first, then by VRF name. */
  readonly routers: readonly FrrRouter[];
  /** Every configured profile (sessions or not), sorted by name. */
  readonly bfdProfiles: readonly BFDProfile[];
  readonly extraConfig: readonly string[];
};

const peerRef = (p: BGPPeer): string => `BGPPeer/${p.name}`;

function resolvePassword(peer: BGPPeer, secrets: ReadonlyMap<string, string>): Result<string | null, RenderError> {
  const p = peer.password;
  if (p.kind === 'none') return ok(null);
  if (p.kind === 'inline') return ok(p.value);
  const id = `${p.namespace}/${p.name}`;
  const value = secrets.get(id);
  if (value === undefined) return err(renderError('missing-secret', peerRef(peer), 'spec.passwordSecret', `the password Secret "${id}" was not resolved`));
  const problem = passwordProblem(value);
  if (problem !== null) return err(renderError('invalid-password', peerRef(peer), 'spec.passwordSecret', `the password in Secret "${id}" ${problem}`));
  return ok(value);
}

function isEBGP(peer: BGPPeer): boolean {
  const r = peer.remoteASN;
  return r.kind === 'external' || (r.kind === 'number' && r.asn !== peer.myASN);
}

/** Whether an advertisement of a node goes to this neighbor (by peer name, in an activated family). */
export const goesTo = (ad: Advertisement, peer: string, families: readonly Family[]): boolean => ad.peers.includes(peer) && families.includes(ad.prefix.family);

/** Adds one advertisement of a prefix to what the prefix had: communities united, the highest LOCAL_PREF wins (in any order). */
export function mergeAdvertisement(seen: FrrAdvertisement | undefined, ad: Advertisement): FrrAdvertisement {
  // A prefix's first advertisement is what it sends as it is (its communities are sorted): the
  // advertisement itself, not a copy per prefix and neighbor (10 000s, kept by the renderer).
  if (seen === undefined) return ad;
  const localPref = seen.localPref === null ? ad.localPref : ad.localPref === null ? seen.localPref : Math.max(seen.localPref, ad.localPref);
  const communities = sortCommunities([...seen.communities, ...ad.communities]);
  return { prefix: ad.prefix, localPref, communities };
}

/** Merges the advertisements of `node` that go to `peer`: communities united, the highest LOCAL_PREF wins. */
function advertisementsFor(node: NodeAnnouncement, peer: string, families: readonly Family[]): FrrAdvertisement[] {
  const merged = new Map<string, FrrAdvertisement>();
  for (const entry of node.ips) {
    if (!entry.announced) continue;
    for (const ad of entry.advertisements) {
      if (goesTo(ad, peer, families)) merged.set(ad.prefix.text, mergeAdvertisement(merged.get(ad.prefix.text), ad));
    }
  }
  return [...merged.values()].sort((a, b) => comparePrefix(a.prefix, b.prefix));
}

function buildNeighbor(peer: BGPPeer, node: NodeAnnouncement, secrets: ReadonlyMap<string, string>): Result<FrrNeighbor, RenderError> {
  const password = resolvePassword(peer, secrets);
  if (!password.ok) return password;
  const families = peerFamilies(peer);
  return ok({
    peer: peer.name,
    id: peerIdentifier(peer),
    target: peer.target,
    vrf: peer.vrf,
    remoteASN: peer.remoteASN,
    localASN: peer.localASN,
    port: peer.port,
    timers: peer.timers,
    connectTimeSeconds: peer.connectTimeSeconds,
    password: password.value,
    sourceAddress: peer.sourceAddress,
    ebgpMultiHop: peer.ebgpMultiHop,
    gracefulRestart: peer.gracefulRestart,
    bfdProfile: peer.bfdProfile,
    families,
    disableConnectedCheck: families.length === 1 && families[0] === 'ipv6' && !peer.ebgpMultiHop && isEBGP(peer),
    advertisements: advertisementsFor(node, peer.name, families),
  });
}

const compareNeighbor = (a: FrrNeighbor, b: FrrNeighbor): number => {
  if (a.target.kind === 'address' && b.target.kind === 'address') return compareIP(a.target.address, b.target.address);
  if (a.target.kind !== b.target.kind) return a.target.kind === 'address' ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

/** Groups sessions into routers; FRR has one instance per VRF, so a second ASN or router ID there is an error. */
function buildRouters(sessions: readonly BGPPeer[], neighbors: ReadonlyMap<string, FrrNeighbor>): Result<FrrRouter[], RenderError> {
  const byVrf = new Map<string, { asn: number; routerID: IP | null; vrf: string | null; neighbors: FrrNeighbor[]; first: BGPPeer }>();
  for (const peer of sessions) {
    const key = peer.vrf ?? '';
    const router = byVrf.get(key) ?? byVrf.set(key, { asn: peer.myASN, routerID: peer.routerID, vrf: peer.vrf, neighbors: [], first: peer }).get(key);
    const neighbor = neighbors.get(peer.name);
    if (router === undefined || neighbor === undefined) continue;
    const where = peer.vrf === null ? 'the default VRF' : `VRF "${peer.vrf}"`;
    if (router.asn !== peer.myASN) return err(renderError('router-conflict', peerRef(peer), 'spec.myASN', `myASN ${peer.myASN} differs from ${router.asn} of BGPPeer "${router.first.name}" in ${where} on this node`));
    if (router.routerID !== peer.routerID) return err(renderError('router-conflict', peerRef(peer), 'spec.routerID', `routerID ${peer.routerID ?? 'unset'} differs from ${router.routerID ?? 'unset'} of BGPPeer "${router.first.name}" in ${where} on this node`));
    const twin = router.neighbors.find((n) => n.id === neighbor.id);
    if (twin !== undefined) return err(renderError('router-conflict', peerRef(peer), peer.target.kind === 'address' ? 'spec.peerAddress' : 'spec.interface', `BGPPeer "${twin.peer}" already peers with "${neighbor.id}" on this node`));
    router.neighbors.push(neighbor);
  }
  const routers = [...byVrf.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, r]) => r);
  return ok(routers.map((r) => ({ asn: r.asn, routerID: r.routerID, vrf: r.vrf, neighbors: [...r.neighbors].sort(compareNeighbor) })));
}

export function buildFrrModel(config: Config, node: NodeAnnouncement, options: RenderOptions): Result<FrrModel, RenderError> {
  const extra = extraConfigLines(options.extraConfig);
  if (!extra.ok) return extra;
  const sessions = [...node.sessions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const neighbors = new Map<string, FrrNeighbor>();
  for (const peer of sessions) {
    const n = buildNeighbor(peer, node, options.secretPasswords);
    if (!n.ok) return n;
    neighbors.set(peer.name, n.value);
  }
  const routers = buildRouters(sessions, neighbors);
  if (!routers.ok) return routers;
  const bfdProfiles = [...config.bfdProfiles].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return ok({ logLevel: options.logLevel, hostname: options.hostname, routers: routers.value, bfdProfiles, extraConfig: extra.value });
}
