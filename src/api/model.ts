// The validated, internal configuration model: what the pure core consumes. Wire types
// (manifests as written) are parsed into these by src/api/input.ts; nothing here is a raw string IP.

import type { Cidr } from '../net/cidr.ts';
import type { Family, IP } from '../net/ip.ts';
import type { LabelSelector, Labels } from './labels.ts';

declare const serviceKeyBrand: unique symbol;
/** "namespace/name". */
export type ServiceKey = string & { readonly [serviceKeyBrand]: 'ServiceKey' };
export const serviceKey = (namespace: string, name: string): ServiceKey => `${namespace}/${name}` as ServiceKey;
/** The inverse of serviceKey (namespaces and names never contain "/"). */
export const splitServiceKey = (key: ServiceKey | string): { readonly namespace: string; readonly name: string } => {
  const at = key.indexOf('/');
  return { namespace: key.slice(0, at), name: key.slice(at + 1) };
};

/** Names the object an error is about: "IPAddressPool/barelb-system/blue" (no namespace: "Kind/name"). */
export type ObjectRef = { readonly kind: string; readonly namespace: string | null; readonly name: string };
export const objectRefText = (r: ObjectRef): string =>
  r.namespace === null || r.namespace === '' ? `${r.kind}/${r.name}` : `${r.kind}/${r.namespace}/${r.name}`;

/**
 * A configuration error. `field` is a JSON path into the object ("spec.addresses[2]"),
 * `transient` marks errors that may heal by themselves (a referenced object not created yet).
 */
export type ConfigError = {
  readonly object: string;
  readonly field: string;
  readonly message: string;
  readonly transient?: boolean;
};

export type ServiceAllocation = {
  /** Lower number = tried first; 0 (unset) sorts after every positive priority. */
  readonly priority: number;
  /**
   * Namespaces the pool serves: the `namespaces` list plus the namespaces matched by
   * `namespaceSelectors` when the config was built. null = no namespace criteria.
   */
  readonly namespaces: ReadonlySet<string> | null;
  /** Empty = no service criteria. */
  readonly serviceSelectors: readonly LabelSelector[];
};

export type Pool = {
  readonly name: string;
  readonly labels: Labels;
  /** In configured order; ranges already summarised into CIDRs. Never overlapping other pools. */
  readonly cidrs: readonly Cidr[];
  readonly autoAssign: boolean;
  readonly avoidBuggyIPs: boolean;
  readonly serviceAllocation: ServiceAllocation | null;
};

export const ipFamilyPolicies = ['SingleStack', 'PreferDualStack', 'RequireDualStack'] as const;
export type IPFamilyPolicy = (typeof ipFamilyPolicies)[number];

export const protocols = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof protocols)[number];
export type ServicePort = { readonly protocol: Protocol; readonly port: number };

/**
 * What the allocator needs of one Service. Problems with the Service's own request (a bad
 * loadBalancerIP, conflicting annotations) are carried in `requestError`, not thrown: the
 * Service is then pending with reason `invalid-request`.
 */
export type ServiceInput = {
  readonly key: ServiceKey;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  /** RFC 3339 text or null; only used for ordering (oldest first). */
  readonly creationTimestamp: string | null;
  readonly type: string;
  readonly loadBalancerClass: string | null;
  /** Families of spec.clusterIPs, else of spec.ipFamilies, else ["ipv4"]; primary first. */
  readonly families: readonly Family[];
  readonly ipFamilyPolicy: IPFamilyPolicy;
  /** From spec.loadBalancerIP or the loadBalancerIPs annotation; empty = automatic. */
  readonly requestedIPs: readonly IP[];
  /** The address-pool annotation, or null. */
  readonly addressPool: string | null;
  /** The allow-shared-ip annotation: null when absent; "" present but empty (no sharing). */
  readonly sharingKey: string | null;
  /** "" for externalTrafficPolicy Cluster; the sorted selector "k=v,k2=v2" for Local. */
  readonly backendKey: string;
  readonly externalTrafficPolicy: 'Cluster' | 'Local';
  readonly ports: readonly ServicePort[];
  /** status.loadBalancer.ingress[].ip as found (the persisted allocation). */
  readonly ingressIPs: readonly IP[];
  readonly requestError: string | null;
  /** Annotation keys read under the deprecated metallb.universe.tf/ prefix. */
  readonly deprecatedAnnotations: readonly string[];
};

export type NamespaceInput = { readonly name: string; readonly labels: Labels };

export type NodeInput = {
  readonly name: string;
  readonly labels: Labels;
  /** The Node condition NetworkUnavailable is "True": the node never announces. */
  readonly networkUnavailable: boolean;
  /** status.addresses that are IPs (hostnames dropped), in the order given. */
  readonly addresses: readonly IP[];
};

/**
 * One endpoint of an EndpointSlice, as much as announcing needs: not its addresses, only whether it
 * has one. Readers share one frozen Endpoint per distinct value (a few per node), so a slice keeps
 * nothing of its own per endpoint (at 10 000 slices its endpoints, address lists and address
 * strings were ~2 MB).
 */
export type Endpoint = {
  /** At least one of its addresses is an IP. */
  readonly hasAddress: boolean;
  /** conditions.ready; absent counts as ready (discovery.k8s.io/v1 semantics). */
  readonly ready: boolean;
  /** conditions.serving; absent means the same as ready. */
  readonly serving: boolean;
  readonly nodeName: string | null;
};

