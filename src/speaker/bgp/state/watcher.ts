// Watches a running FRR: reads BGP and BFD session state every interval, logs each change as one
// structured line, warns once about a session that stays down, keeps the session metrics current,
// and holds the last read (for `barelb explain`). A failing read is logged once per outage; the
// last good read stays in force meanwhile.

import { setTimeout as sleep } from 'node:timers/promises';
import { err, type Result } from '../../../core/result.ts';
import type { Logger } from '../../../log/logger.ts';
import type { BgpMetrics, FrrQuerySource } from '../../../metrics/bgp-metrics.ts';
import { decodeBfdPeers } from './decode-bfd.ts';
import { decodeBgpNeighbors } from './decode-bgp.ts';
import type { DecodeFailure } from './decode-shared.ts';
import { bfdChanges, bgpChanges, type TransitionKind } from './diff.ts';
import { FrrQueryError, stateCommands, type FrrQuery } from './frr-query.ts';
import { DEFAULT_NOT_ESTABLISHED_WARN_MS, notEstablished, type DownEpisode } from './not-established.ts';
import type { BfdSession, BgpSession, FrrState } from './snapshot.ts';

export type Clock = {
  /** Milliseconds since the Unix epoch. */
  readonly now: () => number;
  /** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
};

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined),
};

export type FrrStateWatcherOptions = {
  readonly query: FrrQuery;
  readonly logger: Logger;
  readonly metrics: BgpMetrics;
  /** Default systemClock. */
  readonly clock?: Clock;
  /** Pause between the end of one read and the start of the next. Default 2000 ms. */
  readonly intervalMs?: number;
  /** The configured remote port of a neighbor, for the `peer` metric label. Default 179 (RFC 4271). */
  readonly peerPort?: (peer: string, vrf: string) => number;
  /**
   * How long a session may stay short of Established before one warning names it (once per
   * episode). Default 30 s, FRR 10.3's connect-retry time.
   */
  readonly notEstablishedWarnMs?: number;
};

export const DEFAULT_POLL_INTERVAL_MS = 2_000;
const BGP_PORT = 179;

type ReadFailure = { readonly reason: string; readonly error: string };
type Outage = { readonly since: number; failures: number };

const readFailure = (f: DecodeFailure): ReadFailure => ({ reason: f.reason, error: `${f.where}: ${f.detail}` });

const levelOf = (logger: Logger, kind: TransitionKind) =>
  kind === 'up' ? logger.info.bind(logger) : kind === 'down' ? logger.warn.bind(logger) : logger.debug.bind(logger);

export class FrrStateWatcher {
  readonly #query: FrrQuery;
  readonly #logger: Logger;
  readonly #metrics: BgpMetrics;
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #peerPort: (peer: string, vrf: string) => number;
  readonly #notEstablishedWarnMs: number;
  readonly #outages = new Map<FrrQuerySource, Outage>();
  #downEpisodes: ReadonlyMap<string, DownEpisode> = new Map();
  #state: FrrState = { bgp: [], bfd: [], bgpReadAt: null, bfdReadAt: null };
  #inFlight: Promise<void> | null = null;

  constructor(options: FrrStateWatcherOptions) {
    this.#query = options.query;
    this.#logger = options.logger;
    this.#metrics = options.metrics;
    this.#clock = options.clock ?? systemClock;
    this.#intervalMs = options.intervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.#peerPort = options.peerPort ?? (() => BGP_PORT);
    this.#notEstablishedWarnMs = options.notEstablishedWarnMs ?? DEFAULT_NOT_ESTABLISHED_WARN_MS;
  }

