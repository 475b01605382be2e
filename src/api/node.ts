// The v1 Node kind as barelb needs it (labels, NetworkUnavailable, addresses), and the node
// sets selected by nodeSelectors lists.

import { parseIP, type IP } from '../net/ip.ts';
import { selectorMatches, type LabelSelector, type Labels } from './labels.ts';
import type { NodeInput } from './model.ts';
import { at, index, isRecord, readList, readRecord, type Reader, type WireRecord } from './wire.ts';

function readConditions(r: Reader, status: WireRecord): boolean {
  const list = readList(r, status['conditions'], 'status.conditions') ?? [];
  return list.some((c) => isRecord(c) && c['type'] === 'NetworkUnavailable' && c['status'] === 'True');
}

function readAddresses(r: Reader, status: WireRecord): IP[] {
  const out: IP[] = [];
  (readList(r, status['addresses'], 'status.addresses') ?? []).forEach((a, i) => {
    const rec = readRecord(r, a, index('status.addresses', i));
    const ip = typeof rec?.['address'] === 'string' ? parseIP(rec['address']) : undefined;
    if (ip?.ok === true) out.push(ip.value); // hostnames are not addresses
  });
  return out;
}

export function readNode(r: Reader, name: string, labels: Labels, body: WireRecord): NodeInput {
  const status = readRecord(r, body['status'], at('', 'status')) ?? {};
  return { name, labels, networkUnavailable: readConditions(r, status), addresses: readAddresses(r, status) };
}

/**
 * Names of the nodes selected by a nodeSelectors list (empty list = every node), or null
 * when no Nodes are known: rules then assume any two selections can share a node.
 */
export function selectedNodes(selectors: readonly LabelSelector[], nodes: readonly NodeInput[]): ReadonlySet<string> | null {
  if (nodes.length === 0) return null;
  const selected = nodes.filter((n) => selectors.length === 0 || selectors.some((s) => selectorMatches(s, n.labels)));
  return new Set(selected.map((n) => n.name));
}

/** False only when both node sets are known and share no node. */
export function nodeSetsIntersect(a: ReadonlySet<string> | null, b: ReadonlySet<string> | null): boolean {
  if (a === null || b === null) return true;
  for (const x of a) if (b.has(x)) return true;
  return false;
}
