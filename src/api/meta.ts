// The common head of every Kubernetes object (kind, apiVersion, metadata) and the object
// reference used in every error message ("IPAddressPool/barelb-system/blue").

import { intern } from '../core/intern.ts';
import { memoized } from '../core/memoized.ts';
import type { Labels } from './labels.ts';
import { objectRefText } from './model.ts';
import { objectNameProblem } from './names.ts';
import { fail, isRecord, readRecord, readString, readStringMap, type Issues, type Reader, type WireRecord } from './wire.ts';

export type ObjectMeta = {
  readonly name: string;
  /** "" when the manifest has none (cluster-scoped kinds, or not yet defaulted). */
  readonly namespace: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly creationTimestamp: string | null;
};

/** One decoded object with a recognisable head; `body` is the whole object. */
export type WireObject = {
  readonly kind: string;
  readonly apiVersion: string;
  readonly body: WireRecord;
  readonly reader: Reader;
  /** metadata.name, or null when missing (already reported). */
  readonly name: string | null;
  readonly namespace: string;
};

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Describes an object for messages even when its head is broken. */
export function objectLabel(body: WireRecord): string {
  const meta = isRecord(body['metadata']) ? body['metadata'] : {};
  const kind = str(body['kind']) || '(no kind)';
  const name = str(meta['name']) || '(unnamed)';
  return objectRefText({ kind, namespace: str(meta['namespace']), name });
}

export function wireObject(body: WireRecord, issues: Issues): WireObject {
  const reader: Reader = { object: objectLabel(body), issues };
  const meta = isRecord(body['metadata']) ? body['metadata'] : {};
  const name = typeof meta['name'] === 'string' && meta['name'] !== '' ? meta['name'] : null;
  return {
    kind: str(body['kind']),
    apiVersion: str(body['apiVersion']),
    body,
    reader,
    name,
    namespace: str(meta['namespace']),
  };
}

/**
 * One string per creation time seen lately: objects created in a burst share their second (at
 * 10 000 Services, ~40 a second), and each reading keeps its timestamp (0.4 MB of copies).
 */
const sameTime = memoized((text: string): string => text, 1024);

/**
 * Reads metadata; reports a missing name, and (with `strictName`, for barelb's own kinds)
 * a name that is not a DNS-1123 subdomain, since these names end up in frr.conf.
 */
export function readMeta(o: WireObject, strictName: boolean): ObjectMeta | undefined {
  const r = o.reader;
  const meta = readRecord(r, o.body['metadata'], 'metadata');
  if (meta === undefined) {
    fail(r, 'metadata', 'is required');
    return undefined;
  }
  const name = readString(r, meta['name'], 'metadata.name');
  const namespace = intern(readString(r, meta['namespace'], 'metadata.namespace') ?? '');
  const labels = readStringMap(r, meta['labels'], 'metadata.labels');
  const annotations = readStringMap(r, meta['annotations'], 'metadata.annotations');
  const created = meta['creationTimestamp'];
  const creationTimestamp = typeof created === 'string' ? sameTime(created) : null;
  if (name === undefined || name === '') {
    fail(r, 'metadata.name', 'is required');
    return undefined;
  }
  const problem = strictName ? objectNameProblem(name) : null;
  if (problem !== null) {
    fail(r, 'metadata.name', `${JSON.stringify(name)} is not a valid object name: ${problem}`);
    return undefined;
  }
  return { name, namespace, labels, annotations, creationTimestamp };
}
