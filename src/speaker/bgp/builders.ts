// Builders of the BGP speaker's inputs for tests and golden scenarios: validated-model objects
// (peers, advertisements, BFD profiles, nodes, endpoint slices) from short literals.

import { parseCommunity } from '../../api/community.ts';
import type { Labels, LabelSelector } from '../../api/labels.ts';
import type { BFDProfile, BGPAdvertisement, BGPPeer, Config, EndpointSliceInput, NodeInput, Pool, ServiceInput, ServiceKey } from '../../api/model.ts';
import { aPool, aService, ip, type ServiceSpec } from '../../ipam/testing.ts';
import type { IP } from '../../net/ip.ts';
import type { BGPSnapshot } from './announce.ts';

export { aPool, aService, cidr, ip, selector } from '../../ipam/testing.ts';

export type PeerSpec = Partial<Omit<BGPPeer, 'target' | 'remoteASN' | 'sourceAddress' | 'routerID' | 'password'>> & {
  readonly address?: string;
  readonly iface?: string;
  readonly remoteASN?: number | 'internal' | 'external';
  readonly sourceAddress?: string;
  readonly routerID?: string | null;
  readonly password?: string;
  /** "namespace/name" of a password Secret. */
  readonly passwordSecret?: string;
};

export function aPeer(spec: PeerSpec = {}): BGPPeer {
  const { address, iface, remoteASN, sourceAddress, routerID, password, passwordSecret, ...rest } = spec;
  const remote = remoteASN ?? 64501;
  const [secretNs = '', secretName = ''] = (passwordSecret ?? '').split('/');
  return {
    name: 'peer-a',
    myASN: 64500,
    localASN: null,
    port: 179,
    timers: null,
    connectTimeSeconds: null,
    nodeSelectors: [],
    bfdProfile: null,
    gracefulRestart: false,
    ebgpMultiHop: false,
    vrf: null,
    dualStackAddressFamily: false,
    ...rest,
    target: iface !== undefined ? { kind: 'interface', name: iface } : { kind: 'address', address: ip(address ?? '192.0.2.1') },
    remoteASN: typeof remote === 'number' ? { kind: 'number', asn: remote } : { kind: remote },
    sourceAddress: sourceAddress === undefined ? null : ip(sourceAddress),
    routerID: routerID === undefined || routerID === null ? null : ip(routerID),
    password: password !== undefined ? { kind: 'inline', value: password } : passwordSecret !== undefined ? { kind: 'secret', namespace: secretNs, name: secretName } : { kind: 'none' },
  };
}

export type AdSpec = Partial<Omit<BGPAdvertisement, 'communities' | 'peers'>> & {
  /** Literal values: "A:B" or "large:A:B:C". */
  readonly communities?: readonly string[];
  /** Empty or absent = every peer. */
  readonly peers?: readonly string[];
};

export function anAdvertisement(spec: AdSpec = {}): BGPAdvertisement {
  const { communities, peers, ...rest } = spec;
  return {
    name: 'ad',
    pools: ['blue'],
    aggregationLength: 32,
    aggregationLengthV6: 128,
    localPref: null,
    nodeSelectors: [],
    serviceSelectors: [],
    ...rest,
    communities: (communities ?? []).map((text) => {
      const c = parseCommunity(text);
      if (!c.ok) throw new Error(c.error.message);
      return c.value;
    }),
    peers: peers === undefined || peers.length === 0 ? { kind: 'all' } : { kind: 'only', names: peers },
  };
}

export function aBFDProfile(spec: Partial<BFDProfile> = {}): BFDProfile {
  return {
    name: 'fast',
    receiveIntervalMs: null,
    transmitIntervalMs: null,
    detectMultiplier: null,
    echoIntervalMs: null,
    echoMode: false,
    passiveMode: false,
    minimumTtl: null,
    ...spec,
  };
}

/** The pool every builder defaults to: "blue", one IPv4 and one IPv6 documentation range. */
export const defaultPool: Pool = aPool({ name: 'blue', cidrs: ['203.0.113.0/24', '2001:db8:100::/64'] });

export type ConfigSpec = {
  readonly pools?: readonly Pool[];
  readonly peers?: readonly BGPPeer[];
  readonly ads?: readonly BGPAdvertisement[];
  readonly bfdProfiles?: readonly BFDProfile[];
};

export const aConfig = (spec: ConfigSpec = {}): Config => ({
  pools: spec.pools ?? [defaultPool],
  l2Advertisements: [],
  bgpAdvertisements: spec.ads ?? [],
  bgpPeers: spec.peers ?? [],
  bfdProfiles: spec.bfdProfiles ?? [],
  communities: new Map(),
});

export const aNode = (name: string, labels: Labels = {}, networkUnavailable = false): NodeInput => ({ name, labels, networkUnavailable, addresses: [] });

export type EndpointSpec = { readonly node: string | null; readonly ready?: boolean; readonly serving?: boolean; readonly addresses?: readonly string[] };

export function anEndpointSlice(svc: ServiceInput, endpoints: readonly EndpointSpec[], name = `${svc.name}-1`): EndpointSliceInput {
  return {
    namespace: svc.namespace,
    name,
    serviceName: svc.name,
    endpoints: endpoints.map((e) => ({
      hasAddress: (e.addresses ?? ['10.244.0.10']).length > 0,
      ready: e.ready ?? true,
      serving: e.serving ?? e.ready ?? true,
      nodeName: e.node,
    })),
  };
}

/** A Service with its addresses and endpoints: the unit most tables vary. */
export type ServiceRow = ServiceSpec & { readonly ips: readonly string[]; readonly endpoints?: readonly EndpointSpec[] };

export type SnapshotSpec = ConfigSpec & {
  readonly services?: readonly ServiceRow[];
  readonly nodes?: readonly NodeInput[];
  readonly ignoreExcludeLB?: boolean;
};

/** A snapshot; every Service defaults to one ready endpoint on "node-1". */
export function aSnapshot(spec: SnapshotSpec = {}): BGPSnapshot {
  const services = (spec.services ?? []).map((row) => ({ row, svc: aService(row) }));
  return {
    config: aConfig(spec),
    services: services.map((s) => s.svc),
    allocations: new Map<ServiceKey, readonly IP[]>(services.map((s) => [s.svc.key, s.row.ips.map(ip)])),
    nodes: spec.nodes ?? [aNode('node-1')],
    endpointSlices: services.map((s) => anEndpointSlice(s.svc, s.row.endpoints ?? [{ node: 'node-1' }])),
    options: { ignoreExcludeLB: spec.ignoreExcludeLB ?? false },
  };
}

export const matchLabels = (labels: Labels): LabelSelector => ({ matchLabels: labels, matchExpressions: [] });

/** MetalLB's usual golden session: my AS 100, peer AS 200 at a documentation address, router ID set. */
export const tor = (spec: PeerSpec = {}): BGPPeer => aPeer({ name: 'tor', myASN: 100, remoteASN: 200, address: '192.0.2.254', routerID: '192.0.2.100', ...spec });

/** One IPv4 Service with a ready endpoint on node-1. */
export const web: ServiceRow = { name: 'web', ips: ['203.0.113.10'] };

/** Nodes labeled with their hostname, as the kubelet does. */
export const nodesNamed = (...names: string[]): NodeInput[] => names.map((n) => aNode(n, { 'kubernetes.io/hostname': n }));
