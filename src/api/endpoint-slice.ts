// The discovery.k8s.io/v1 EndpointSlice kind: which endpoints of a Service are ready and on
// which node, for ETP=Local announcement and L2 election.

import { intern } from '../core/intern.ts';
import { keptList } from '../core/kept-list.ts';
import { parseIP } from '../net/ip.ts';
import type { Labels } from './labels.ts';
import type { Endpoint, EndpointSliceInput } from './model.ts';
import { at, index, isRecord, readList, readRecord, type Reader, type WireRecord } from './wire.ts';

export const serviceNameLabel = 'kubernetes.io/service-name';

function readEndpoint(r: Reader, v: unknown, path: string): Endpoint | undefined {
  const rec = readRecord(r, v, path);
  if (rec === undefined) return undefined;
  const hasAddress = (readList(r, rec['addresses'], at(path, 'addresses')) ?? []).some((a) => typeof a === 'string' && parseIP(a).ok);
  const conditions = isRecord(rec['conditions']) ? rec['conditions'] : {};
  // discovery.k8s.io/v1: an absent ready condition means ready; absent serving means "as ready".
  const ready = conditions['ready'] !== false;
  const serving = typeof conditions['serving'] === 'boolean' ? conditions['serving'] : ready;
  const nodeName = typeof rec['nodeName'] === 'string' && rec['nodeName'] !== '' ? intern(rec['nodeName']) : null;
  return sharedEndpoint(hasAddress, ready, serving, nodeName);
}

/** One frozen Endpoint per value seen lately (nodes x a few condition sets). */
const endpoints = new Map<string, Endpoint>();

function sharedEndpoint(hasAddress: boolean, ready: boolean, serving: boolean, nodeName: string | null): Endpoint {
  const key = [hasAddress ? 1 : 0, ready ? 1 : 0, serving ? 1 : 0, nodeName ?? ''].join('');
  const hit = endpoints.get(key);
  if (hit !== undefined) return hit;
  if (endpoints.size >= 4096) endpoints.clear();
  const endpoint: Endpoint = Object.freeze({ hasAddress, ready, serving, nodeName });
  endpoints.set(key, endpoint);
  return endpoint;
}

/** The one-endpoint list of each shared Endpoint. */
const alone = new WeakMap<Endpoint, readonly Endpoint[]>();

/** A slice's endpoint list as kept: a one-endpoint list (nearly every slice of a small Service) is shared too. */
function keptEndpoints(list: readonly Endpoint[]): readonly Endpoint[] {
  const only = list.length === 1 ? list[0] : undefined;
  if (only === undefined) return keptList(list);
  const hit = alone.get(only);
  if (hit !== undefined) return hit;
  const made = Object.freeze([only]);
  alone.set(only, made);
  return made;
}

export function readEndpointSlice(r: Reader, name: string, namespace: string, labels: Labels, body: WireRecord): EndpointSliceInput {
  const list = readList(r, body['endpoints'], 'endpoints') ?? [];
  return {
    namespace: namespace === '' ? 'default' : namespace,
    name,
    serviceName: labels[serviceNameLabel] ?? null,
    endpoints: keptEndpoints(list.map((e, i) => readEndpoint(r, e, index('endpoints', i))).filter((e) => e !== undefined)),
  };
}
