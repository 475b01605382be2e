// From elections to what one node's responders answer for: each IP this node owns, with the
// interfaces it may be announced on (several Services sharing an IP widen the set).

import type { IP } from '../../net/ip.ts';
import type { Election } from './election.ts';
import type { InterfaceFilter } from './interfaces.ts';
import type { OwnedAddresses } from './responder.ts';

function widen(a: InterfaceFilter, b: InterfaceFilter): InterfaceFilter {
  if (a.choice.kind === 'all') return a;
  if (b.choice.kind === 'all') return b;
  const names = [...new Set([...a.choice.names, ...b.choice.names])].sort();
  return { choice: { kind: 'only', names }, exclude: a.exclude };
}

/** The addresses `node` won, merged per IP. */
export function ownedAddresses(elections: readonly Election[], node: string): OwnedAddresses {
  const out = new Map<IP, InterfaceFilter>();
  for (const e of elections) {
    if (e.kind !== 'owner' || e.owner !== node) continue;
    for (const ip of e.ips) {
      const held = out.get(ip);
      out.set(ip, held === undefined ? e.interfaces : widen(held, e.interfaces));
    }
  }
  return out;
}
