// The entry point of the API layer: decoded manifests in, the validated Config plus the
// Services, Namespaces, Nodes and EndpointSlices out, with every error and warning found.
// Never throws; the result does not depend on the order of the input objects.

import { readBFDProfile } from './bfd-profile.ts';
import { readBGPAdvertisement } from './bgp-advertisement.ts';
import { readPeer } from './bgp-peer.ts';
import { readCommunityObject } from './community.ts';
import { buildConfig, emptyDrafts, type ConfigDrafts } from './config.ts';
import { readEndpointSlice } from './endpoint-slice.ts';
import { readL2Advertisement } from './l2-advertisement.ts';
import { readMeta, wireObject, type ObjectMeta, type WireObject } from './meta.ts';
import type { Config, ConfigError, EndpointSliceInput, NamespaceInput, NodeInput, SecretInput, ServiceInput } from './model.ts';
import { readSecret, resolvePeerPassword, secretId } from './secret.ts';
import { readNamespace } from './namespace.ts';
import { readNode } from './node.ts';
import { readPool } from './pool.ts';
import { readService } from './service.ts';
import { canonicalJson, fail, isRecord, newIssues, readRecord, show, warn, type Issues, type WireRecord } from './wire.ts';

export type ParsedInput = {
  /** Always present; partial (and not to be used) when `errors` is non-empty. */
  readonly config: Config;
  /** Sorted by key. */
  readonly services: readonly ServiceInput[];
  readonly namespaces: readonly NamespaceInput[];
  readonly nodes: readonly NodeInput[];
  readonly endpointSlices: readonly EndpointSliceInput[];
  /** By "namespace/name". */
  readonly secrets: ReadonlyMap<string, SecretInput>;
  /** All errors, sorted by object, then field. */
  readonly errors: readonly ConfigError[];
  readonly warnings: readonly ConfigError[];
};

/** barelb's own kinds, served under both API groups, and the versions each accepts. */
const configKinds: ReadonlyMap<string, readonly string[]> = new Map([
  ['IPAddressPool', ['v1beta1']],
  ['L2Advertisement', ['v1beta1']],
  ['BGPAdvertisement', ['v1beta1']],
  ['BGPPeer', ['v1beta1', 'v1beta2']],
  ['BFDProfile', ['v1beta1']],
  ['Community', ['v1beta1']],
]);
export const apiGroups = ['barelb.io', 'metallb.io'] as const;

/** Kubernetes kinds barelb reads, by kind: their group ("" = core) and version. */
const clusterKinds: ReadonlyMap<string, { readonly group: string; readonly version: string }> = new Map([
  ['Service', { group: '', version: 'v1' }],
  ['Namespace', { group: '', version: 'v1' }],
  ['Node', { group: '', version: 'v1' }],
  ['EndpointSlice', { group: 'discovery.k8s.io', version: 'v1' }],
  ['Secret', { group: '', version: 'v1' }],
]);

type Collected = {
  readonly drafts: ConfigDrafts;
  readonly services: ServiceInput[];
  readonly namespaces: NamespaceInput[];
  readonly nodes: NodeInput[];
  readonly endpointSlices: EndpointSliceInput[];
  readonly secrets: SecretInput[];
};

/** Unwraps `kind: List` (and `FooList`) documents; drops empty documents. */
function flatten(objects: readonly unknown[], issues: Issues, depth = 0): WireRecord[] {
  const out: WireRecord[] = [];
  for (const o of objects) {
    if (o === null || o === undefined) continue;
    if (!isRecord(o)) {
      issues.errors.push({ object: '(document)', field: '', message: `is not a Kubernetes object: ${show(o)}` });
    } else if (typeof o['kind'] === 'string' && o['kind'].endsWith('List') && Array.isArray(o['items']) && depth < 8) {
      out.push(...flatten(o['items'], issues, depth + 1));
    } else {
      out.push(o);
    }
  }
  return out;
}

