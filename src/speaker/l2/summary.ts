// The cluster-wide view of L2 for `barelb plan`: per Service, the node that answers ARP/NDP and
// on which interfaces, as the speakers would elect it with every Node of the manifests alive. Pure.

import type { ParsedInput } from '../../api/input.ts';
import type { ServiceKey } from '../../api/model.ts';
import type { IP } from '../../net/ip.ts';
import type { NoOwnerReason } from './election.ts';
import { electL2 } from './elections.ts';

export type L2Summary =
  | { readonly owner: string; readonly interfaces: 'all' | readonly string[] }
  | { readonly owner: null; readonly reason: NoOwnerReason };

/**
 * Services to which an L2Advertisement applies; the others are absent. Empty when the input has
 * no Nodes: there is nobody to elect, and saying so for every Service would only be noise.
 */
export function summarizeL2(
  input: Pick<ParsedInput, 'config' | 'services' | 'nodes' | 'endpointSlices'>,
  allocations: ReadonlyMap<ServiceKey, readonly IP[]>,
  ignoreExcludeLB: boolean,
): ReadonlyMap<ServiceKey, L2Summary> {
  const out = new Map<ServiceKey, L2Summary>();
  if (input.nodes.length === 0) return out;
  // liveSpeakers null: every Node counts as running a speaker. Exclusion patterns are a node's own
  // setting, unknown here, so the interfaces are the advertisements' choice.
  for (const e of electL2({ input, allocations, liveSpeakers: null, ignoreExcludeLB, excludeInterfaces: [] })) {
    if (e.kind === 'none') out.set(e.service, { owner: null, reason: e.reason });
    else out.set(e.service, { owner: e.owner, interfaces: e.interfaces.choice.kind === 'all' ? 'all' : e.interfaces.choice.names });
  }
  return out;
}
