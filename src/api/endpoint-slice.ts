// The discovery.k8s.io/v1 EndpointSlice kind: which endpoints of a Service are ready and on
// which node, for ETP=Local announcement and L2 election.

import { intern } from '../core/intern.ts';
import { keptList } from '../core/kept-list.ts';
import { parseIP, type IP } from '../net/ip.ts';
import type { Labels } from './labels.ts';
import type { Endpoint, EndpointSliceInput } from './model.ts';
import { at, index, isRecord, readList, readRecord, type Reader, type WireRecord } from './wire.ts';

export const serviceNameLabel = 'kubernetes.io/service-name';

function readEndpoint(r: Reader, v: unknown, path: string): Endpoint | undefined {
  const rec = readRecord(r, v, path);
  if (rec === undefined) return undefined;
  const addresses = (readList(r, rec['addresses'], at(path, 'addresses')) ?? []).flatMap((a): IP[] => {
    const ip = typeof a === 'string' ? parseIP(a) : undefined;
    return ip?.ok === true ? [ip.value] : [];
  });
  const conditions = isRecord(rec['conditions']) ? rec['conditions'] : {};
  // discovery.k8s.io/v1: an absent ready condition means ready; absent serving means "as ready".
  const ready = conditions['ready'] !== false;
  const serving = typeof conditions['serving'] === 'boolean' ? conditions['serving'] : ready;
  const nodeName = typeof rec['nodeName'] === 'string' && rec['nodeName'] !== '' ? intern(rec['nodeName']) : null;
  return { addresses: keptList(addresses), ready, serving, nodeName };
}

export function readEndpointSlice(r: Reader, name: string, namespace: string, labels: Labels, body: WireRecord): EndpointSliceInput {
  const list = readList(r, body['endpoints'], 'endpoints') ?? [];
  return {
    namespace: namespace === '' ? 'default' : namespace,
    name,
    serviceName: labels[serviceNameLabel] ?? null,
    endpoints: keptList(list.map((e, i) => readEndpoint(r, e, index('endpoints', i))).filter((e) => e !== undefined)),
  };
}
