// v1 Service -> ServiceInput: what allocation and announcement read of a Service (§3 of the
// reference). Problems with the Service's own request become `requestError`, never ConfigErrors.

import { intern } from '../core/intern.ts';
import { keptList, none } from '../core/kept-list.ts';
import { memoized } from '../core/memoized.ts';
import { ipFamily, parseIP, type Family, type IP } from '../net/ip.ts';
import type { Labels } from './labels.ts';
import { ipFamilyPolicies, protocols, type IPFamilyPolicy, type Protocol, type ServiceInput, type ServiceKey, type ServicePort } from './model.ts';
import type { ObjectMeta } from './meta.ts';
import { at, index, isRecord, newIssues, readInt, readList, readRecord, readString, readStringList, readStringMap, show, type Reader, type WireRecord } from './wire.ts';

/** Annotation prefixes in precedence order; the last one is deprecated. */
export const annotationPrefixes = ['barelb.io/', 'metallb.io/', 'metallb.universe.tf/'] as const;
const deprecatedPrefix = 'metallb.universe.tf/';
const annotationNames = ['loadBalancerIPs', 'address-pool', 'allow-shared-ip'] as const;
type AnnotationName = (typeof annotationNames)[number];

type Annotation = { readonly key: string; readonly value: string };

/** The annotation under the first prefix that has it. */
function annotation(annotations: Labels, name: AnnotationName): Annotation | null {
  for (const prefix of annotationPrefixes) {
    const value = annotations[`${prefix}${name}`];
    if (value !== undefined) return { key: `${prefix}${name}`, value };
  }
  return null;
}

const annotationField = (key: string): string => `metadata.annotations[${JSON.stringify(key)}]`;

function parseIPs(r: Reader, texts: readonly { value: string; field: string }[]): IP[] {
  const out: IP[] = [];
  for (const { value, field } of texts) {
    const ip = parseIP(value);
    if (ip.ok) out.push(ip.value);
    else r.issues.errors.push({ object: r.object, field, message: ip.error });
  }
  return out;
}

function familiesOf(r: Reader, ips: readonly IP[], field: string): Family[] {
  const families = ips.map(ipFamily);
  if (families.length > 2) r.issues.errors.push({ object: r.object, field, message: `${families.length} addresses given; at most 2 (one per IP family)` });
  if (families.length === 2 && families[0] === families[1]) {
    r.issues.errors.push({ object: r.object, field, message: 'two addresses of the same IP family; a dual-stack request needs one IPv4 and one IPv6' });
  }
  return families.slice(0, 1 + Number(families[0] !== families[1]));
}

function readFamilies(r: Reader, spec: WireRecord): Family[] {
  const ips = readStringList(r, spec['clusterIPs'], 'spec.clusterIPs').map((e) => ({ value: e.value, field: index('spec.clusterIPs', e.index) }));
  const single = readString(r, spec['clusterIP'], 'spec.clusterIP');
  if (ips.length === 0 && single !== undefined) ips.push({ value: single, field: 'spec.clusterIP' });
  const real = ips.filter((e) => e.value !== '' && e.value !== 'None');
  const fromClusterIPs = real.length > 0 ? familiesOf(r, parseIPs(r, real), 'spec.clusterIPs') : [];
  if (fromClusterIPs.length > 0) return fromClusterIPs;
  const declared = readStringList(r, spec['ipFamilies'], 'spec.ipFamilies').map(({ value, index: i }) => {
    if (value !== 'IPv4' && value !== 'IPv6') r.issues.errors.push({ object: r.object, field: index('spec.ipFamilies', i), message: `${show(value)} is not an IP family (IPv4 or IPv6)` });
    return value === 'IPv6' ? 'ipv6' : 'ipv4';
  });
  return declared.length > 0 ? [...new Set(declared)].slice(0, 2) : ['ipv4'];
}

function readRequestedIPs(r: Reader, spec: WireRecord, annotations: Labels): IP[] {
  const single = readString(r, spec['loadBalancerIP'], 'spec.loadBalancerIP') ?? '';
  const list = annotation(annotations, 'loadBalancerIPs');
  if (single !== '' && list !== null) {
    r.issues.errors.push({ object: r.object, field: 'spec.loadBalancerIP', message: `spec.loadBalancerIP and the ${list.key} annotation are mutually exclusive` });
    return [];
  }
  if (single !== '') return parseIPs(r, [{ value: single, field: 'spec.loadBalancerIP' }]);
  if (list === null) return [];
  const field = annotationField(list.key);
  const ips = parseIPs(r, list.value.split(',').map((value) => ({ value: value.trim(), field })));
  familiesOf(r, ips, field);
  return ips;
}

const isProtocol = (s: string): s is Protocol => (protocols as readonly string[]).includes(s);

// Readings are kept for every Service (10 000 at scale, in the controller and in every speaker) and
// are never mutated, so the parts most Services have in common are shared instead of copied: the
// empty lists, the few possible family lists and the common ports (one frozen object each).
const familyList = memoized((key: string): readonly Family[] => Object.freeze(key.split(',') as Family[]), 16);
const sharedFamilies = (families: readonly Family[]): readonly Family[] => (families.length === 0 ? none : familyList(families.join(',')));
const sharedPorts = memoized((key: string): readonly ServicePort[] => {
  const [protocol, port] = key.split('/') as [Protocol, string];
  return Object.freeze([Object.freeze({ protocol, port: Number(port) })]);
}, 4096);

