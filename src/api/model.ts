// The validated, internal configuration model: what the pure core consumes. Wire types
// (manifests as written) are parsed into these by src/api/config.ts; nothing here is a raw string IP.

import type { Cidr } from '../net/cidr.ts';
import type { Family, IP } from '../net/ip.ts';
import type { LabelSelector, Labels } from './labels.ts';

declare const serviceKeyBrand: unique symbol;
/** "namespace/name". */
export type ServiceKey = string & { readonly [serviceKeyBrand]: 'ServiceKey' };
export const serviceKey = (namespace: string, name: string): ServiceKey => `${namespace}/${name}` as ServiceKey;

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
  readonly selector: Labels;
  readonly ports: readonly ServicePort[];
  /** status.loadBalancer.ingress[].ip as found (the persisted allocation). */
  readonly ingressIPs: readonly IP[];
  readonly requestError: string | null;
  /** Annotation keys read under the deprecated metallb.universe.tf/ prefix. */
  readonly deprecatedAnnotations: readonly string[];
};

export type NamespaceInput = { readonly name: string; readonly labels: Labels };
