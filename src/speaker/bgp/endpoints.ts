// Endpoint readiness for BGP announcement: does a Service have an endpoint that can serve,
// anywhere or on one node (discovery.k8s.io/v1 conditions, as MetalLB reads them).

import type { Endpoint, EndpointSliceInput, ServiceInput } from '../../api/model.ts';

/** Ready (absent counts as ready) or serving (terminating but still serving), with an address. */
export const canServe = (e: Endpoint): boolean => (e.ready || e.serving) && e.addresses.length > 0;

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
