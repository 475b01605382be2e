// What the speaker knows about FRR's live BGP and BFD sessions: plain, readonly records decoded
// from vtysh JSON (decode-bgp.ts, decode-bfd.ts), compared by diff.ts, held by watcher.ts.

import type { IP } from '../../../net/ip.ts';

/** The one BGP FSM state (RFC 4271 §8.2.2) in which routes are exchanged. */
export const ESTABLISHED = 'Established';

/** FRR's `messageStats`, absolute since the peer was created in bgpd (not reset by a session flap). */
export type BgpMessageCounters = {
  readonly opensSent: number;
  readonly opensReceived: number;
  readonly notificationsSent: number;
  readonly notificationsReceived: number;
  readonly updatesSent: number;
  readonly updatesReceived: number;
  readonly keepalivesSent: number;
  readonly keepalivesReceived: number;
  readonly routeRefreshSent: number;
  readonly routeRefreshReceived: number;
  readonly totalSent: number;
  readonly totalReceived: number;
};

/** Prefix counts of one address family (`ipv4Unicast`, `ipv6Unicast`, … as FRR names them). */
export type AfPrefixes = { readonly af: string; readonly sent: number; readonly received: number };

/** Why the session last went down, as FRR reports it; kept by FRR while the session is up again. */
export type BgpLastReset = {
  /** `lastResetDueTo`, e.g. `BFD down received`, `BGP Notification received`. */
  readonly dueTo: string;
  /** `lastResetCode` (FRR's PEER_DOWN_* number). */
  readonly code: number | null;
  /** `lastNotificationReason` when a NOTIFICATION was involved, e.g. `Cease/Administrative Shutdown`. */
  readonly notification: string | null;
  /** `lastErrorCodeSubcode`: error code and subcode as four hex digits (RFC 4271 §4.5), e.g. `0602`. */
  readonly errorCodeSubcode: string | null;
  /** `lastShutdownDescription`: the text the peer sent with an administrative shutdown (RFC 9003). */
  readonly shutdownMessage: string | null;
};

export type BgpSession = {
  readonly vrf: string;
  /** FRR's key for the neighbor: canonical IP text, or the interface name of an unnumbered session. */
  readonly peer: string;
  /** The neighbor's address when `peer` is one; null for an interface (unnumbered) neighbor. */
  readonly address: IP | null;
  /**
   * `bgpState`: in FRR 10.3 Idle, Connect, Active, OpenSent, OpenConfirm, Established, Clearing or
   * Deleted. Kept as text, so a name a later FRR adds is not a decode failure.
   */
  readonly state: string;
  readonly established: boolean;
  readonly remoteAs: number | null;
  readonly localAs: number | null;
  /** Milliseconds in Established (`bgpTimerUpMsec`); null while not Established. */
  readonly uptimeMs: number | null;
  /** Seconds since the Unix epoch when the session came up (`bgpTimerUpEstablishedEpoch`); null while not Established. */
  readonly establishedEpoch: number | null;
  readonly connectionsEstablished: number;
  readonly connectionsDropped: number;
  readonly messages: BgpMessageCounters;
  /** Per address family, sorted by name. `sent` is 0 for a family FRR prints no sentPrefixCounter for. */
  readonly prefixes: readonly AfPrefixes[];
  readonly prefixesSent: number;
  readonly prefixesReceived: number;
  /** Null when FRR says `"lastReset":"never"`. */
  readonly lastReset: BgpLastReset | null;
  /** `peerBfdInfo.status` (`Up`, `Down`, `Unknown`); null when BFD is not enabled for the neighbor. */
  readonly bfdStatus: string | null;
  /** A TCP-MD5 password is set (`authenticationEnabled`, RFC 2385). */
  readonly tcpMd5: boolean;
};

/** `show bfd peers counters json`, absolute since bfdd created the session. */
export type BfdCounters = {
  readonly controlPacketInput: number;
  readonly controlPacketOutput: number;
  readonly echoPacketInput: number;
  readonly echoPacketOutput: number;
  readonly sessionUpEvents: number;
  readonly sessionDownEvents: number;
  readonly zebraNotifications: number;
};

/** BFD timers in milliseconds (RFC 5880 §6.8.1), null when FRR does not print one. */
export type BfdTimers = {
  readonly receiveMs: number | null;
  readonly transmitMs: number | null;
  readonly echoReceiveMs: number | null;
  readonly echoTransmitMs: number | null;
  readonly detectMultiplier: number | null;
  readonly remoteReceiveMs: number | null;
  readonly remoteTransmitMs: number | null;
  readonly remoteEchoReceiveMs: number | null;
  readonly remoteDetectMultiplier: number | null;
};

export type BfdSession = {
  /** With `peer` and `multihop`, the session's identity (bfdKey). */
  readonly vrf: string;
  readonly peer: string;
  /** Absent until bfdd has resolved the local address of a dynamic session. */
  readonly local: string | null;
  readonly interface: string | null;
  readonly multihop: boolean;
  /** `status`: `up`, `down`, `init`, `shutdown` (admin down). */
  readonly status: string;
  readonly up: boolean;
  /** Seconds in the current status (`uptime` while up, `downtime` otherwise). */
  readonly statusSeconds: number | null;
  /** Local and remote diagnostic (RFC 5880 §4.1), e.g. `control detection time expired`. */
  readonly diagnostic: string | null;
  readonly remoteDiagnostic: string | null;
  readonly timers: BfdTimers;
  /** Null when the counters command did not list the session. */
  readonly counters: BfdCounters | null;
};

/** What the watcher holds: the last successful read of each part, and when it was made. */
export type FrrState = {
  /** Sorted by vrf, then peer. */
  readonly bgp: readonly BgpSession[];
  /** Sorted by bfdKey. */
  readonly bfd: readonly BfdSession[];
  /** Milliseconds since the epoch (the watcher's clock); null before the first successful read. */
  readonly bgpReadAt: number | null;
  readonly bfdReadAt: number | null;
};

export const bgpKey = (s: { readonly vrf: string; readonly peer: string }): string => `${s.vrf}\u0000${s.peer}`;

/**
 * A BFD session's identity across reads. Not `local` or `interface`: bfdd (10.3) prints a dynamic
 * session without them until it has resolved them, then with them, and it is the same session.
 */
export const bfdKey = (s: Pick<BfdSession, 'vrf' | 'peer' | 'multihop'>): string =>
  [s.vrf, s.peer, s.multihop ? 'multihop' : 'single-hop'].join('\u0000');
