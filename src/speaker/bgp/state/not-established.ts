// Sessions that stay short of Established. A peer that never answers, a wrong TCP-MD5 password or a
// wrong ASN show only as retries, which the watcher logs at debug: this finds each session that
// has been down for a while and reports it once, with FRR's state and last reset reason. Pure.

import { describeLastReset } from './decode-bgp.ts';
import { bgpKey, type BgpSession } from './snapshot.ts';

/**
 * FRR 10.3's default connect-retry time: a session still down after a whole retry period is not
 * merely waiting for its next attempt.
 */
export const DEFAULT_NOT_ESTABLISHED_WARN_MS = 30_000;

/** One stretch of time a session spent short of Established. */
export type DownEpisode = {
  /** Milliseconds since the epoch of the first read that saw the session down. */
  readonly since: number;
  readonly reported: boolean;
};

export type NotEstablished = {
  readonly peer: string;
  readonly vrf: string;
  /** FRR's state at the read that reports it (Idle, Connect, Active, OpenSent, OpenConfirm…). */
  readonly state: string;
  /** FRR's last reset reason, null when FRR has none (`"lastReset":"never"`). */
  readonly reason: string | null;
  /** Time since the first read that saw it down; at least the threshold. */
  readonly downForMs: number;
  /** Whether FRR ever had the session Established (so it worked once and broke, or never worked). */
  readonly everEstablished: boolean;
  readonly bfdStatus: string | null;
  readonly tcpMd5: boolean;
  /** What to check, when FRR's state points at a likely cause; null otherwise. */
  readonly hint: string | null;
};

/** States before the TCP connection is up: nothing was exchanged with the peer yet. */
const BEFORE_TCP: ReadonlySet<string> = new Set(['Idle', 'Connect', 'Active']);

/** RFC 2385: a segment with a wrong or missing MD5 signature is dropped by the kernel without a reply. */
const TCP_MD5_HINT = 'a TCP-MD5 password is set: a mismatched password is dropped silently by the kernel, '
  + 'so the session never gets past Connect/Active; check that both sides use the same password';

function hintFor(s: BgpSession): string | null {
  return s.tcpMd5 && BEFORE_TCP.has(s.state) ? TCP_MD5_HINT : null;
}

/**
 * Carries the down episodes from the previous read to this one and returns the sessions to report:
 * those down for `warnAfterMs` or longer and not reported yet in this episode. An episode ends when
 * the session is Established or gone; the first read starts the clock of every down session.
 */
export function notEstablished(
  episodes: ReadonlyMap<string, DownEpisode>,
  sessions: readonly BgpSession[],
  now: number,
  warnAfterMs: number,
): { readonly episodes: ReadonlyMap<string, DownEpisode>; readonly reports: readonly NotEstablished[] } {
  const next = new Map<string, DownEpisode>();
  const reports: NotEstablished[] = [];
  for (const s of sessions) {
    if (s.established) continue;
    const key = bgpKey(s);
    const episode = episodes.get(key) ?? { since: now, reported: false };
    const downForMs = now - episode.since;
    if (episode.reported || downForMs < warnAfterMs) {
      next.set(key, episode);
      continue;
    }
    next.set(key, { since: episode.since, reported: true });
    reports.push({
      peer: s.peer,
      vrf: s.vrf,
      state: s.state,
      reason: s.lastReset === null ? null : describeLastReset(s.lastReset),
      downForMs,
      everEstablished: s.connectionsEstablished > 0,
      bfdStatus: s.bfdStatus,
      tcpMd5: s.tcpMd5,
      hint: hintFor(s),
    });
  }
  return { episodes: next, reports };
}
