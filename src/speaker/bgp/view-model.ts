// The view model of frr.conf: FrrModel in, every line's content out (sorted lists, sequence
// numbers, route-map names, neighbor forms), so the templates only loop and print.
//
// Policy structure (reference frr.md §1.2, §2.1, §6). MetalLB keeps one prefix-list entry per
// prefix, per neighbor and per attribute, so one new Service IP touches O(neighbors × attributes)
// lines, and big prefix-lists are slow on FRR 8.x (O(N²) inserts, CPU hogs that flap BFD). barelb
// tags at origination instead: `network P route-map barelb-tag-T`, where T (a route tag, which
// never leaves the router) is the SHA-256 of the prefix's outbound policy, i.e. the list of
// (neighbor, LOCAL_PREF, communities) it is sent to. Each neighbor's `<ID>-out` route-map has one
// `match tag T` entry per policy it takes part in, setting that policy's attributes, and ends in an
// explicit deny. Adding or removing a Service IP whose policy already exists changes exactly one
// line (its `network`), which FRR applies live without waiting for the route-map delay timer; the
// route-maps only grow with the number of distinct policies, which depends on the configuration,
// not on the number of Services. A new policy adds one origination route-map and one entry per
// neighbor in it (and renumbers later entries of those neighbors' route-maps).

import type { BFDProfile } from '../../api/model.ts';
import { memoized } from '../../core/memoized.ts';
import { err, ok, type Result } from '../../core/result.ts';
import type { Family } from '../../net/ip.ts';
import { communityValue } from './communities.ts';
import type { FrrModel, FrrNeighbor, FrrRouter } from './frr-model.ts';
import { routerPolicy, type RouterPolicy } from './policy.ts';
import { renderError, type RenderError } from './render-error.ts';
import { tokenCheck, type TokenCheck } from './tokens.ts';

export type RouteMapView = { readonly name: string; readonly action: 'permit' | 'deny'; readonly seq: number; readonly lines: readonly string[] };
/** `settings` are printed as ` neighbor <name> <setting>`. */
export type NeighborView = { readonly name: string; readonly settings: readonly string[] };
export type NetworkView = { readonly prefix: string; readonly routeMap: string };
export type ActivationView = { readonly name: string; readonly inMap: string; readonly outMap: string };
export type AddressFamilyView = { readonly afi: Family; readonly networks: readonly NetworkView[]; readonly neighbors: readonly ActivationView[] };
export type RouterView = {
  readonly asn: number;
  /** "" or " vrf <name>". */
  readonly vrfSuffix: string;
  /** Zero or one router ID. */
  readonly routerIds: readonly string[];
  readonly neighbors: readonly NeighborView[];
  readonly addressFamilies: readonly AddressFamilyView[];
};
export type BfdProfileView = { readonly name: string; readonly settings: readonly string[] };
export type FrrView = {
  readonly logLevel: string;
  readonly debugLines: readonly string[];
  readonly hostname: string;
  readonly routeMaps: readonly RouteMapView[];
  readonly routers: readonly RouterView[];
  /** Zero or one `bfd` block. */
  readonly bfd: readonly { readonly profiles: readonly BfdProfileView[] }[];
  readonly extraLines: readonly string[];
};

/** MetalLB's debug set when FRR logs at `debugging`. */
export const debugLines = [
  'debug zebra events', 'debug zebra nht', 'debug zebra kernel', 'debug zebra rib', 'debug zebra nexthop',
  'debug bgp neighbor-events', 'debug bgp updates', 'debug bgp keepalives', 'debug bgp nht', 'debug bgp zebra',
  'debug bfd network', 'debug bfd peer', 'debug bfd zebra',
] as const;

/** The last route-map sequence number: the explicit deny that ends every `<ID>-out`. */
const finalSeq = 65535;
// One string per tag, shared by every network that carries it (10 000 networks often share a handful).
export const tagRouteMap = memoized((tag: number): string => `barelb-tag-${tag}`, 1 << 12);

function neighborSettings(n: FrrNeighbor, t: TokenCheck): string[] {
  const obj = `BGPPeer/${n.peer}`;
  const r = n.remoteASN;
  const remote = r.kind === 'number' ? String(r.asn) : r.kind;
  const out = [`${n.target.kind === 'interface' ? 'interface ' : ''}remote-as ${remote}`];
  if (n.ebgpMultiHop) out.push('ebgp-multihop 255');
  if (n.localASN !== null) out.push(`local-as ${n.localASN} no-prepend replace-as`);
  if (n.port !== 179) out.push(`port ${n.port}`);
  if (n.timers !== null) out.push(`timers ${n.timers.keepaliveSeconds} ${n.timers.holdSeconds}`);
  if (n.connectTimeSeconds !== null) out.push(`timers connect ${n.connectTimeSeconds}`);
  if (n.password !== null) out.push(`password ${t.token(n.password, obj, 'spec.password')}`);
  if (n.sourceAddress !== null) out.push(`update-source ${t.token(n.sourceAddress, obj, 'spec.sourceAddress')}`);
  if (n.gracefulRestart) out.push('graceful-restart');
  if (n.bfdProfile !== null) out.push('bfd', `bfd profile ${t.token(n.bfdProfile, obj, 'spec.bfdProfile')}`);
  if (n.disableConnectedCheck) out.push('disable-connected-check');
  return out;
}

const neighborName = (n: FrrNeighbor, t: TokenCheck): string =>
  n.target.kind === 'address' ? t.token(n.target.address, `BGPPeer/${n.peer}`, 'spec.peerAddress') : t.token(n.target.name, `BGPPeer/${n.peer}`, 'spec.interface');

