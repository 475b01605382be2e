// The entry point of the API layer: decoded manifests in, the validated Config plus the
// Services, Namespaces, Nodes and EndpointSlices out, with every error and warning found.
// Never throws; the result does not depend on the order of the input objects. A ParseCache lets
// a long-lived reader skip the objects it has read before (see parse-cache.ts).

import type { Config, ConfigError, EndpointSliceInput, NamespaceInput, NodeInput, SecretInput, ServiceInput } from './model.ts';
import { compareObjects, PreRead, type ClusterItem, type ObjectRead } from './object-read.ts';
import { ParseCache } from './parse-cache.ts';
import { resolvePeerPassword } from './secret.ts';
import { isRecord, newIssues, show, type Issues, type WireRecord } from './wire.ts';

export { ParseCache } from './parse-cache.ts';
export { apiGroups, PreRead } from './object-read.ts';

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

/** Unwraps `kind: List` (and `FooList`) documents; drops empty documents. `nested` is set when a List or a non-object was met. */
function flatten(objects: readonly unknown[], issues: Issues, seen: { nested: boolean }, depth = 0): (WireRecord | PreRead)[] {
  const out: (WireRecord | PreRead)[] = [];
  for (const o of objects) {
    if (o === null || o === undefined) continue;
    if (o instanceof PreRead) {
      out.push(o);
    } else if (!isRecord(o)) {
      seen.nested = true;
      issues.errors.push({ object: '(document)', field: '', message: `is not a Kubernetes object: ${show(o)}` });
    } else if (typeof o['kind'] === 'string' && o['kind'].endsWith('List') && Array.isArray(o['items']) && depth < 8) {
      seen.nested = true;
      out.push(...flatten(o['items'], issues, seen, depth + 1));
    } else {
      out.push(o);
    }
  }
  return out;
}

/**
 * Sorts like `compareObjects`, faster: kinds are few and objects of one kind mostly arrive in
 * order (files are read in name order), so each kind's run is nearly sorted. Grouping by kind
 * first gives the same order as one sort by compareObjects, which compares kind first.
 */
function sortObjects(reads: readonly ObjectRead[]): ObjectRead[] {
  const byKind = new Map<string, ObjectRead[]>();
  for (const r of reads) {
    const list = byKind.get(r.kind);
    if (list === undefined) byKind.set(r.kind, [r]);
    else list.push(r);
  }
  return [...byKind.keys()].sort().flatMap((k) => (byKind.get(k) ?? []).sort(compareObjects));
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

type Item<K extends ClusterItem['kind']> = Extract<ClusterItem, { readonly kind: K }>;

/**
 * Sorts by id (stable: copies keep their parse order) and keeps the first of each id, reporting
 * the others. The same as sorting, then uniqueBy; equal ids end up next to each other.
 */
function sortedUnique<T>(items: { readonly id: string; readonly value: T }[], kind: string, issues: Issues, ref: (id: string) => string): T[] {
  items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: T[] = [];
  let last: string | null = null;
  for (const item of items) {
    if (item.id === last) issues.errors.push({ object: ref(item.id), field: 'metadata.name', message: `duplicate ${kind} ${show(item.id)}; this copy is ignored` });
    else out.push(item.value);
    last = item.id;
  }
  return out;
}

const byObjectThenField = (a: ConfigError, b: ConfigError): number =>
  a.object < b.object ? -1 : a.object > b.object ? 1 : a.field < b.field ? -1 : a.field > b.field ? 1 : a.message < b.message ? -1 : a.message > b.message ? 1 : 0;

/**
 * With a cache (one per long-lived reader: the controller, a speaker), objects seen before are not
 * read again: pass the same object only while it is unchanged (decoded files are frozen; the
 * Kubernetes reflectors replace an object on every update). The result equals an uncached parse.
 */
export function parseInput(objects: readonly unknown[], cache: ParseCache = new ParseCache()): ParsedInput {
  const list = Array.isArray(objects) ? objects : null;
  const patched = list === null ? null : cache.patch(list);
  if (patched !== null) return patched;
  const issues = newIssues();
  const seen = { nested: false };
  const records = flatten(list ?? [objects], issues, seen);
  const reads = sortObjects(records.map((b) => cache.read(b)));
  const services: Item<'Service'>[] = [];
  const namespaceList: NamespaceInput[] = [];
  const nodeList: NodeInput[] = [];
  const sliceList: Item<'EndpointSlice'>[] = [];
  const secrets = new Map<string, SecretInput>();
  const configObjects: WireRecord[] = [];
  for (const r of reads) {
    if (r.what === 'config') {
      configObjects.push(r.body);
      continue;
    }
    if (r.issues.errors.length > 0) issues.errors.push(...r.issues.errors);
    if (r.issues.warnings.length > 0) issues.warnings.push(...r.issues.warnings);
    const item = r.item;
    if (item === null) continue;
    switch (item.kind) {
      case 'Service': services.push(item); break;
      case 'Namespace': namespaceList.push(item.value); break;
      case 'Node': nodeList.push(item.value); break;
      case 'EndpointSlice': sliceList.push(item); break;
      // The last of a name wins, as in a Map built in parse order.
      case 'Secret': secrets.set(item.id, item.value); break;
    }
  }
  const namespaces = uniqueBy(namespaceList, (n) => n.name, 'Namespace', issues, (n) => `Namespace/${n.name}`);
  const nodes = uniqueBy(nodeList, (n) => n.name, 'Node', issues, (n) => `Node/${n.name}`);
  const configured = cache.config(configObjects, namespaces, nodes);
  issues.errors.push(...configured.issues.errors);
  issues.warnings.push(...configured.issues.warnings);
  const before = issues.errors.length;
  const sortedServices = sortedUnique(services, 'Service', issues, (id) => `Service/${id}`);
  const slices = sortedUnique(sliceList, 'EndpointSlice', issues, (id) => `EndpointSlice/${id}`);
  const duplicates = issues.errors.length > before;
  for (const { object, peer } of configured.peers) {
    const resolved = resolvePeerPassword(peer, object, secrets);
    if (!resolved.ok) issues.errors.push(resolved.error);
  }
  const result: ParsedInput = {
    config: configured.config,
    services: sortedServices,
    namespaces,
    nodes,
    endpointSlices: slices,
    secrets,
    errors: issues.errors.sort(byObjectThenField),
    warnings: issues.warnings.sort(byObjectThenField),
  };
  // The next parse may patch this one only when its input was the objects themselves (no List,
  // nothing that is not an object) and no two Services or slices shared an id.
  cache.remember(list !== null && !seen.nested && !duplicates ? list : null, result);
  return result;
}
