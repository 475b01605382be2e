// One decoded object on its own: which kind it is, and, for the kinds whose reading does not
// depend on any other object (Services, Namespaces, Nodes, EndpointSlices, Secrets), what it
// reads as and the problems found. barelb's own kinds are only classified here: their drafts take
// part in rules that span objects, so input.ts reads them again with the whole configuration.

import { intern } from '../core/intern.ts';
import { none } from '../core/kept-list.ts';
import { readBFDProfile } from './bfd-profile.ts';
import { readBGPAdvertisement } from './bgp-advertisement.ts';
import { readPeer } from './bgp-peer.ts';
import { readCommunityObject } from './community.ts';
import type { ConfigDrafts } from './config.ts';
import { readEndpointSlice } from './endpoint-slice.ts';
import { readL2Advertisement } from './l2-advertisement.ts';
import { readMeta, wireObject, type ObjectMeta, type WireObject } from './meta.ts';
import type { ConfigError, EndpointSliceInput, NamespaceInput, NodeInput, SecretInput, ServiceInput } from './model.ts';
import { readNamespace } from './namespace.ts';
import { readNode } from './node.ts';
import { readPool } from './pool.ts';
import { readSecret, secretId } from './secret.ts';
import { readService } from './service.ts';
import { canonicalJson, fail, isRecord, newIssues, readRecord, show, warn, type Issues, type WireRecord } from './wire.ts';

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