export type EndpointSliceInput = {
  readonly namespace: string;
  readonly name: string;
  /** The kubernetes.io/service-name label, or null when the slice has none. */
  readonly serviceName: string | null;
  readonly endpoints: readonly Endpoint[];
};

// ---- The rest of the configuration: advertisements, peers, BFD, communities ----

/** A BGP community: RFC 1997 (two 16-bit halves) or RFC 8092 large (three 32-bit parts). */
export type Community =
  | { readonly kind: 'standard'; readonly high: number; readonly low: number }
  | { readonly kind: 'large'; readonly a: number; readonly b: number; readonly c: number };

/** Text form as FRR prints it: "65000:100" or "large:1:2:3". */
export const communityText = (c: Community): string =>
  c.kind === 'standard' ? `${c.high}:${c.low}` : `large:${c.a}:${c.b}:${c.c}`;

export type InterfaceChoice = { readonly kind: 'all' } | { readonly kind: 'only'; readonly names: readonly string[] };

export type PreferredNodes = {
  /** 1..100; a node's score is the sum of the weights of the preferences it matches. */
  readonly weight: number;
  /** The empty selector prefers every node. */
  readonly preference: LabelSelector;
};

export type L2Advertisement = {
  readonly name: string;
  /** Resolved pool names (named and selected), sorted. */
  readonly pools: readonly string[];
  /** Nodes allowed to announce; empty = every node. */
  readonly nodeSelectors: readonly LabelSelector[];
  readonly interfaces: InterfaceChoice;
  /** Empty = every service; otherwise any selector matching (OR). */
  readonly serviceSelectors: readonly LabelSelector[];
  readonly preferredNodeSelectors: readonly PreferredNodes[];
};

export type PeerChoice = { readonly kind: 'all' } | { readonly kind: 'only'; readonly names: readonly string[] };

export type BGPAdvertisement = {
  readonly name: string;
  /** Resolved pool names (named and selected), sorted. */
  readonly pools: readonly string[];
  /** Prefix length IPv4 service addresses are announced with, 1..32 (default 32). */
  readonly aggregationLength: number;
  /** Prefix length for IPv6, 1..128 (default 128). */
  readonly aggregationLengthV6: number;
  /** BGP LOCAL_PREF; null when unset (0 in the manifest). */
  readonly localPref: number | null;
  /** Aliases resolved, in configured order, no duplicates. */
  readonly communities: readonly Community[];
  /** BGPPeer names to announce to. */
  readonly peers: PeerChoice;
  /** Nodes that announce; empty = every node. */
  readonly nodeSelectors: readonly LabelSelector[];
  readonly serviceSelectors: readonly LabelSelector[];
};

/** Numbered BGP (`neighbor <ip>`) or unnumbered over an interface (`neighbor <if> interface`). */
export type PeerTarget = { readonly kind: 'address'; readonly address: IP } | { readonly kind: 'interface'; readonly name: string };

export type RemoteASN = { readonly kind: 'number'; readonly asn: number } | { readonly kind: 'internal' } | { readonly kind: 'external' };

/** Both known or neither (FRR then keeps its defaults). Whole seconds, as FRR takes them. */
export type PeerTimers = { readonly holdSeconds: number; readonly keepaliveSeconds: number };

export type PeerPassword =
  | { readonly kind: 'none' }
  | { readonly kind: 'inline'; readonly value: string }
  /** Resolved by the adapter that can read Secrets (type kubernetes.io/basic-auth, key "password"). */
  | { readonly kind: 'secret'; readonly namespace: string; readonly name: string };

export type BGPPeer = {
  readonly name: string;
  /** Local ASN, 1..4294967295. */
  readonly myASN: number;
  readonly remoteASN: RemoteASN;
  /** `local-as N no-prepend replace-as`; null when unset. */
  readonly localASN: number | null;
  readonly target: PeerTarget;
  readonly sourceAddress: IP | null;
  /** TCP port, 1..16384, default 179. */
  readonly port: number;
  readonly timers: PeerTimers | null;
  readonly connectTimeSeconds: number | null;
  readonly routerID: IP | null;
  /** Nodes that run the session; empty = every node. */
  readonly nodeSelectors: readonly LabelSelector[];
  readonly password: PeerPassword;
  readonly bfdProfile: string | null;
  readonly gracefulRestart: boolean;
  readonly ebgpMultiHop: boolean;
  /** null = the default VRF. */
  readonly vrf: string | null;
  readonly dualStackAddressFamily: boolean;
};

/** Intervals in milliseconds; null = FRR's default. */
export type BFDProfile = {
  readonly name: string;
  readonly receiveIntervalMs: number | null;
  readonly transmitIntervalMs: number | null;
  readonly detectMultiplier: number | null;
  readonly echoIntervalMs: number | null;
  readonly echoMode: boolean;
  readonly passiveMode: boolean;
  readonly minimumTtl: number | null;
};

/** The whole validated configuration; every list sorted by name. */
export type Config = {
  readonly pools: readonly Pool[];
  readonly l2Advertisements: readonly L2Advertisement[];
  readonly bgpAdvertisements: readonly BGPAdvertisement[];
  readonly bgpPeers: readonly BGPPeer[];
  readonly bfdProfiles: readonly BFDProfile[];
  /** Community alias name (from Community objects) -> value. */
  readonly communities: ReadonlyMap<string, Community>;
};

/** A v1 Secret, decoded: data values are UTF-8 text. Never logged or printed. */
export type SecretInput = {
  readonly namespace: string;
  readonly name: string;
  readonly type: string;
  readonly data: ReadonlyMap<string, string>;
};