const splitApiVersion = (v: string): { group: string; version: string } => {
  const slash = v.indexOf('/');
  return slash < 0 ? { group: '', version: v } : { group: v.slice(0, slash), version: v.slice(slash + 1) };
};

/** What to do with an object: read it as one of our kinds, or ignore it (after reporting). */
function classify(o: WireObject): 'config' | 'cluster' | 'ignore' {
  const r = o.reader;
  const known = configKinds.has(o.kind) || clusterKinds.has(o.kind);
  if (o.kind === '') fail(r, 'kind', 'is required');
  else if (o.apiVersion === '' && known) fail(r, 'apiVersion', 'is required');
  else if (o.apiVersion === '') warn(r, 'kind', 'ignored: not a kind barelb reads');
  if (o.kind === '' || o.apiVersion === '') return 'ignore';
  const { group, version } = splitApiVersion(o.apiVersion);
  const versions = configKinds.get(o.kind);
  if (versions !== undefined) {
    if ((apiGroups as readonly string[]).includes(group) && versions.includes(version)) return 'config';
    fail(r, 'apiVersion', `${show(o.apiVersion)} is not supported for ${o.kind}; use ${apiGroups.map((g) => versions.map((v) => `${g}/${v}`).join(' or ')).join(' or ')}`);
    return 'ignore';
  }
  const cluster = clusterKinds.get(o.kind);
  if (cluster !== undefined && cluster.group === group) {
    if (cluster.version === version) return 'cluster';
    fail(r, 'apiVersion', `${show(o.apiVersion)} is not supported for ${o.kind}; use ${group === '' ? '' : `${group}/`}${cluster.version}`);
    return 'ignore';
  }
  warn(r, 'kind', 'ignored: not a kind barelb reads');
  return 'ignore';
}

function readConfigObject(o: WireObject, meta: ObjectMeta, acc: Collected): void {
  const r = o.reader;
  const raw = o.body['spec'];
  if (raw === undefined && o.kind === 'IPAddressPool') fail(r, 'spec', 'is required');
  const spec = readRecord(r, raw, 'spec') ?? {};
  const d = acc.drafts;
  switch (o.kind) {
    case 'IPAddressPool': d.pools.push(readPool(r, meta.name, meta.labels, spec)); break;
    case 'L2Advertisement': d.l2Advertisements.push(readL2Advertisement(r, meta.name, spec)); break;
    case 'BGPAdvertisement': d.bgpAdvertisements.push(readBGPAdvertisement(r, meta.name, spec)); break;
    case 'BFDProfile': d.bfdProfiles.push({ reader: r, profile: readBFDProfile(r, meta.name, spec) }); break;
    case 'Community': d.communities.push(readCommunityObject(r, meta.name, spec)); break;
    case 'BGPPeer': {
      const version = splitApiVersion(o.apiVersion).version === 'v1beta1' ? 'v1beta1' : 'v1beta2';
      if (version === 'v1beta1') warn(r, 'apiVersion', 'BGPPeer v1beta1 is deprecated, please use v1beta2 (read as v1beta2)');
      const peer = readPeer(r, meta.name, meta.namespace, spec, version);
      if (peer !== undefined) d.bgpPeers.push({ reader: r, peer });
      break;
    }
  }
}

function readClusterObject(o: WireObject, meta: ObjectMeta, acc: Collected): void {
  switch (o.kind) {
    case 'Service': {
      const svc = readService(o.reader.object, meta, o.body);
      for (const key of svc.deprecatedAnnotations) {
        warn(o.reader, `metadata.annotations["${key}"]`, `deprecated annotation prefix; use barelb.io/${key.slice(key.indexOf('/') + 1)}`);
      }
      acc.services.push(svc);
      break;
    }
    case 'Namespace': acc.namespaces.push(readNamespace(meta.name, meta.labels)); break;
    case 'Node': acc.nodes.push(readNode(o.reader, meta.name, meta.labels, o.body)); break;
    case 'EndpointSlice': acc.endpointSlices.push(readEndpointSlice(o.reader, meta.name, meta.namespace, meta.labels, o.body)); break;
    case 'Secret': acc.secrets.push(readSecret(o.reader, meta.namespace === '' ? 'default' : meta.namespace, meta.name, o.body)); break;
  }
}

