// Compares two reads of FRR's sessions: state transitions, flaps that happened between two reads
// (seen only in FRR's counters), and sessions that appeared or went away. Pure.

import { describeLastReset } from './decode-bgp.ts';
import { bfdKey, bgpKey, type BfdSession, type BgpSession } from './snapshot.ts';

/**
 * `up`: into Established (BFD: into `up`); `down`: out of it; `retry`: between two states that are
 * both short of it (Connect ⇄ Active while a peer is unreachable), which the watcher logs at debug.
 */
export const transitionKinds = ['up', 'down', 'retry'] as const;
export type TransitionKind = (typeof transitionKinds)[number];

export type BgpTransition = {
  readonly kind: TransitionKind;
  readonly peer: string;
  readonly vrf: string;
  readonly from: string;
  readonly to: string;
  /**
   * FRR's last reset reason (with the NOTIFICATION when there was one) for `down` and `retry`;
   * null for `up` (FRR keeps the previous reset reason while the session is up) or when FRR has none.
   */
  readonly reason: string | null;
  /** Prefix counts after the change; for `down`, the last counts seen while the session was up. */
  readonly prefixesSent: number;
  readonly prefixesReceived: number;
};

/** Sessions that came up and went down again between two reads (FRR's connectionsEstablished moved). */
export type BgpFlap = {
  readonly peer: string;
  readonly vrf: string;
  readonly state: string;
  readonly missedSessions: number;
  readonly reason: string | null;
};

export type BfdTransition = {
  readonly kind: TransitionKind;
  readonly peer: string;
  readonly vrf: string;
  readonly interface: string | null;
  readonly multihop: boolean;
  readonly from: string;
  readonly to: string;
  /** The local diagnostic after the change (RFC 5880 §4.1), e.g. `control detection time expired`. */
  readonly diagnostic: string | null;
  readonly remoteDiagnostic: string | null;
};

export type BfdFlap = { readonly peer: string; readonly vrf: string; readonly status: string; readonly missedSessions: number };

export type Changes<S, T, F> = {
  readonly transitions: readonly T[];
  readonly flaps: readonly F[];
  readonly appeared: readonly S[];
  readonly removed: readonly S[];
};

function pairUp<S>(prev: readonly S[], next: readonly S[], key: (s: S) => string) {
  const before = new Map(prev.map((s) => [key(s), s]));
  const after = new Set(next.map(key));
  const pairs: [S, S][] = [];
  const appeared: S[] = [];
  for (const s of next) {
    const old = before.get(key(s));
    if (old === undefined) appeared.push(s);
    else pairs.push([old, s]);
  }
  return { pairs, appeared, removed: prev.filter((s) => !after.has(key(s))) };
}

const kindOf = (wasUp: boolean, isUp: boolean): TransitionKind => (isUp ? 'up' : wasUp ? 'down' : 'retry');

/** Sessions established between reads beyond the one a visible transition to up accounts for. */
function missed(before: number, after: number, wasUp: boolean, isUp: boolean): number {
  return Math.max(0, after - before - (!wasUp && isUp ? 1 : 0));
}

const resetReason = (s: BgpSession): string | null => (s.lastReset === null ? null : describeLastReset(s.lastReset));

export function bgpChanges(prev: readonly BgpSession[], next: readonly BgpSession[]): Changes<BgpSession, BgpTransition, BgpFlap> {
  const { pairs, appeared, removed } = pairUp(prev, next, bgpKey);
  const transitions: BgpTransition[] = [];
  const flaps: BgpFlap[] = [];
  for (const [a, b] of pairs) {
    if (a.state !== b.state) {
      const kind = kindOf(a.established, b.established);
      const counts = kind === 'down' ? a : b;
      transitions.push({
        kind, peer: b.peer, vrf: b.vrf, from: a.state, to: b.state,
        reason: kind === 'up' ? null : resetReason(b),
        prefixesSent: counts.prefixesSent,
        prefixesReceived: counts.prefixesReceived,
      });
    }
    const count = missed(a.connectionsEstablished, b.connectionsEstablished, a.established, b.established);
    if (count > 0) flaps.push({ peer: b.peer, vrf: b.vrf, state: b.state, missedSessions: count, reason: resetReason(b) });
  }
  return { transitions, flaps, appeared, removed };
}

export function bfdChanges(prev: readonly BfdSession[], next: readonly BfdSession[]): Changes<BfdSession, BfdTransition, BfdFlap> {
  const { pairs, appeared, removed } = pairUp(prev, next, bfdKey);
  const transitions: BfdTransition[] = [];
  const flaps: BfdFlap[] = [];
  for (const [a, b] of pairs) {
    if (a.status !== b.status) {
      transitions.push({
        kind: kindOf(a.up, b.up), peer: b.peer, vrf: b.vrf, interface: b.interface, multihop: b.multihop,
        from: a.status, to: b.status, diagnostic: b.diagnostic, remoteDiagnostic: b.remoteDiagnostic,
      });
    }
    if (a.counters === null || b.counters === null) continue;
    const count = missed(a.counters.sessionUpEvents, b.counters.sessionUpEvents, a.up, b.up);
    if (count > 0) flaps.push({ peer: b.peer, vrf: b.vrf, status: b.status, missedSessions: count });
  }
  return { transitions, flaps, appeared, removed };
}