function neighborRouteMaps(n: FrrNeighbor, policy: RouterPolicy, t: TokenCheck): Result<RouteMapView[], RenderError> {
  neighborName(n, t);
  if (n.vrf !== null) t.token(n.vrf, `BGPPeer/${n.peer}`, 'spec.vrf');
  const id = t.token(n.id, `BGPPeer/${n.peer}`, 'spec');
  const mine = policy.policies.flatMap((p) => p.members.filter((m) => m.neighborId === n.id).map((m) => ({ tag: p.tag, ...m })));
  if (mine.length >= finalSeq) return err(renderError('too-many-policies', `BGPPeer/${n.peer}`, '', `${mine.length} outbound policies; at most ${finalSeq - 1} fit in a route-map`));
  const entries = mine.map((m, i): RouteMapView => {
    const standard = m.communities.filter((c) => c.kind === 'standard').map(communityValue);
    const large = m.communities.filter((c) => c.kind === 'large').map(communityValue);
    const lines = [`match tag ${m.tag}`];
    if (m.localPref !== null) lines.push(`set local-preference ${m.localPref}`);
    if (standard.length > 0) lines.push(`set community ${standard.join(' ')} additive`);
    if (large.length > 0) lines.push(`set large-community ${large.join(' ')} additive`);
    return { name: `${id}-out`, action: 'permit', seq: i + 1, lines };
  });
  return ok([
    { name: `${id}-in`, action: 'deny', seq: 20, lines: [] },
    ...entries,
    { name: `${id}-out`, action: 'deny', seq: finalSeq, lines: [] },
  ]);
}

function addressFamilies(router: FrrRouter, policy: RouterPolicy, t: TokenCheck): AddressFamilyView[] {
  return (['ipv4', 'ipv6'] as const).flatMap((afi): AddressFamilyView[] => {
    const networks = policy.networks.filter((p) => p.prefix.family === afi).map((p) => ({ prefix: p.prefix.text, routeMap: tagRouteMap(p.tag) }));
    const neighbors = router.neighbors
      .filter((n) => n.families.includes(afi))
      .map((n) => ({ name: neighborName(n, t), inMap: `${n.id}-in`, outMap: `${n.id}-out` }));
    return networks.length === 0 && neighbors.length === 0 ? [] : [{ afi, networks, neighbors }];
  });
}

function routerView(router: FrrRouter, policy: RouterPolicy, t: TokenCheck): RouterView {
  const obj = `BGPPeer/${router.neighbors[0]?.peer ?? ''}`;
  return {
    asn: router.asn,
    vrfSuffix: router.vrf === null ? '' : ` vrf ${t.token(router.vrf, obj, 'spec.vrf')}`,
    routerIds: router.routerID === null ? [] : [t.token(router.routerID, obj, 'spec.routerID')],
    neighbors: router.neighbors.map((n) => ({ name: neighborName(n, t), settings: neighborSettings(n, t) })),
    addressFamilies: addressFamilies(router, policy, t),
  };
}

function bfdProfileView(p: BFDProfile, t: TokenCheck): BfdProfileView {
  const settings: string[] = [];
  if (p.receiveIntervalMs !== null) settings.push(`receive-interval ${p.receiveIntervalMs}`);
  if (p.transmitIntervalMs !== null) settings.push(`transmit-interval ${p.transmitIntervalMs}`);
  if (p.detectMultiplier !== null) settings.push(`detect-multiplier ${p.detectMultiplier}`);
  if (p.echoMode) settings.push('echo-mode');
  if (p.echoIntervalMs !== null) settings.push(`echo receive-interval ${p.echoIntervalMs}`, `echo transmit-interval ${p.echoIntervalMs}`);
  if (p.passiveMode) settings.push('passive-mode');
  if (p.minimumTtl !== null) settings.push(`minimum-ttl ${p.minimumTtl}`);
  return { name: t.token(p.name, `BFDProfile/${p.name}`, 'metadata.name'), settings };
}

/**
 * Computes every printed line's content, and each router's outbound policy it was computed from
 * (for a renderer that patches it); the first invariant failure is returned, never thrown.
 */
export function buildViewParts(model: FrrModel): Result<{ readonly view: FrrView; readonly policies: readonly RouterPolicy[] }, RenderError> {
  const t = tokenCheck();
  const policies: RouterPolicy[] = [];
  for (const router of model.routers) {
    const p = routerPolicy(router);
    if (!p.ok) return p;
    policies.push(p.value);
  }
  const tags = [...new Set(policies.flatMap((p) => p.policies.map((x) => x.tag)))].sort((a, b) => a - b);
  const routeMaps: RouteMapView[] = tags.map((tag) => ({ name: tagRouteMap(tag), action: 'permit', seq: 1, lines: [`set tag ${tag}`] }));
  const routers: RouterView[] = [];
  for (const [i, router] of model.routers.entries()) {
    const policy = policies[i] ?? { networks: [], policies: [] };
    for (const n of router.neighbors) {
      const maps = neighborRouteMaps(n, policy, t);
      if (!maps.ok) return maps;
      routeMaps.push(...maps.value);
    }
    routers.push(routerView(router, policy, t));
  }
  const view: FrrView = {
    logLevel: model.logLevel,
    debugLines: model.logLevel === 'debugging' ? debugLines : [],
    hostname: t.token(model.hostname, 'render input', 'hostname'),
    routeMaps,
    routers,
    bfd: model.bfdProfiles.length === 0 ? [] : [{ profiles: model.bfdProfiles.map((p) => bfdProfileView(p, t)) }],
    extraLines: model.extraConfig,
  };
  const problem = t.problem();
  return problem === null ? ok({ view, policies }) : err(problem);
}