/** Orders objects by kind, namespace and name, then content, so the input order never matters. */
function sortObjects(objects: WireObject[]): WireObject[] {
  const content = new Map<WireObject, string>();
  const json = (o: WireObject): string => content.get(o) ?? content.set(o, canonicalJson(o.body)).get(o) ?? '';
  const key = (o: WireObject): string => `${o.kind}\u0000${o.namespace}\u0000${o.name ?? ''}`;
  return objects.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return ka < kb ? -1 : 1;
    const ja = json(a);
    const jb = json(b);
    return ja < jb ? -1 : ja > jb ? 1 : 0;
  });
}

/** Keeps the first of several objects with the same identity, reporting the others. */
function uniqueBy<T>(items: readonly T[], id: (t: T) => string, kind: string, issues: Issues, ref: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const dup = seen.has(id(t));
    if (dup) issues.errors.push({ object: ref(t), field: 'metadata.name', message: `duplicate ${kind} ${show(id(t))}; this copy is ignored` });
    seen.add(id(t));
    return !dup;
  });
}

const byObjectThenField = (a: ConfigError, b: ConfigError): number =>
  a.object < b.object ? -1 : a.object > b.object ? 1 : a.field < b.field ? -1 : a.field > b.field ? 1 : a.message < b.message ? -1 : a.message > b.message ? 1 : 0;

export function parseInput(objects: readonly unknown[]): ParsedInput {
  const issues = newIssues();
  const acc: Collected = { drafts: emptyDrafts(), services: [], namespaces: [], nodes: [], endpointSlices: [], secrets: [] };
  const wire = sortObjects(flatten(Array.isArray(objects) ? objects : [objects], issues).map((b) => wireObject(b, issues)));
  for (const o of wire) {
    const what = classify(o);
    if (what === 'ignore') continue;
    const meta = readMeta(o, what === 'config');
    if (meta === undefined) continue;
    if (what === 'config') readConfigObject(o, meta, acc);
    else readClusterObject(o, meta, acc);
  }
  const namespaces = uniqueBy(acc.namespaces, (n) => n.name, 'Namespace', issues, (n) => `Namespace/${n.name}`);
  const nodes = uniqueBy(acc.nodes, (n) => n.name, 'Node', issues, (n) => `Node/${n.name}`);
  const config = buildConfig(acc.drafts, namespaces, nodes);
  const services = uniqueBy([...acc.services].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)), (s) => s.key, 'Service', issues, (s) => `Service/${s.key}`);
  const sliceId = (e: EndpointSliceInput): string => `${e.namespace}/${e.name}`;
  const sortedSlices = [...acc.endpointSlices].sort((a, b) => (sliceId(a) < sliceId(b) ? -1 : sliceId(a) > sliceId(b) ? 1 : 0));
  const slices = uniqueBy(sortedSlices, sliceId, 'EndpointSlice', issues, (e) => `EndpointSlice/${e.namespace}/${e.name}`);
  const secrets = new Map(acc.secrets.map((x) => [secretId(x.namespace, x.name), x]));
  for (const { reader, peer } of acc.drafts.bgpPeers) {
    const resolved = resolvePeerPassword(peer, reader.object, secrets);
    if (!resolved.ok) issues.errors.push(resolved.error);
  }
  return {
    config,
    services,
    namespaces,
    nodes,
    endpointSlices: slices,
    secrets,
    errors: [...issues.errors].sort(byObjectThenField),
    warnings: [...issues.warnings].sort(byObjectThenField),
  };
}