  /** Reads FRR until `signal` aborts; resolves after the read in progress has finished. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.poll();
      if (signal.aborted) break;
      await this.#clock.sleep(this.#intervalMs, signal);
    }
  }

  /** One read of BGP, then BFD. Never rejects. A call during a read joins that read. */
  poll(): Promise<void> {
    this.#inFlight ??= this.#pollOnce().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  /** The last successful reads. */
  current(): FrrState {
    return this.#state;
  }

  /** Established BGP sessions in the last successful read. */
  sessionsUp(): number {
    return this.#state.bgp.filter((s) => s.established).length;
  }

  async #pollOnce(): Promise<void> {
    const bgp = await this.#read('bgp', async () => {
      const decoded = decodeBgpNeighbors(await this.#query.showJson(stateCommands.bgpNeighbors));
      return decoded.ok ? decoded : err(readFailure(decoded.error));
    });
    // When bgpd does not answer, asking bfdd too would only log the same outage twice.
    if (bgp === null) return;
    this.#observeBgp(bgp);
    const bfd = await this.#read('bfd', async () => {
      const peers = await this.#query.showJson(stateCommands.bfdPeers);
      const decoded = decodeBfdPeers(peers, await this.#query.showJson(stateCommands.bfdCounters));
      return decoded.ok ? decoded : err(readFailure(decoded.error));
    });
    if (bfd !== null) this.#observeBfd(bfd);
  }

  async #read<T>(source: FrrQuerySource, read: () => Promise<Result<T, ReadFailure>>): Promise<T | null> {
    let result: Result<T, ReadFailure>;
    try {
      result = await read();
    } catch (e) {
      const reason = e instanceof FrrQueryError ? e.reason : 'query-failed';
      result = err({ reason, error: e instanceof Error ? e.message : String(e) });
    }
    if (result.ok) {
      this.#endOutage(source);
      return result.value;
    }
    this.#metrics.queryFailed(source);
    const outage = this.#outages.get(source);
    if (outage === undefined) {
      this.#outages.set(source, { since: this.#clock.now(), failures: 1 });
      this.#logger.warn({ source, ...result.error }, 'cannot read FRR state; keeping the last read');
    } else {
      outage.failures += 1;
    }
    return null;
  }

  #endOutage(source: FrrQuerySource): void {
    const outage = this.#outages.get(source);
    if (outage === undefined) return;
    this.#outages.delete(source);
    const fields = { source, failedPolls: outage.failures, outageMs: this.#clock.now() - outage.since };
    this.#logger.info(fields, 'FRR state readable again');
  }

  #observeBgp(sessions: readonly BgpSession[]): void {
    const first = this.#state.bgpReadAt === null;
    const changes = bgpChanges(this.#state.bgp, sessions);
    const now = this.#clock.now();
    this.#state = { ...this.#state, bgp: sessions, bgpReadAt: now };
    const down = notEstablished(this.#downEpisodes, sessions, now, this.#notEstablishedWarnMs);
    this.#downEpisodes = down.episodes;
    this.#metrics.observeBgpSessions(
      sessions.map((s) => ({
        peer: `${s.peer}:${this.#peerPort(s.peer, s.vrf)}`,
        vrf: s.vrf,
        up: s.established,
        prefixesSent: s.prefixesSent,
        prefixesReceived: s.prefixesReceived,
        connectionsDropped: s.connectionsDropped,
        messages: s.messages,
      })),
    );
    const log = this.#logger;
    for (const r of down.reports) log.warn(r, 'bgp session not established');
    // The first read is the starting point, not a change.
    if (first) return;
    for (const { kind, ...t } of changes.transitions) levelOf(log, kind)(t, 'bgp session state changed');
    for (const f of changes.flaps) log.warn(f, 'bgp session flapped between polls');
    for (const s of changes.appeared) log.debug({ peer: s.peer, vrf: s.vrf, state: s.state }, 'bgp session appeared');
    for (const s of changes.removed) log.debug({ peer: s.peer, vrf: s.vrf, state: s.state }, 'bgp session removed');
  }

  #observeBfd(sessions: readonly BfdSession[]): void {
    const first = this.#state.bfdReadAt === null;
    const changes = bfdChanges(this.#state.bfd, sessions);
    this.#state = { ...this.#state, bfd: sessions, bfdReadAt: this.#clock.now() };
    this.#metrics.observeBfdSessions(sessions.map((s) => ({ peer: s.peer, vrf: s.vrf, up: s.up, counters: s.counters })));
    if (first) return;
    const log = this.#logger;
    for (const { kind, ...t } of changes.transitions) levelOf(log, kind)(t, 'bfd session state changed');
    for (const f of changes.flaps) log.warn(f, 'bfd session flapped between polls');
    for (const s of changes.appeared) log.debug({ peer: s.peer, vrf: s.vrf, status: s.status }, 'bfd session appeared');
    for (const s of changes.removed) log.debug({ peer: s.peer, vrf: s.vrf, status: s.status }, 'bfd session removed');
  }
}
