// Reading and rebuilding the head of a decoded Kubernetes object (kind, apiVersion, metadata)
// for migration: references for the report, plain-data copies, and metadata fit for a new object.

import { objectLabel } from '../api/meta.ts';
import { isRecord, type WireRecord } from '../api/wire.ts';
import { note, type Notes } from './notes.ts';

export type Head = {
  readonly kind: string;
  readonly group: string;
  readonly version: string;
  readonly name: string;
  readonly namespace: string;
  /** "Kind/namespace/name", as barelb's errors and the report name objects. */
  readonly ref: string;
};

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function headOf(o: WireRecord): Head {
  const apiVersion = str(o['apiVersion']);
  const slash = apiVersion.indexOf('/');
  const meta = isRecord(o['metadata']) ? o['metadata'] : {};
  return {
    kind: str(o['kind']),
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
    name: str(meta['name']),
    namespace: str(meta['namespace']),
    ref: objectLabel(o),
  };
}

/** A deep copy of plain decoded data, so the output never aliases the input. */
export function copy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copy);
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: copy(x), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

export const copyRecord = (r: WireRecord): Record<string, unknown> => copy(r) as Record<string, unknown>;

/** Written by the API server; meaningless (or harmful: resourceVersion) on an object to be created. */
const serverFields = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];
/** Would tie the new object to MetalLB's lifecycle (garbage collection, deletion). */
const lifecycleFields = ['ownerReferences', 'finalizers'];
const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Metadata for an object migrate creates (a converted config object, a moved Secret):
 * the target namespace, no server-written fields, no last-applied copy of the MetalLB object.
 */
export function freshMetadata(o: WireRecord, namespace: string, ref: string, notes: Notes): Record<string, unknown> {
  const meta = isRecord(o['metadata']) ? copyRecord(o['metadata']) : {};
  for (const key of serverFields) delete meta[key];
  for (const key of lifecycleFields) {
    if (meta[key] === undefined) continue;
    note(notes, 'metadata-dropped', ref, `metadata.${key}`, `dropped: ${key} would tie the new object to MetalLB's objects`);
    delete meta[key];
  }
  if (isRecord(meta['annotations'])) {
    const annotations = copyRecord(meta['annotations']);
    delete annotations[lastApplied];
    if (Object.keys(annotations).length > 0) meta['annotations'] = annotations;
    else delete meta['annotations'];
  }
  meta['namespace'] = namespace;
  return meta;
}
