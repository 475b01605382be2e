// Endpoint readiness for BGP announcement: does a Service have an endpoint that can serve,
// anywhere or on one node (discovery.k8s.io/v1 conditions, as MetalLB reads them).

import type { Endpoint, EndpointSliceInput, ServiceInput } from '../../api/model.ts';

/** Ready (absent counts as ready) or serving (terminating but still serving), with an address. */
export const canServe = (e: Endpoint): boolean => (e.ready || e.serving) && e.addresses.length > 0;

/** Slices grouped by the Service they belong to (`sliceOwnerKey`); slices of no Service are left out. */
export type SlicesByService = ReadonlyMap<string, readonly EndpointSliceInput[]>;

export const sliceOwnerKey = (namespace: string, serviceName: string): string => `${namespace}\u0000${serviceName}`;

/** One pass over every slice, so each Service's check looks at its own slices only (O(N), not O(N²)). */
export function slicesByService(slices: readonly EndpointSliceInput[]): SlicesByService {
  const out = new Map<string, EndpointSliceInput[]>();
  for (const s of slices) {
    if (s.serviceName === null) continue;
    const key = sliceOwnerKey(s.namespace, s.serviceName);
    const list = out.get(key);
    if (list === undefined) out.set(key, [s]);
    else list.push(s);
  }
  return out;
}

/** The slices of `svc` from an index (empty when it has none). */
export const slicesOf = (index: SlicesByService, svc: ServiceInput): readonly EndpointSliceInput[] => index.get(sliceOwnerKey(svc.namespace, svc.name)) ?? [];

/**
 * True when a slice of `svc` has an endpoint that can serve; with `node` set, only endpoints
 * whose nodeName is that node count.
 */
export function hasServingEndpoint(slices: readonly EndpointSliceInput[], svc: ServiceInput, node: string | null): boolean {
  return slices.some(
    (s) =>
      s.namespace === svc.namespace &&
      s.serviceName === svc.name &&
      s.endpoints.some((e) => canServe(e) && (node === null || e.nodeName === node)),
  );
}
