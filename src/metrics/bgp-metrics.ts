// The speaker's BGP and BFD session metrics under MetalLB's FRR-mode names (reference §8) with the
// barelb_ prefix, so dashboards map one to one; plus the FRR apply metrics and query failures.
//
// Labels as MetalLB: `peer` is `ip:port` for BGP (MetalLB's `%s:%d`, so IPv6 reads `2001:db8::1:179`)
// and the bare address for BFD; `vrf` is FRR's VRF name (`default`). FRR's message and packet
// counters are absolute; they are exported as Prometheus counters (TYPE counter, as MetalLB) fed
// with the difference since the last read. When FRR's value goes down (peer re-created, daemon
// restarted) the new value is added, so the exported counter never decreases and rate() works.

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BfdCounters, BgpMessageCounters } from '../speaker/bgp/state/snapshot.ts';

export type BgpSessionSample = {
  /** `ip:port` (the configured remote port, 179 unless set). */
  readonly peer: string;
  readonly vrf: string;
  readonly up: boolean;
  readonly prefixesSent: number;
  readonly prefixesReceived: number;
  readonly connectionsDropped: number;
  readonly messages: BgpMessageCounters;
};

export type BfdSessionSample = {
  /** The peer address, as FRR prints it. */
  readonly peer: string;
  readonly vrf: string;
  readonly up: boolean;
  /** Null when FRR did not list counters for the session (the counters keep their last value). */
  readonly counters: BfdCounters | null;
};

export const applyKinds = ['incremental', 'full'] as const;
export type ApplyKind = (typeof applyKinds)[number];

export const frrQuerySources = ['bgp', 'bfd'] as const;
export type FrrQuerySource = (typeof frrQuerySources)[number];

export type BgpMetrics = {
  /** Sets every BGP series from one full read; series of sessions not in `sessions` are removed. */
  readonly observeBgpSessions: (sessions: readonly BgpSessionSample[]) => void;
  /** The same for BFD. One session per (peer, vrf) is assumed; a second one is ignored. */
  readonly observeBfdSessions: (sessions: readonly BfdSessionSample[]) => void;
  /** One failed read of FRR (vtysh failed or printed something the decoder could not use). */
  readonly queryFailed: (source: FrrQuerySource) => void;
  /** One attempt to apply configuration to FRR, successful or not; `seconds` is its wall time. */
  readonly observeApply: (apply: { readonly kind: ApplyKind; readonly seconds: number; readonly ok: boolean }) => void;
};

type Labels = { peer: string; vrf: string };
const labelNames = ['peer', 'vrf'];

/** A Prometheus counter that follows an absolute counter read from FRR. */
function mirroredCounter(registry: Registry, name: string, help: string) {
  const counter = new Counter({ name, help, labelNames, registers: [registry] });
  const last = new Map<string, number>();
  return {
    set(key: string, labels: Labels, value: number): void {
      const before = last.get(key);
      counter.inc(labels, before === undefined || value < before ? value : value - before);
      last.set(key, value);
    },
    remove(key: string, labels: Labels): void {
      counter.remove(labels);
      last.delete(key);
    },
  };
}

type Mirrored = ReturnType<typeof mirroredCounter>;
type Field<S> = readonly [name: string, help: string, read: (s: S) => number];

const bgpCounterFields: readonly Field<BgpSessionSample>[] = [
  ['barelb_bgp_opens_sent', 'Number of BGP OPEN messages sent', (s) => s.messages.opensSent],
  ['barelb_bgp_opens_received', 'Number of BGP OPEN messages received', (s) => s.messages.opensReceived],
  ['barelb_bgp_notifications_sent', 'Number of BGP NOTIFICATION messages sent', (s) => s.messages.notificationsSent],
  ['barelb_bgp_notifications_received', 'Number of BGP NOTIFICATION messages received', (s) => s.messages.notificationsReceived],
  ['barelb_bgp_updates_total', 'Number of BGP UPDATE messages sent', (s) => s.messages.updatesSent],
  ['barelb_bgp_updates_total_received', 'Number of BGP UPDATE messages received', (s) => s.messages.updatesReceived],
  ['barelb_bgp_keepalives_sent', 'Number of BGP KEEPALIVE messages sent', (s) => s.messages.keepalivesSent],
  ['barelb_bgp_keepalives_received', 'Number of BGP KEEPALIVE messages received', (s) => s.messages.keepalivesReceived],
  ['barelb_bgp_route_refresh_sent', 'Number of BGP ROUTE-REFRESH messages sent', (s) => s.messages.routeRefreshSent],
  ['barelb_bgp_total_sent', 'Number of BGP messages sent', (s) => s.messages.totalSent],
  ['barelb_bgp_total_received', 'Number of BGP messages received', (s) => s.messages.totalReceived],
  ['barelb_bgp_connections_dropped', 'Number of times an established BGP session went down', (s) => s.connectionsDropped],
];