function readPorts(r: Reader, spec: WireRecord): readonly ServicePort[] {
  const out: ServicePort[] = [];
  (readList(r, spec['ports'], 'spec.ports') ?? []).forEach((p, i) => {
    const rec = readRecord(r, p, index('spec.ports', i)) ?? {};
    const protocol = readString(r, rec['protocol'], at(index('spec.ports', i), 'protocol')) ?? 'TCP';
    const port = readInt(r, rec['port'], at(index('spec.ports', i), 'port'), 1, 65535);
    if (!isProtocol(protocol)) r.issues.errors.push({ object: r.object, field: at(index('spec.ports', i), 'protocol'), message: `${show(protocol)} is not TCP, UDP or SCTP` });
    else if (port !== undefined) out.push({ protocol, port });
  });
  const only = out.length === 1 ? out[0] : undefined;
  return only === undefined ? keptList(out) : sharedPorts(`${only.protocol}/${only.port}`);
}

function readIngressIPs(status: unknown): IP[] {
  const lb = isRecord(status) && isRecord(status['loadBalancer']) ? status['loadBalancer'] : {};
  const ingress = Array.isArray(lb['ingress']) ? lb['ingress'] : [];
  return ingress.flatMap((e: unknown) => {
    const ip = isRecord(e) && typeof e['ip'] === 'string' ? parseIP(e['ip']) : undefined;
    return ip?.ok === true ? [ip.value] : []; // hostname-only and unparseable entries are not ours
  });
}

function readPolicy(r: Reader, spec: WireRecord): IPFamilyPolicy {
  const text = readString(r, spec['ipFamilyPolicy'], 'spec.ipFamilyPolicy') ?? 'SingleStack';
  const policy = ipFamilyPolicies.find((p) => p === text);
  if (policy === undefined) r.issues.errors.push({ object: r.object, field: 'spec.ipFamilyPolicy', message: `${show(text)} is not one of ${ipFamilyPolicies.join(', ')}` });
  return policy ?? 'SingleStack';
}

const internOrNull = (s: string | null): string | null => (s === null ? null : intern(s));

/** Reads a Service. Request problems are collected on a scratch reader; the first one is the requestError. */
export function readService(object: string, meta: ObjectMeta, body: WireRecord): ServiceInput {
  const r: Reader = { object, issues: newIssues() };
  const spec = readRecord(r, body['spec'], 'spec') ?? {};
  const namespace = meta.namespace === '' ? 'default' : meta.namespace;
  const families = readFamilies(r, spec);
  const ipFamilyPolicy = readPolicy(r, spec);
  const clusterIPCount = readStringList(r, spec['clusterIPs'], 'spec.clusterIPs').length;
  if (ipFamilyPolicy === 'RequireDualStack' && clusterIPCount > 0 && clusterIPCount < 2) {
    r.issues.errors.push({ object, field: 'spec.ipFamilyPolicy', message: `RequireDualStack needs two clusterIPs; the Service has ${clusterIPCount}` });
  }
  const requestedIPs = readRequestedIPs(r, spec, meta.annotations);
  const local = readString(r, spec['externalTrafficPolicy'], 'spec.externalTrafficPolicy') === 'Local';
  const selector = readStringMap(r, spec['selector'], 'spec.selector');
  const pool = annotation(meta.annotations, 'address-pool');
  const sharing = annotation(meta.annotations, 'allow-shared-ip');
  const ports = readPorts(r, spec);
  const first = r.issues.errors[0];
  return {
    // Joined, not serviceKey's template: the key is kept as long as the reading, and V8 keeps a
    // template literal of 13 characters or more as pieces (a ConsString beside them, and a flat copy
    // too once hashed); join() makes one flat string. ~100 bytes a Service at 10 000.
    key: [namespace, meta.name].join('/') as ServiceKey,
    namespace,
    name: meta.name,
    labels: meta.labels,
    creationTimestamp: meta.creationTimestamp,
    type: intern(readString(r, spec['type'], 'spec.type') ?? 'ClusterIP'),
    loadBalancerClass: internOrNull(readString(r, spec['loadBalancerClass'], 'spec.loadBalancerClass') ?? null),
    families: sharedFamilies(families),
    ipFamilyPolicy,
    requestedIPs: keptList(requestedIPs),
    addressPool: pool === null || pool.value === '' ? null : intern(pool.value),
    sharingKey: sharing === null ? null : sharing.value,
    backendKey: local ? Object.keys(selector).sort().map((k) => `${k}=${selector[k]}`).join(',') : '',
    externalTrafficPolicy: local ? 'Local' : 'Cluster',
    ports,
    ingressIPs: keptList(readIngressIPs(body['status'])),
    requestError: first === undefined ? null : `${first.field}: ${first.message}`,
    deprecatedAnnotations: keptList(annotationNames.map((n) => `${deprecatedPrefix}${n}`).filter((k) => meta.annotations[k] !== undefined)),
  };
}
