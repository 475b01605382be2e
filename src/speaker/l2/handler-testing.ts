// Fakes of the L2 handler's ports for unit tests: a manual clock and timer queue, raw links that
// record what is sent and accept injected frames, an interface list, and a heartbeat transport
// that lets the test play the peers (real HeartbeatMembership, no sockets).

import { Registry } from 'prom-client';
import { parseInput } from '../../api/input.ts';
import type { ServiceKey } from '../../api/model.ts';
import { recordingLogger, type LogRecord } from '../../log/logger.ts';
import { l2Metrics } from '../../metrics/l2-metrics.ts';
import type { SpeakerView } from '../loop.ts';
import { macBytes, type Mac } from './codec/bytes.ts';
import { defaultBurstPolicy, type BurstPolicy } from './burst.ts';
import { l2Handler, type L2Handler, type Timers } from './handler.ts';
import type { HeartbeatMembership } from './heartbeat/membership.ts';
import { encodeHeartbeat } from './heartbeat/packet.ts';
import type { UdpHeartbeatOptions } from './heartbeat/udp.ts';
import { IFF_BROADCAST, IFF_UP, type InterfaceInfo } from './link-scan.ts';
import type { RawLink } from './ports.ts';
import { ip } from './testing.ts';

export const heartbeatKeyText = 'unit test heartbeat key, 32 bytes';

/** A clock and timer queue that only move when told to. */
export class ManualTime {
  now = 1_000_000;
  #seq = 0;
  readonly #queue = new Map<number, { at: number; fn: () => void }>();

  readonly clock = (): number => this.now;

  readonly timers: Timers = {
    setTimeout: (fn, ms) => {
      this.#seq += 1;
      this.#queue.set(this.#seq, { at: this.now + ms, fn });
      return this.#seq;
    },
    clearTimeout: (handle) => void this.#queue.delete(handle as number),
  };

  /** Moves time forward in 1 ms steps, running every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.#queue.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (due === undefined) break;
      this.#queue.delete(due[0]);
      this.now = Math.max(this.now, due[1].at);
      due[1].fn();
    }
    this.now = end;
  }
}

export class FakeLink implements RawLink {
  readonly ifname: string;
  readonly ifindex: number;
  readonly mac: Uint8Array;
  readonly sent: Uint8Array[] = [];
  readonly groups = new Set<string>();
  closed = false;
  #listeners: ((frame: Uint8Array) => void)[] = [];

  constructor(ifname: string, ifindex: number, mac: Mac) {
    this.ifname = ifname;
    this.ifindex = ifindex;
    this.mac = macBytes(mac);
  }

  send(frame: Uint8Array): void {
    this.sent.push(frame);
  }
  onFrame(cb: (frame: Uint8Array) => void): void {
    this.#listeners.push(cb);
  }
  joinMulticast(mac: Uint8Array): void {
    this.groups.add(Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join(':'));
  }
  leaveMulticast(mac: Uint8Array): void {
    this.groups.delete(Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join(':'));
  }
  close(): void {
    this.closed = true;
    this.#listeners = [];
  }
  /** Delivers a frame as if it had arrived on the wire. */
  receive(frame: Uint8Array): void {
    for (const l of this.#listeners) l(frame);
  }
}

export const anInterface = (ifname: string, ifindex: number, mac: Mac, o: Partial<InterfaceInfo> = {}): InterfaceInfo => ({
  ifname, ifindex, flags: IFF_UP | IFF_BROADCAST, mac, enslaved: false, linkLocal: `fe80::${ifindex}` as InterfaceInfo['linkLocal'], ...o,
});

/** The heartbeat transport, played by the test: peers' packets in, expiry by tick. */
export class FakeHeartbeats {
  o: UdpHeartbeatOptions | null = null;
  readonly #seq = new Map<string, bigint>();

  readonly start = async (o: UdpHeartbeatOptions) => {
    this.o = o;
    return { port: o.bind.port, stopped: Promise.resolve() };
  };

  get membership(): HeartbeatMembership {
    if (this.o === null) throw new Error('heartbeats not started');
    return this.o.membership;
  }

  /** One heartbeat from `node`, signed with the test key. */
  beat(node: string, now: number): void {
    const seq = (this.#seq.get(node) ?? 0n) + 1n;
    this.#seq.set(node, seq);
    const bytes = encodeHeartbeat({ node, incarnation: 7n, seq, sentAt: now }, new TextEncoder().encode(heartbeatKeyText));
    const v = this.membership.onPacket(bytes, { host: '192.0.2.1', port: 7947 }, now);
    if (v.accepted && v.changes.length > 0) this.o?.onChanges(v.changes, this.membership.settled(now));
  }

  /** What the adapter's timer does: expire silent peers. */
  tick(now: number): void {
    const r = this.membership.tick(now);
    if (r.changes.length > 0) this.o?.onChanges(r.changes, r.settled);
  }
}

/** One speaker's handler over fakes, with the metrics registry and log records to inspect. */
export function aHandler(node: string, time: ManualTime, interfaces: () => readonly InterfaceInfo[], burst: BurstPolicy = defaultBurstPolicy) {
  const links = new Map<string, FakeLink>();
  const heartbeats = new FakeHeartbeats();
  const registry = new Registry();
  const records: LogRecord[] = [];
  const stop = new AbortController();
  const handler: L2Handler = l2Handler({
    node,
    heartbeat: { keySource: { kind: 'secret', namespace: 'barelb-system', name: 'heartbeat' }, port: 7947, intervalMs: 100, missedIntervals: 3, jitterMarginMs: 50 },
    excludeInterfaces: [/^lo$/],
    ignoreExcludeLB: false,
    scanIntervalMs: 5_000,
    burst,
    incarnation: 1n,
    ports: {
      openLink: (ifname) => {
        const info = interfaces().find((i) => i.ifname === ifname);
        const link = new FakeLink(ifname, info?.ifindex ?? 0, info?.mac ?? ('02:00:00:00:00:99' as Mac));
        links.set(ifname, link);
        return link;
      },
      scanInterfaces: async () => interfaces(),
      startUdp: heartbeats.start,
      timers: time.timers,
    },
    clock: time.clock,
    signal: stop.signal,
    logger: recordingLogger(records),
    metrics: l2Metrics(registry, node),
  });
  return { handler, links, heartbeats, registry, records, stop };
}

/** A SpeakerView from manifests (YAML-free: plain objects) and allocations. */
export function aView(node: string, objects: readonly unknown[], allocations: Record<string, string[]>): SpeakerView {
  const input = parseInput(objects);
  if (input.errors.length > 0) throw new Error(JSON.stringify(input.errors));
  const alloc = new Map(Object.entries(allocations).map(([k, ips]) => [k as ServiceKey, { ips: ips.map(ip), pool: 'lan' }]));
  return { node, input, allocations: alloc };
}
