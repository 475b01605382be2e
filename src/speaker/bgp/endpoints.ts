// Endpoint readiness for BGP announcement: does a Service have an endpoint that can serve,
// anywhere or on one node (discovery.k8s.io/v1 conditions, as MetalLB reads them).

import type { Endpoint, EndpointSliceInput, ServiceInput } from '../../api/model.ts';
import { identityDiff } from '../../core/identity-diff.ts';

/** Ready (absent counts as ready) or serving (terminating but still serving), with an address. */
export const canServe = (e: Endpoint): boolean => (e.ready || e.serving) && e.hasAddress;

/** Slices grouped by the Service they belong to: namespace, then Service name; slices of no Service are left out. */
export type SlicesByService = ReadonlyMap<string, ReadonlyMap<string, readonly EndpointSliceInput[]>>;

/** One pass over every slice, so each Service's check looks at its own slices only (O(N), not O(N²)). */
export function slicesByService(slices: readonly EndpointSliceInput[]): Map<string, Map<string, EndpointSliceInput[]>> {
  // Two levels rather than one "namespace/name" key: no key string is built per slice or Service.
  const out = new Map<string, Map<string, EndpointSliceInput[]>>();
  for (const s of slices) {
    if (s.serviceName === null) continue;
    let byName = out.get(s.namespace);
    if (byName === undefined) out.set(s.namespace, (byName = new Map()));
    const list = byName.get(s.serviceName);
    if (list === undefined) byName.set(s.serviceName, [s]);
    else list.push(s);
  }
  return out;
}

const none: readonly EndpointSliceInput[] = [];

/**
 * A SlicesByService kept across calls (one per AnnounceCache): only the Services whose slices were
 * added or removed (by object identity) get new lists; the others keep theirs, so a memo can
 * compare them by identity. The map returned is valid until the next update.
 */
export class SliceIndex {
  #last: readonly EndpointSliceInput[] = [];
  #index: Map<string, Map<string, readonly EndpointSliceInput[]>> = new Map();

  /** The index for `slices`, and the Services (sliceOwner) whose slices may differ from the last update's. */
  update(slices: readonly EndpointSliceInput[]): { readonly index: SlicesByService; readonly changed: ReadonlySet<string> } {
    const { removed, added } = identityDiff(this.#last, slices);
    this.#last = slices;
    const changed = new Set([...removed, ...added].flatMap((s) => (s.serviceName === null ? [] : [sliceOwner(s)])));
    if (removed.length + added.length > slices.length / 4) {
      this.#index = slicesByService(slices);
      return { index: this.#index, changed };
    }
    // A slice reported both removed and added (it moved) ends up in its list once.
    for (const s of removed) this.#replace(s, (list) => list.filter((x) => x !== s));
    for (const s of added) this.#replace(s, (list) => (list.includes(s) ? list : [...list, s]));
    return { index: this.#index, changed };
  }

  #replace(s: EndpointSliceInput, edit: (list: readonly EndpointSliceInput[]) => readonly EndpointSliceInput[]): void {
    if (s.serviceName === null) return;
    let byName = this.#index.get(s.namespace);
    if (byName === undefined) this.#index.set(s.namespace, (byName = new Map()));
    const list = edit(byName.get(s.serviceName) ?? none);
    if (list.length > 0) byName.set(s.serviceName, list);
    else byName.delete(s.serviceName);
  }
}

/** Names the Service a slice belongs to, as `sliceOwner` of the Service does. */
export function sliceOwner(s: EndpointSliceInput | ServiceInput): string {
  return 'serviceName' in s ? `${s.namespace}\u0000${s.serviceName ?? ''}` : `${s.namespace}\u0000${s.name}`;
}

/** The slices of `svc` from an index (empty when it has none). */
export const slicesOf = (index: SlicesByService, svc: ServiceInput): readonly EndpointSliceInput[] => index.get(svc.namespace)?.get(svc.name) ?? none;

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
