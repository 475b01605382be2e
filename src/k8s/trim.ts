// What the reflectors keep of each object: the fields barelb reads, nothing else. At 10 000
// Services (and as many EndpointSlices) every dropped field is memory in the controller and in
// every speaker; in real clusters the largest parts are managedFields, kubectl's
// last-applied-configuration annotation, and a Node's image list. The parser and the status
// writers read only what is kept here (a test checks both give the same answers either way).

import { serviceNameLabel } from '../api/endpoint-slice.ts';
import { annotationPrefixes } from '../api/service.ts';
import { record, type WireObject } from './client.ts';

/** Metadata barelb reads (or writes back against): identity, labels, barelb's annotations. */
function trimMeta(o: WireObject, annotations: (key: string) => boolean): WireObject {
  const meta = record(o['metadata']);
  const out: WireObject = {};
  for (const k of ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'labels'] as const) {
    if (meta[k] !== undefined) out[k] = meta[k];
  }
  const kept = Object.entries(record(meta['annotations'])).filter(([k]) => annotations(k));
  if (kept.length > 0) out['annotations'] = Object.fromEntries(kept);
  return out;
}

const ours = (key: string): boolean => annotationPrefixes.some((p) => key.startsWith(p));
const allButLastApplied = (key: string): boolean => key !== 'kubectl.kubernetes.io/last-applied-configuration';

function pick(o: unknown, keys: readonly string[]): WireObject {
  const r = record(o);
  const out: WireObject = {};
  for (const k of keys) if (r[k] !== undefined) out[k] = r[k];
  return out;
}

const SERVICE_SPEC = ['type', 'clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy', 'loadBalancerIP', 'loadBalancerClass', 'externalTrafficPolicy', 'selector'];

function trimService(o: WireObject): WireObject {
  const spec = record(o['spec']);
  const status = record(o['status']);
  const ports = Array.isArray(spec['ports']) ? spec['ports'].map((p) => pick(p, ['protocol', 'port'])) : spec['ports'];
  return {
    ...head(o),
    metadata: trimMeta(o, ours),
    spec: { ...pick(spec, SERVICE_SPEC), ...(ports === undefined ? {} : { ports }) },
    ...(o['status'] === undefined ? {} : { status: pick(status, ['loadBalancer', 'conditions']) }),
  };
}

/** An EndpointSlice is read for its Service (one label) and its endpoints; nothing writes it back. */
function trimEndpointSlice(o: WireObject): WireObject {
  const endpoints = Array.isArray(o['endpoints']) ? o['endpoints'].map((e) => pick(e, ['addresses', 'conditions', 'nodeName'])) : o['endpoints'];
  const meta = pick(o['metadata'], ['name', 'namespace', 'resourceVersion', 'deletionTimestamp']);
  const service = record(record(o['metadata'])['labels'])[serviceNameLabel];
  if (service !== undefined) meta['labels'] = { [serviceNameLabel]: service };
  return { ...head(o), metadata: meta, ...(o['addressType'] === undefined ? {} : { addressType: o['addressType'] }), ...(endpoints === undefined ? {} : { endpoints }) };
}

function trimNode(o: WireObject): WireObject {
  const status = record(o['status']);
  const conditions = Array.isArray(status['conditions']) ? status['conditions'].map((c) => pick(c, ['type', 'status'])) : status['conditions'];
  return {
    ...head(o),
    metadata: trimMeta(o, () => false),
    ...(o['status'] === undefined ? {} : { status: { ...(conditions === undefined ? {} : { conditions }), ...(status['addresses'] === undefined ? {} : { addresses: status['addresses'] }) } }),
  };
}

const head = (o: WireObject): WireObject => pick(o, ['apiVersion', 'kind']);

/** Every other kind: the object without managedFields and kubectl's copy of its last applied text. */
function trimOther(o: WireObject): WireObject {
  const meta = record(o['metadata']);
  if (!('managedFields' in meta) && meta['annotations'] === undefined) return o;
  const { managedFields: _dropped, annotations, ...rest } = meta;
  const kept = Object.entries(record(annotations)).filter(([k]) => allButLastApplied(k));
  return { ...o, metadata: { ...rest, ...(kept.length > 0 ? { annotations: Object.fromEntries(kept) } : {}) } };
}

/** The trimmed copy of `o`, by its kind (a LIST's items carry the kind the client adds). */
export function trimObject(o: WireObject): WireObject {
  switch (o['kind']) {
    case 'Service':
      return trimService(o);
    case 'EndpointSlice':
      return trimEndpointSlice(o);
    case 'Node':
      return trimNode(o);
    default:
      return trimOther(o);
  }
}
