// What parseInput remembers between calls: each object's own reading, by object identity; the
// configuration built from barelb's kinds, reused while those objects, the Namespaces and the Nodes
// are the same; and the last result, which a parse whose input differs only in a few plain
// Services and EndpointSlices patches instead of reading every object. A cached parse equals an
// uncached one; only the work differs.

import { identityDiff } from '../core/identity-diff.ts';
import { sameItems } from '../core/same-items.ts';
import { sortedSearch } from '../core/sorted-search.ts';
import type { ParsedInput } from './input.ts';
import type { BGPPeer, Config, EndpointSliceInput, NamespaceInput, NodeInput, ServiceInput } from './model.ts';
import { buildConfig, emptyDrafts } from './config.ts';
import { readMeta, wireObject } from './meta.ts';
import { PreRead, readConfigObject, readObject, type ObjectRead } from './object-read.ts';
import { isRecord, newIssues, type Issues, type WireRecord } from './wire.ts';

/** The configuration part of a parse: everything read from barelb's own kinds. */
export type ConfigPart = {
  readonly config: Config;
  /** Problems of barelb's objects, their own and those of rules spanning objects. */
  readonly issues: Issues;
  /** Every BGPPeer read (duplicates too), for password Secrets, which are resolved per parse. */
  readonly peers: readonly { readonly object: string; readonly peer: BGPPeer }[];
};

/** Reads barelb's objects (already in parse order) and applies every rule that spans them. */
function readConfigPart(objects: readonly WireRecord[], namespaces: readonly NamespaceInput[], nodes: readonly NodeInput[]): ConfigPart {
  const issues = newIssues();
  const drafts = emptyDrafts();
  for (const body of objects) {
    const o = wireObject(body, issues);
    const meta = readMeta(o, true);
    if (meta !== undefined) readConfigObject(o, meta, drafts);
  }
  const config = buildConfig(drafts, namespaces, nodes);
  return { config, issues, peers: drafts.bgpPeers.map(({ reader, peer }) => ({ object: reader.object, peer })) };
}

const serviceId = (s: ServiceInput): string => s.key;
const sliceId = (s: EndpointSliceInput): string => `${s.namespace}/${s.name}`;

/**
 * One per long-lived reader. Objects must not change while the cache may see them again: a new
 * version must be a new object (decoded manifest files are frozen; reflectors replace objects).
 */
export class ParseCache {
  readonly #objects = new WeakMap<WireRecord, ObjectRead>();
  /** The last parse, when its input was plain (objects only, no List) and free of duplicate Services and slices. */
  #last: { readonly objects: readonly unknown[]; readonly result: ParsedInput } | null = null;
  #config: { readonly objects: readonly WireRecord[]; readonly namespaces: readonly NamespaceInput[]; readonly nodes: readonly NodeInput[]; readonly part: ConfigPart } | null = null;

  /** The object's own reading (a PreRead's is its own). */
  read(body: WireRecord | PreRead): ObjectRead {
    if (body instanceof PreRead) return body.read;
    const hit = this.#objects.get(body);
    if (hit !== undefined) return hit;
    const read = readObject(body);
    this.#objects.set(body, read);
    return read;
  }

  /** Keeps a parse for patch(); null forgets. */
  remember(objects: readonly unknown[] | null, result: ParsedInput): void {
    this.#last = objects === null ? null : { objects, result };
  }

  /**
   * The last parse's result changed by what differs in `objects` (by identity), when that is only
   * Services and EndpointSlices without any problem, added or removed under ids no other object
   * has: then nothing else in the result can change. Null otherwise (parse it all).
   */
  patch(objects: readonly unknown[]): ParsedInput | null {
    const last = this.#last;
    if (last === null) return null;
    const { removed, added } = identityDiff(last.objects, objects);
    if (removed.length + added.length > Math.max(16, objects.length / 8)) return null;
    const services = [...last.result.services];
    const slices = [...last.result.endpointSlices];
    for (const o of removed) {
      if (o === null || o === undefined) continue;
      const r = o instanceof PreRead ? o.read : isRecord(o) ? this.#objects.get(o) : undefined;
      if (r === undefined || !this.#simple(r)) return null;
      if (!(r.item?.kind === 'Service' ? take(services, r.item.value, serviceId) : r.item?.kind === 'EndpointSlice' && take(slices, r.item.value, sliceId))) return null;
    }
    for (const o of added) {
      if (o === null || o === undefined) continue;
      if (!(o instanceof PreRead) && (!isRecord(o) || (typeof o['kind'] === 'string' && o['kind'].endsWith('List')))) return null;
      const r = this.read(o);
      if (!this.#simple(r)) return null;
      if (!(r.item?.kind === 'Service' ? put(services, r.item.value, serviceId) : r.item?.kind === 'EndpointSlice' && put(slices, r.item.value, sliceId))) return null;
    }
    const result: ParsedInput = { ...last.result, services, endpointSlices: slices };
    this.#last = { objects, result };
    return result;
  }

  /** A Service or EndpointSlice read without any problem. */
  #simple(r: ObjectRead): boolean {
    return (r.item?.kind === 'Service' || r.item?.kind === 'EndpointSlice') && r.issues.errors.length === 0 && r.issues.warnings.length === 0;
  }

  /** The configuration from barelb's objects (in parse order), built again only when an input changed. */
  config(objects: readonly WireRecord[], namespaces: readonly NamespaceInput[], nodes: readonly NodeInput[]): ConfigPart {
    const last = this.#config;
    if (last !== null && sameItems(last.objects, objects) && sameItems(last.namespaces, namespaces) && sameItems(last.nodes, nodes)) return last.part;
    const part = readConfigPart(objects, namespaces, nodes);
    this.#config = { objects, namespaces, nodes, part };
    return part;
  }
}

/** Removes `item` from a list sorted by id; false when it is not there. */
function take<T>(list: T[], item: T, idOf: (t: T) => string): boolean {
  const { at, found } = byId(list, idOf(item), idOf);
  if (!found || list[at] !== item) return false;
  list.splice(at, 1);
  return true;
}

/** Inserts `item` into a list sorted by id; false when its id is taken. */
function put<T>(list: T[], item: T, idOf: (t: T) => string): boolean {
  const { at, found } = byId(list, idOf(item), idOf);
  if (found) return false;
  list.splice(at, 0, item);
  return true;
}

/** Where an item with this id is, or goes, in a list sorted by id. */
const byId = <T>(list: readonly T[], id: string, idOf: (t: T) => string) =>
  sortedSearch(list, (t) => {
    const other = idOf(t);
    return other < id ? -1 : other > id ? 1 : 0;
  });
