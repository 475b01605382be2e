// The controller's dry run of every node's frr.conf: a configuration that cannot be rendered is
// reported here once, centrally, naming the object and field, before any speaker tries to apply it
// (each speaker still renders its own node's config, and keeps FRR unchanged when it cannot).

import type { ParsedInput } from '../api/input.ts';
import type { RenderError } from '../speaker/bgp/render-error.ts';
import { renderAllNodes, type NodeRenderer } from '../speaker/bgp/render.ts';
import { secretPasswords } from '../speaker/bgp/secret-passwords.ts';
import { allocatedIPs } from './allocated-ips.ts';
import type { Allocations } from './reconcile.ts';

/** One distinct render failure and the nodes it hits (sorted). */
export type DryRunProblem = { readonly error: RenderError; readonly nodes: readonly string[] };

/** With `renderers` (one map per controller, kept across rounds), only what changed is decided and rendered again. */
export function dryRunRender(parsed: ParsedInput, allocations: Allocations, options: { readonly ignoreExcludeLB?: boolean } = {}, renderers?: Map<string, NodeRenderer>): DryRunProblem[] {
  if (parsed.config.bgpPeers.length === 0) {
    renderers?.clear();
    return [];
  }
  const ips = allocatedIPs(allocations);
  const rendered = renderAllNodes(parsed.config, parsed.services, ips, parsed.nodes, parsed.endpointSlices, {
    secretPasswords: secretPasswords(parsed.config.bgpPeers, parsed.secrets),
    ...(options.ignoreExcludeLB === undefined ? {} : { ignoreExcludeLB: options.ignoreExcludeLB }),
  }, renderers);
  const byError = new Map<string, { error: RenderError; nodes: string[] }>();
  for (const [node, result] of rendered) {
    if (result.ok) continue;
    const key = JSON.stringify(result.error);
    const entry = byError.get(key) ?? { error: result.error, nodes: [] };
    entry.nodes.push(node);
    byError.set(key, entry);
  }
  return [...byError.values()].map((p) => ({ error: p.error, nodes: p.nodes.sort() }));
}