/** Reads one of barelb's kinds into its draft; problems go to the reader's issues. */
export function readConfigObject(o: WireObject, meta: ObjectMeta, d: ConfigDrafts): void {
  const r = o.reader;
  const raw = o.body['spec'];
  if (raw === undefined && o.kind === 'IPAddressPool') fail(r, 'spec', 'is required');
  const spec = readRecord(r, raw, 'spec') ?? {};
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

/** What a cluster object reads as, with its identity among objects of its kind ("namespace/name", or the name). */
export type ClusterItem =
  | { readonly kind: 'Service'; readonly id: string; readonly value: ServiceInput }
  | { readonly kind: 'Namespace'; readonly id: string; readonly value: NamespaceInput }
  | { readonly kind: 'Node'; readonly id: string; readonly value: NodeInput }
  | { readonly kind: 'EndpointSlice'; readonly id: string; readonly value: EndpointSliceInput }
  | { readonly kind: 'Secret'; readonly id: string; readonly value: SecretInput };

function readClusterObject(o: WireObject, meta: ObjectMeta): ClusterItem | null {
  switch (o.kind) {
    case 'Service': {
      const svc = readService(o.reader.object, meta, o.body);
      for (const key of svc.deprecatedAnnotations) {
        warn(o.reader, `metadata.annotations["${key}"]`, `deprecated annotation prefix; use barelb.io/${key.slice(key.indexOf('/') + 1)}`);
      }
      return { kind: 'Service', id: svc.key, value: svc };
    }
    case 'Namespace': return { kind: 'Namespace', id: meta.name, value: readNamespace(meta.name, meta.labels) };
    case 'Node': return { kind: 'Node', id: meta.name, value: readNode(o.reader, meta.name, meta.labels, o.body) };
    case 'EndpointSlice': {
      const slice = readEndpointSlice(o.reader, meta.name, meta.namespace, meta.labels, o.body);
      return { kind: 'EndpointSlice', id: [slice.namespace, slice.name].join('/'), value: slice };
    }
    case 'Secret': {
      const secret = readSecret(o.reader, meta.namespace === '' ? 'default' : meta.namespace, meta.name, o.body);
      return { kind: 'Secret', id: secretId(secret.namespace, secret.name), value: secret };
    }
    default: return null;
  }
}

/**
 * One object read on its own. Immutable once built, so a cache may hand the same one to every
 * parse of the same (unchanged) object.
 */
export type ObjectRead = {
  readonly body: WireRecord;
  readonly kind: string;
  /** With kind, the order objects are read in (compared in turn, not joined: one string less per object kept). */
  readonly namespace: string;
  readonly name: string;
  /** 'config': read again with the whole configuration (input.ts); `issues` and `item` are then empty. */
  readonly what: 'config' | 'cluster' | 'ignore';
  /** Problems found reading this object alone. */
  readonly issues: Issues;
  readonly item: ClusterItem | null;
};

/** What an object without problems keeps: one shared, frozen value instead of two empty arrays each. */
// Issues' lists are mutable for readers that collect into them; frozen, a stray push fails at once.
const noProblems = none as unknown as ConfigError[];
const noIssues: Issues = Object.freeze({ errors: noProblems, warnings: noProblems });

export function readObject(body: WireRecord): ObjectRead {
  const issues = newIssues();
  const o = wireObject(body, issues);
  const head = { body, kind: o.kind, namespace: intern(o.namespace), name: o.name ?? '' };
  const what = classify(o);
  const meta = what === 'cluster' ? readMeta(o, false) : undefined;
  const item = meta === undefined ? null : readClusterObject(o, meta);
  // Kept per object by the parse cache (10 000s of them): only the ones with problems keep their own.
  const kept = issues.errors.length === 0 && issues.warnings.length === 0 ? noIssues : issues;
  return { ...head, what, issues: kept, item };
}

/**
 * A resourceVersion as kept: the number when it is a plain decimal integer (etcd's revisions,
 * which the API server hands out), else the text. A number is kept inside the reading instead of
 * a string beside it (20 000 strings at 10 000 Services and slices, ~0.5 MB). Equal text gives
 * an equal kept value, and only equality is ever asked of a resourceVersion.
 */
export function keptVersion(rv: string): string | number {
  return /^[1-9][0-9]{0,14}$/.test(rv) ? Number(rv) : rv;
}

/** The body a reading made ahead of the parse keeps: none (see PreRead). */
const noBody: WireRecord = Object.freeze({});

/**
 * An object read ahead of the parse, by a store that keeps readings instead of objects (the
 * speaker's reflectors: at 10 000 Services the objects would be kept twice, once as they came and
 * once as read). parseInput takes it in the object's place and uses its reading as it is. The
 * reading drops the body unless it is one of barelb's kinds (those are read again with the whole
 * configuration); without it, two objects of the same kind, namespace and name keep their input
 * order, which a store keyed by namespace and name never holds.
 */
export class PreRead implements ObjectRead {
  readonly body: WireRecord;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly what: 'config' | 'cluster' | 'ignore';
  readonly issues: Issues;
  /** The item's id and value (ClusterItem), kept here rather than in an item object of their own. */
  readonly id: string;
  readonly value: ClusterItem['value'] | null;
  /** metadata.resourceVersion of the object read (keptVersion), or null. */
  readonly version: string | number | null;

  constructor(body: WireRecord) {
    // The reading's fields on this object itself rather than a reading beside it: one object less
    // for each of 10 000s kept.
    const read = readObject(body);
    this.body = read.what === 'config' ? read.body : noBody;
    this.kind = read.kind;
    this.namespace = read.namespace;
    this.name = read.name;
    this.what = read.what;
    this.issues = read.issues;
    this.id = read.item?.id ?? '';
    this.value = read.item?.value ?? null;
    const meta = body['metadata'];
    const rv = isRecord(meta) ? meta['resourceVersion'] : undefined;
    this.version = typeof rv === 'string' ? keptVersion(rv) : null;
  }

  /** The reading parseInput uses in the object's place: this object. */
  get read(): ObjectRead {
    return this;
  }

  /** The cluster item read: this object too (its kind is the item's kind), or null. */
  get item(): ClusterItem | null {
    return this.value === null ? null : (this as unknown as ClusterItem);
  }
}

const contentKeys = new WeakMap<ObjectRead, string>();
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Orders objects by kind, namespace and name, then content, so the input order never matters. */
export function compareObjects(a: ObjectRead, b: ObjectRead): number {
  const order = compareText(a.kind, b.kind) || compareText(a.namespace, b.namespace) || compareText(a.name, b.name);
  if (order !== 0) return order;
  const json = (o: ObjectRead): string => contentKeys.get(o) ?? contentKeys.set(o, canonicalJson(o.body)).get(o) ?? '';
  const ja = json(a);
  const jb = json(b);
  return ja < jb ? -1 : ja > jb ? 1 : 0;
}
