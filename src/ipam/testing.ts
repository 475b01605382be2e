// Test builders for the allocator: Pools and ServiceInputs from short literals.
// Only tests import this module.

import fc from 'fast-check';
import type { LabelSelector, Labels } from '../api/labels.ts';
import { serviceKey, type IPFamilyPolicy, type Pool, type ServiceInput, type ServicePort } from '../api/model.ts';
import { parseCidr, type Cidr } from '../net/cidr.ts';
import { parseIP, type Family, type IP } from '../net/ip.ts';
import { assertNever } from '../core/result.ts';
import type { ServiceDecision } from './decision.ts';

export function cidr(text: string): Cidr {
  const r = parseCidr(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

export function ip(text: string): IP {
  const r = parseIP(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

export const selector = (matchLabels: Labels): LabelSelector => ({ matchLabels, matchExpressions: [] });

export type PoolSpec = {
  readonly name?: string;
  readonly cidrs?: readonly string[];
  readonly autoAssign?: boolean;
  readonly avoidBuggyIPs?: boolean;
  /** Present = the pool has a serviceAllocation. */
  readonly priority?: number;
  readonly namespaces?: readonly string[];
  readonly serviceSelectors?: readonly LabelSelector[];
};

export function aPool(spec: PoolSpec = {}): Pool {
  const pinned = spec.priority !== undefined || spec.namespaces !== undefined || spec.serviceSelectors !== undefined;
  return {
    name: spec.name ?? 'blue',
    labels: {},
    cidrs: (spec.cidrs ?? ['192.0.2.0/24']).map(cidr),
    autoAssign: spec.autoAssign ?? true,
    avoidBuggyIPs: spec.avoidBuggyIPs ?? false,
    serviceAllocation: pinned
      ? {
          priority: spec.priority ?? 0,
          namespaces: spec.namespaces === undefined ? null : new Set(spec.namespaces),
          serviceSelectors: spec.serviceSelectors ?? [],
        }
      : null,
  };
}

export type ServiceSpec = {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Labels;
  readonly created?: string | null;
  readonly type?: string;
  readonly loadBalancerClass?: string | null;
  readonly families?: readonly Family[];
  readonly ipFamilyPolicy?: IPFamilyPolicy;
  readonly requestedIPs?: readonly string[];
  readonly addressPool?: string | null;
  readonly sharingKey?: string | null;
  /** ETP Local with this selector when set. */
  readonly localSelector?: Labels;
  /** "TCP/80" style. */
  readonly ports?: readonly string[];
  readonly ingressIPs?: readonly string[];
  readonly requestError?: string | null;
};

function port(text: string): ServicePort {
  const [protocol, number] = text.split('/');
  if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') throw new Error(`bad port ${text}`);
  return { protocol, port: Number(number) };
}

export function aService(spec: ServiceSpec = {}): ServiceInput {
  const namespace = spec.namespace ?? 'default';
  const name = spec.name ?? 'a';
  const local = spec.localSelector;
  const backendKey = local === undefined ? '' : Object.keys(local).sort().map((k) => `${k}=${local[k]}`).join(',');
  return {
    key: serviceKey(namespace, name),
    namespace,
    name,
    labels: spec.labels ?? {},
    creationTimestamp: spec.created === undefined ? '2024-01-01T00:00:00Z' : spec.created,
    type: spec.type ?? 'LoadBalancer',
    loadBalancerClass: spec.loadBalancerClass ?? null,
    families: spec.families ?? ['ipv4'],
    ipFamilyPolicy: spec.ipFamilyPolicy ?? 'SingleStack',
    requestedIPs: (spec.requestedIPs ?? []).map(ip),
    addressPool: spec.addressPool ?? null,
    sharingKey: spec.sharingKey ?? null,
    backendKey,
    externalTrafficPolicy: local === undefined ? 'Cluster' : 'Local',
    ports: (spec.ports ?? ['TCP/80']).map(port),
    ingressIPs: (spec.ingressIPs ?? []).map(ip),
    requestError: spec.requestError ?? null,
    deprecatedAnnotations: [],
  };
}

/** The given minute of 2024-01-01, for ordering Services by age. */
export const at = (minute: number): string => `2024-01-01T00:${String(minute).padStart(2, '0')}:00Z`;

/** A decision without its message, for table comparisons. */
export function outcome(d: ServiceDecision): Record<string, unknown> {
  switch (d.state) {
    case 'allocated':
      return { state: d.state, ips: d.ips, pool: d.pool };
    case 'pending':
      return { state: d.state, reason: d.reason };
    case 'ignored':
      return { state: d.state };
    default:
      return assertNever(d);
  }
}

export type ServiceArbitraryOptions = {
  readonly name: fc.Arbitrary<string>;
  /** Addresses requested and shown in status are drawn from these. */
  readonly addresses: readonly string[];
  /** Pools an address-pool annotation may name (and one that does not exist). */
  readonly poolNames: readonly string[];
  /** allow-shared-ip values, repeated to weight them. */
  readonly sharingKeys: readonly (string | null)[];
  /** How much likelier a Service shows no ingress IP than some (1: as likely). */
  readonly noIngressWeight: number;
  /** Whether one Service in ten carries a request error. */
  readonly requestErrors: boolean;
};

/** Random Services for the allocator's property tests: every field planning reads, biased to collide. */
export const serviceArbitrary = (o: ServiceArbitraryOptions): fc.Arbitrary<ServiceInput> =>
  fc
    .record({
      name: o.name,
      namespace: fc.constantFrom('ns1', 'ns2'),
      app: fc.constantFrom('web', 'db'),
      created: fc.option(fc.integer({ min: 0, max: 5 })),
      type: fc.constantFrom('LoadBalancer', 'LoadBalancer', 'LoadBalancer', 'ClusterIP'),
      families: fc.constantFrom<ServiceInput['families']>(['ipv4'], ['ipv4'], ['ipv6'], ['ipv4', 'ipv6'], ['ipv6', 'ipv4']),
      ipFamilyPolicy: fc.constantFrom<ServiceInput['ipFamilyPolicy']>('SingleStack', 'PreferDualStack', 'RequireDualStack'),
      requestedIPs: fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.subarray([...o.addresses], { maxLength: 2 }) }),
      addressPool: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...o.poolNames, 'missing') }),
      sharingKey: fc.constantFrom(...o.sharingKeys),
      local: fc.boolean(),
      ports: fc.subarray(['TCP/80', 'TCP/443', 'UDP/53'], { minLength: 1 }),
      ingressIPs: fc.oneof({ weight: o.noIngressWeight, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.subarray([...o.addresses], { maxLength: 2 }) }),
      requestError: o.requestErrors
        ? fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant('spec.loadBalancerIP: bad') })
        : fc.constant(null),
    })
    .map((s) =>
      aService({
        name: s.name,
        namespace: s.namespace,
        labels: { app: s.app },
        created: s.created === null ? null : at(s.created),
        type: s.type,
        families: s.families,
        ipFamilyPolicy: s.families.length === 1 ? 'SingleStack' : s.ipFamilyPolicy,
        requestedIPs: s.requestedIPs,
        addressPool: s.addressPool,
        sharingKey: s.sharingKey,
        ...(s.local ? { localSelector: { app: s.app } } : {}),
        ports: s.ports,
        ingressIPs: s.ingressIPs,
        requestError: s.requestError,
      }),
    );