const bfdCounterFields: readonly Field<BfdCounters>[] = [
  ['barelb_bfd_control_packet_input', 'Number of received BFD control packets', (c) => c.controlPacketInput],
  ['barelb_bfd_control_packet_output', 'Number of sent BFD control packets', (c) => c.controlPacketOutput],
  ['barelb_bfd_echo_packet_input', 'Number of received BFD echo packets', (c) => c.echoPacketInput],
  ['barelb_bfd_echo_packet_output', 'Number of sent BFD echo packets', (c) => c.echoPacketOutput],
  ['barelb_bfd_session_up_events', 'Number of BFD session up events', (c) => c.sessionUpEvents],
  ['barelb_bfd_session_down_events', 'Number of BFD session down events', (c) => c.sessionDownEvents],
  ['barelb_bfd_zebra_notifications', 'Number of BFD zebra notifications', (c) => c.zebraNotifications],
];

const APPLY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Keeps the label sets of the last read; `observe` sets those of a new read (first of each (peer,
 * vrf) wins) and calls `drop` for the ones that are gone.
 */
function seriesTracker<S extends Labels>(set: (key: string, labels: Labels, s: S) => void, drop: (key: string, labels: Labels) => void) {
  let present = new Map<string, Labels>();
  return (samples: readonly S[]): void => {
    const next = new Map<string, Labels>();
    for (const s of samples) {
      const key = `${s.vrf}\u0000${s.peer}`;
      if (next.has(key)) continue;
      next.set(key, { peer: s.peer, vrf: s.vrf });
      set(key, { peer: s.peer, vrf: s.vrf }, s);
    }
    for (const [key, labels] of present) if (!next.has(key)) drop(key, labels);
    present = next;
  };
}

function gauge(registry: Registry, name: string, help: string): Gauge {
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

function bgpObserver(registry: Registry): BgpMetrics['observeBgpSessions'] {
  const up = gauge(registry, 'barelb_bgp_session_up', 'BGP session state (1 is up, 0 is down)');
  const sent = gauge(registry, 'barelb_bgp_announced_prefixes_total', 'Number of prefixes currently being advertised on the BGP session');
  const received = gauge(registry, 'barelb_bgp_received_prefixes_total', 'Number of prefixes currently being received on the BGP session');
  const counters = bgpCounterFields.map(([name, help, read]) => [mirroredCounter(registry, name, help), read] as const);
  return seriesTracker<BgpSessionSample>(
    (key, labels, s) => {
      up.set(labels, s.up ? 1 : 0);
      sent.set(labels, s.prefixesSent);
      received.set(labels, s.prefixesReceived);
      for (const [counter, read] of counters) counter.set(key, labels, read(s));
    },
    (key, labels) => {
      for (const g of [up, sent, received]) g.remove(labels);
      for (const [counter] of counters) counter.remove(key, labels);
    },
  );
}

function bfdObserver(registry: Registry): BgpMetrics['observeBfdSessions'] {
  const up = gauge(registry, 'barelb_bfd_session_up', 'BFD session state (1 is up, 0 is down)');
  const counters: (readonly [Mirrored, (c: BfdCounters) => number])[] = bfdCounterFields.map(
    ([name, help, read]) => [mirroredCounter(registry, name, help), read] as const,
  );
  return seriesTracker<BfdSessionSample>(
    (key, labels, s) => {
      up.set(labels, s.up ? 1 : 0);
      if (s.counters === null) return;
      for (const [counter, read] of counters) counter.set(key, labels, read(s.counters));
    },
    (key, labels) => {
      up.remove(labels);
      for (const [counter] of counters) counter.remove(key, labels);
    },
  );
}

export function bgpMetrics(registry: Registry): BgpMetrics {
  const reg = { registers: [registry] };
  const failures = new Counter({ name: 'barelb_frr_query_failures_total', help: 'Failed reads of FRR state (vtysh failed or printed unusable output)', labelNames: ['source'], ...reg });
  const duration = new Histogram({ name: 'barelb_frr_apply_duration_seconds', help: 'Time to apply configuration to FRR', labelNames: ['kind'], buckets: APPLY_BUCKETS, ...reg });
  const applyFailures = new Counter({ name: 'barelb_frr_apply_failures_total', help: 'Configuration applies to FRR that failed', labelNames: ['kind'], ...reg });
  const applies = new Counter({ name: 'barelb_frr_config_applies_total', help: 'Configuration applies to FRR, successful or not', labelNames: ['kind'], ...reg });
  // Every series exists from the start, so rate() and absent() see zeros rather than nothing.
  for (const source of frrQuerySources) failures.inc({ source }, 0);
  for (const kind of applyKinds) {
    duration.zero({ kind });
    applyFailures.inc({ kind }, 0);
    applies.inc({ kind }, 0);
  }
  return {
    observeBgpSessions: bgpObserver(registry),
    observeBfdSessions: bfdObserver(registry),
    queryFailed: (source) => failures.inc({ source }),
    observeApply({ kind, seconds, ok }) {
      duration.observe({ kind }, seconds);
      applies.inc({ kind });
      if (!ok) applyFailures.inc({ kind });
    },
  };
}
