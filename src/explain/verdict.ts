// The first line of `barelb explain`: in one sentence, whether the Service has its address and
// who announces it, or what stops it. Pure.

import type { ServiceDecision } from '../ipam/decision.ts';
import { reachesAPeer, type BGPStory } from './bgp.ts';
import { noOwnerText, type L2Story } from './l2.ts';

export const explainStates = ['announced', 'not-announced', 'pending', 'ignored', 'invalid-config'] as const;
export type ExplainState = (typeof explainStates)[number];

export type Verdict = { readonly state: ExplainState; readonly summary: string };

export type VerdictInput = {
  readonly key: string;
  readonly errors: number;
  readonly decision: ServiceDecision | null;
  /** What the speakers announce (the recorded addresses, else the allocation). */
  readonly addresses: readonly string[];
  readonly pool: string | null;
  readonly l2: L2Story | null;
  readonly bgp: BGPStory | null;
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "L2 from node-2 (eth0)", "BGP from node-1, node-2", or null when that protocol announces nothing. */
function announcers(l2: L2Story | null, bgp: BGPStory | null): string[] {
  const out: string[] = [];
  if (l2 !== null && l2.applies && l2.owner !== null) {
    const where = l2.interfaces === 'all' || l2.interfaces === null ? 'all interfaces' : l2.interfaces.join(', ');
    out.push(`L2 from ${l2.owner} (${where})`);
  }
  if (bgp !== null && bgp.applies) {
    const nodes = bgp.nodes.filter(reachesAPeer).map((n) => n.node);
    if (nodes.length > 0) out.push(`BGP from ${nodes.join(', ')}`);
  }
  return out;
}

/** Why nobody announces: per protocol that applies, or that none does. */
function silence(l2: L2Story | null, bgp: BGPStory | null, pool: string | null): string {
  const parts: string[] = [];
  if (l2 !== null && l2.applies) {
    parts.push(l2.reason === 'no-eligible-node' && l2.nodes.length === 0 ? 'L2: no Nodes are known' : `L2: ${l2.reason ?? 'no owner'}: ${noOwnerText[l2.reason ?? 'no-eligible-node']}`);
  }
  if (bgp !== null && bgp.applies) {
    parts.push(bgp.nodes.length === 0 ? 'BGP: no Nodes are known' : bgp.nodes.some((n) => n.announced) ? 'BGP: no announcing node has a session to a peer' : 'BGP: no node announces it (see below)');
  }
  if (parts.length === 0) return `no L2Advertisement or BGPAdvertisement names pool ${pool ?? '(none)'}`;
  return parts.join('; ');
}

export function verdictOf(v: VerdictInput): Verdict {
  const head = `Service ${v.key}:`;
  if (v.errors > 0 || v.decision === null) {
    return { state: 'invalid-config', summary: `${head} configuration invalid — ${plural(v.errors, 'error')} (listed below); nothing can be allocated or announced from it` };
  }
  const d = v.decision;
  switch (d.state) {
    case 'ignored':
      return { state: 'ignored', summary: `${head} ignored — ${d.message}` };
    case 'pending':
      return { state: 'pending', summary: `${head} pending — ${d.reason}: ${d.message}` };
    case 'allocated': {
      if (v.addresses.length === 0) {
        return { state: 'not-announced', summary: `${head} ${d.ips.join(', ')} from pool ${d.pool} (not recorded yet), not announced — the controller has not written the address` };
      }
      const has = `${head} ${v.addresses.join(', ')} from pool ${v.pool ?? d.pool}`;
      const by = announcers(v.l2, v.bgp);
      if (by.length > 0) return { state: 'announced', summary: `${has}, announced by ${by.join(' and by ')}` };
      return { state: 'not-announced', summary: `${has}, not announced — ${silence(v.l2, v.bgp, v.pool)}` };
    }
  }
}
