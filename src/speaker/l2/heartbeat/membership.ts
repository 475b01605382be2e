// Which speakers are alive, from authenticated heartbeats exchanged directly between the
// configured peers. A pure state machine: time comes in as `now` (ms), packets go out as data.

import { decodeHeartbeat, encodeHeartbeat, minHeartbeatKeyBytes, type PacketRejectReason } from './packet.ts';

export type PeerAddress = { readonly host: string; readonly port: number };

export type HeartbeatOptions = {
  /** This node's name, as in the peers map of every other node. */
  readonly self: string;
  /** The shared HMAC key, at least 16 bytes. */
  readonly key: Uint8Array;
  /** Random 64-bit value drawn once per process start. */
  readonly incarnation: bigint;
  readonly intervalMs?: number;
  /** A peer is dead after this many intervals without a heartbeat… */
  readonly missedIntervals?: number;
  /** …plus this margin for scheduling and network jitter. */
  readonly jitterMarginMs?: number;
  /** Reject heartbeats whose send time is further than this from ours; null = no check (clock skew must not split the cluster). */
  readonly maxClockSkewMs?: number | null;
};

export const heartbeatDefaults = { intervalMs: 100, missedIntervals: 3, jitterMarginMs: 50, maxClockSkewMs: null } as const;

export type MemberChange = { readonly kind: 'alive' | 'dead' | 'restarted'; readonly node: string; readonly at: number };

export const heartbeatRejectReasons = [
  'self',
  'unknown-peer',
  'stale-timestamp',
  'replayed',
  'old-incarnation',
] as const;
export type HeartbeatRejectReason = PacketRejectReason | (typeof heartbeatRejectReasons)[number];

export type PacketVerdict =
  | { readonly accepted: true; readonly node: string; readonly changes: readonly MemberChange[] }
  | { readonly accepted: false; readonly reason: HeartbeatRejectReason };

export type Outgoing = { readonly to: PeerAddress; readonly bytes: Uint8Array };

export type TickResult = {
  readonly packets: readonly Outgoing[];
  readonly changes: readonly MemberChange[];
  /** Call tick again no later than this. */
  readonly nextWakeAt: number;
  /** False until every peer was heard or one dead-after period passed since start: elect only once settled. */
  readonly settled: boolean;
};

export type MemberStatus = 'unknown' | 'alive' | 'dead';

export type MemberView = {
  readonly node: string;
  readonly address: PeerAddress;
  readonly status: MemberStatus;
  readonly incarnation: bigint | null;
  readonly lastSeq: bigint;
  readonly lastHeardAt: number | null;
  /** Where the last accepted heartbeat came from (it may differ from `address` on multi-homed nodes). */
  readonly lastFrom: PeerAddress | null;
};

type Member = {
  address: PeerAddress;
  status: MemberStatus;
  incarnation: bigint | null;
  lastSeq: bigint;
  lastSentAt: number;
  lastHeardAt: number | null;
  lastFrom: PeerAddress | null;
  /** Incarnations superseded by a restart; their packets are replays. */
  retired: bigint[];
};

const retiredKept = 16;

export class HeartbeatMembership {
  readonly #opts: Required<HeartbeatOptions>;
  readonly #members = new Map<string, Member>();
  readonly #startedAt: number;
  #seq = 0n;
  #nextSendAt: number;
  /** When the last tick asked to be woken; a tick much later than that followed a stall. */
  #plannedWakeAt: number | null = null;
  #stalls = 0;

  constructor(options: HeartbeatOptions, peers: ReadonlyMap<string, PeerAddress>, now: number) {
    if (options.key.length < minHeartbeatKeyBytes) throw new Error(`heartbeat key must be at least ${minHeartbeatKeyBytes} bytes`);
    this.#opts = { ...heartbeatDefaults, ...options };
    if (this.#opts.intervalMs <= 0 || this.#opts.missedIntervals < 1) throw new Error('heartbeat interval and missed intervals must be positive');
    this.#startedAt = now;
    this.#nextSendAt = now;
    this.setPeers(peers, now);
  }

  /** intervalMs × missedIntervals + jitterMarginMs. */
  get deadAfterMs(): number {
    return this.#opts.intervalMs * this.#opts.missedIntervals + this.#opts.jitterMarginMs;
  }

  /** Replaces the member list; kept peers keep their state, a removed live peer is reported dead. */
  setPeers(peers: ReadonlyMap<string, PeerAddress>, now: number): MemberChange[] {
    const changes: MemberChange[] = [];
    for (const [node, m] of this.#members) {
      if (peers.has(node)) continue;
      this.#members.delete(node);
      if (m.status === 'alive') changes.push({ kind: 'dead', node, at: now });
    }
    for (const [node, address] of peers) {
      if (node === this.#opts.self) continue;
      const m = this.#members.get(node);
      if (m !== undefined) m.address = address;
      else this.#members.set(node, { address, status: 'unknown', incarnation: null, lastSeq: 0n, lastSentAt: 0, lastHeardAt: null, lastFrom: null, retired: [] });
    }
    return changes;
  }

  onPacket(bytes: Uint8Array, from: PeerAddress, now: number): PacketVerdict {
    const decoded = decodeHeartbeat(bytes, this.#opts.key);
    if (!decoded.ok) return { accepted: false, reason: decoded.error };
    const h = decoded.value;
    if (h.node === this.#opts.self) return { accepted: false, reason: 'self' };
    const m = this.#members.get(h.node);
    if (m === undefined) return { accepted: false, reason: 'unknown-peer' };
    const skew = this.#opts.maxClockSkewMs;
    if (skew !== null && Math.abs(h.sentAt - now) > skew) return { accepted: false, reason: 'stale-timestamp' };
    const changes: MemberChange[] = [];
    if (m.incarnation === h.incarnation) {
      if (h.seq <= m.lastSeq) return { accepted: false, reason: 'replayed' };
    } else {
      // An incarnation is new only if never superseded, and (while the current one is alive) sent later.
      if (m.retired.includes(h.incarnation)) return { accepted: false, reason: 'old-incarnation' };
      if (m.status === 'alive' && h.sentAt <= m.lastSentAt) return { accepted: false, reason: 'old-incarnation' };
      if (m.incarnation !== null) {
        m.retired = [m.incarnation, ...m.retired].slice(0, retiredKept);
        if (m.status === 'alive') changes.push({ kind: 'restarted', node: h.node, at: now });
      }
      m.incarnation = h.incarnation;
    }
    m.lastSeq = h.seq;
    m.lastSentAt = h.sentAt;
    m.lastHeardAt = now;
    m.lastFrom = from;
    if (m.status !== 'alive') changes.push({ kind: 'alive', node: h.node, at: now });
    m.status = 'alive';
    return { accepted: true, node: h.node, changes };
  }

  /** Sends when due, expires silent peers, and says when to come back. */
  tick(now: number): TickResult {
    // A tick far later than planned means this process was stalled (CPU starvation, a GC pause, a
    // suspended VM): heartbeats that arrived meanwhile are still unread in the socket. Judging peers
    // now would declare every one of them dead at once and make this node claim their addresses.
    // Send, and judge on the next tick, after the queued packets have been read.
    const stalled = this.#plannedWakeAt !== null && now - this.#plannedWakeAt > Math.max(this.#opts.intervalMs, this.deadAfterMs / 2);
    const packets = now >= this.#nextSendAt ? this.#send(now) : [];
    const changes: MemberChange[] = [];
    let nextWakeAt = this.#nextSendAt;
    if (stalled) {
      this.#stalls += 1;
      nextWakeAt = Math.min(nextWakeAt, now + 1);
      this.#plannedWakeAt = nextWakeAt;
      return { packets, changes, nextWakeAt, settled: this.settled(now) };
    }
    for (const [node, m] of this.#members) {
      if (m.status !== 'alive' || m.lastHeardAt === null) continue;
      const deadline = m.lastHeardAt + this.deadAfterMs;
      if (now >= deadline) {
        m.status = 'dead';
        changes.push({ kind: 'dead', node, at: now });
      } else {
        nextWakeAt = Math.min(nextWakeAt, deadline);
      }
    }
    this.#plannedWakeAt = nextWakeAt;
    return { packets, changes, nextWakeAt, settled: this.settled(now) };
  }

  /** Ticks skipped for judging because this process had been stalled. */
  get stalls(): number {
    return this.#stalls;
  }

  /** This node and every peer currently alive: the election's live speakers. */
  liveNodes(): ReadonlySet<string> {
    const out = new Set([this.#opts.self]);
    for (const [node, m] of this.#members) if (m.status === 'alive') out.add(node);
    return out;
  }

  members(): MemberView[] {
    return [...this.#members].map(([node, m]) => ({
      node,
      address: m.address,
      status: m.status,
      incarnation: m.incarnation,
      lastSeq: m.lastSeq,
      lastHeardAt: m.lastHeardAt,
      lastFrom: m.lastFrom,
    }));
  }

  /** True once every peer was heard or one dead-after period passed since start. */
  settled(now: number): boolean {
    if (now >= this.#startedAt + this.deadAfterMs) return true;
    return [...this.#members.values()].every((m) => m.status !== 'unknown');
  }

  #send(now: number): Outgoing[] {
    this.#seq += 1n;
    const bytes = encodeHeartbeat({ node: this.#opts.self, incarnation: this.#opts.incarnation, seq: this.#seq, sentAt: now }, this.#opts.key);
    // After a long stall, restart the cadence from now instead of sending a burst to catch up.
    const next = this.#nextSendAt + this.#opts.intervalMs;
    this.#nextSendAt = next > now ? next : now + this.#opts.intervalMs;
    return [...this.#members.values()].map((m) => ({ to: m.address, bytes }));
  }
}
