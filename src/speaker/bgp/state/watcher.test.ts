import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { Registry } from 'prom-client';
import { recordingLogger, type LogRecord } from '../../../log/logger.ts';
import { bgpMetrics } from '../../../metrics/bgp-metrics.ts';
import { FrrQueryError, stateCommands, type FrrQuery } from './frr-query.ts';
import { FrrStateWatcher, type Clock, type FrrStateWatcherOptions } from './watcher.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`testdata/${name}`, import.meta.url), 'utf8'));

/** What FRR answers during one poll; an Error is thrown by the fake query instead. */
type PollStep = { readonly bgp: unknown; readonly bfdPeers?: unknown; readonly bfdCounters?: unknown };

type Neighbor = {
  bgpState: string;
  connectionsEstablished?: number;
  connectionsDropped?: number;
  lastResetDueTo?: string;
  sent?: number;
  received?: number;
  totalSent?: number;
  md5?: boolean;
};

/** `show bgp vrf all neighbors json` for the default VRF, shaped as FRR 10.3 prints it. */
const neighbors = (peers: Record<string, Neighbor>): unknown => ({
  default: {
    vrfId: 0,
    vrfName: 'default',
    ...Object.fromEntries(
      Object.entries(peers).map(([peer, n]) => [
        peer,
        {
          bgpState: n.bgpState,
          connectionsEstablished: n.connectionsEstablished ?? 0,
          connectionsDropped: n.connectionsDropped ?? 0,
          ...(n.lastResetDueTo === undefined ? { lastReset: 'never' } : { lastResetDueTo: n.lastResetDueTo, lastResetCode: 24 }),
          messageStats: { totalSent: n.totalSent ?? 0 },
          ...(n.md5 === true ? { authenticationEnabled: 1 } : {}),
          addressFamilyInfo: { ipv4Unicast: { acceptedPrefixCounter: n.received ?? 0, ...(n.sent === undefined ? {} : { sentPrefixCounter: n.sent }) } },
        },
      ]),
    ),
  },
});

const noBfd = { bfdPeers: [], bfdCounters: [] };
const vtyshDown = new FrrQueryError('exit-status', 'vtysh exited 1: Exiting: failed to connect to any daemons.');
const T0 = 1_800_000_000_000;

/** A watcher over scripted FRR answers and a clock that never waits; `run` stops after the last step. */
function scripted(steps: readonly PollStep[], options: Partial<FrrStateWatcherOptions> = {}) {
  const records: LogRecord[] = [];
  const registry = new Registry();
  const commands: string[] = [];
  const sleeps: number[] = [];
  const stop = new AbortController();
  let index = -1;
  let now = T0;
  const query: FrrQuery = {
    async showJson(command) {
      commands.push(command);
      if (command === stateCommands.bgpNeighbors) index += 1;
      const step = steps[index];
      if (step === undefined) throw new Error(`no step ${index}`);
      const answer = command === stateCommands.bgpNeighbors ? step.bgp : command === stateCommands.bfdPeers ? step.bfdPeers : step.bfdCounters;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  const clock: Clock = {
    now: () => now,
    async sleep(ms) {
      sleeps.push(ms);
      now += ms;
      if (index >= steps.length - 1) stop.abort();
    },
  };
  const watcher = new FrrStateWatcher({ query, logger: recordingLogger(records), metrics: bgpMetrics(registry), clock, ...options });
  return { watcher, records, registry, commands, sleeps, run: () => watcher.run(stop.signal) };
}

async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

async function seriesCount(registry: Registry, name: string): Promise<number> {
  return (await registry.getSingleMetric(name)?.get())?.values.length ?? 0;
}

describe('FrrStateWatcher', function () {
  it('logs Active → Established → Idle as exactly two lines: info when up, warn when down', async function () {
    const { records, run } = scripted([
      { bgp: neighbors({ '192.0.2.1': { bgpState: 'Active' } }), ...noBfd },
      { bgp: neighbors({ '192.0.2.1': { bgpState: 'Established', connectionsEstablished: 1, sent: 2, received: 1 } }), ...noBfd },
      { bgp: neighbors({ '192.0.2.1': { bgpState: 'Idle', connectionsEstablished: 1, connectionsDropped: 1, lastResetDueTo: 'BFD down received' } }), ...noBfd },
    ]);
    await run();
    expect(records).to.deep.equal([
      {
        level: 'info', msg: 'bgp session state changed',
        fields: { peer: '192.0.2.1', vrf: 'default', from: 'Active', to: 'Established', reason: null, prefixesSent: 2, prefixesReceived: 1 },
      },
      {
        level: 'warn', msg: 'bgp session state changed',
        fields: { peer: '192.0.2.1', vrf: 'default', from: 'Established', to: 'Idle', reason: 'BFD down received', prefixesSent: 2, prefixesReceived: 1 },
      },
    ]);
  });

  it('logs a vtysh outage of five polls once, then once when FRR answers again', async function () {
    const up = { bgp: neighbors({ '192.0.2.1': { bgpState: 'Established', connectionsEstablished: 1 } }), ...noBfd };
    const down = { bgp: vtyshDown };
    const { watcher, records, registry, run } = scripted([up, down, down, down, down, down, up]);
    await run();
    expect(records).to.deep.equal([
      {
        level: 'warn', msg: 'cannot read FRR state; keeping the last read',
        fields: { source: 'bgp', reason: 'exit-status', error: 'vtysh exited 1: Exiting: failed to connect to any daemons.' },
      },
      { level: 'info', msg: 'FRR state readable again', fields: { source: 'bgp', failedPolls: 5, outageMs: 10_000 } },
    ]);
    expect(await metricValue(registry, 'barelb_frr_query_failures_total', { source: 'bgp' })).to.equal(5);
    expect(watcher.current().bgpReadAt).to.equal(T0 + 12_000);
  });

  it('keeps the last read during an outage and does not ask bfdd while bgpd does not answer', async function () {
    const { watcher, commands, run } = scripted([
      { bgp: neighbors({ '192.0.2.1': { bgpState: 'Established', connectionsEstablished: 1 } }), ...noBfd },
      { bgp: vtyshDown },
    ]);
    await run();
    expect(commands).to.deep.equal([stateCommands.bgpNeighbors, stateCommands.bfdPeers, stateCommands.bfdCounters, stateCommands.bgpNeighbors]);
    expect(watcher.sessionsUp()).to.equal(1);
    expect(watcher.current()).to.deep.include({ bgpReadAt: T0, bfdReadAt: T0 });
  });

  it('logs a bfdd outage once on its own and still follows BGP', async function () {
    const bfddDown = { bfdPeers: new FrrQueryError('exit-status', 'vtysh exited 1: bfdd is not running') };
    const { records, run } = scripted([
      { bgp: neighbors({ '192.0.2.1': { bgpState: 'Active' } }), ...bfddDown },
      { bgp: neighbors({ '192.0.2.1': { bgpState: 'Established', connectionsEstablished: 1 } }), ...bfddDown },
      { bgp: neighbors({ '192.0.2.1': { bgpState: 'Established', connectionsEstablished: 1 } }), ...bfddDown },
    ]);
    await run();
    expect(records.map((r) => [r.level, r.msg, r.fields['source'] ?? r.fields['to']])).to.deep.equal([
      ['warn', 'cannot read FRR state; keeping the last read', 'bfd'],
      ['info', 'bgp session state changed', 'Established'],
    ]);
  });

  it('counts output it cannot decode as a failed read, naming the part', async function () {
    const { records, run } = scripted([{ bgp: { default: { '192.0.2.1': { state: 'Established' } } }, ...noBfd }]);
    await run();
    expect(records).to.have.length(1);
    expect(records[0]?.fields).to.include({ source: 'bgp', reason: 'unexpected-shape' });
    expect(records[0]?.fields['error']).to.match(/^default\/192\.0\.2\.1: /);
  });

  it('logs Connect/Active retries at debug and a flap between polls as a warning', async function () {
    const { records, run } = scripted([
      { bgp: neighbors({ '192.0.2.1': { bgpState: 'Connect' }, '192.0.2.2': { bgpState: 'Established', connectionsEstablished: 1 } }), ...noBfd },
      {
        bgp: neighbors({
          '192.0.2.1': { bgpState: 'Active' },
          '192.0.2.2': { bgpState: 'Established', connectionsEstablished: 2, connectionsDropped: 1, lastResetDueTo: 'Peer closed the session' },
        }),
        ...noBfd,
      },
    ]);
    await run();
    expect(records.map((r) => [r.level, r.msg, r.fields['peer']])).to.deep.equal([
      ['debug', 'bgp session state changed', '192.0.2.1'],
      ['warn', 'bgp session flapped between polls', '192.0.2.2'],
    ]);
    expect(records[1]?.fields).to.include({ missedSessions: 1, reason: 'Peer closed the session' });
  });

  it('warns once about a session still short of Established after notEstablishedWarnMs, naming the peer and its state', async function () {
    const stuck = { bgp: neighbors({ '192.0.2.1': { bgpState: 'Connect', lastResetDueTo: 'Waiting for peer OPEN', md5: true } }), ...noBfd };
    const { records, run } = scripted([stuck, stuck, stuck, stuck, stuck], { notEstablishedWarnMs: 4_000 });
    await run();
    expect(records.map((r) => [r.level, r.msg])).to.deep.equal([['warn', 'bgp session not established']]);
    expect(records[0]?.fields).to.include({ peer: '192.0.2.1', vrf: 'default', state: 'Connect', reason: 'Waiting for peer OPEN', downForMs: 4_000, tcpMd5: true, everEstablished: false });
    expect(records[0]?.fields['hint']).to.match(/TCP-MD5/);
  });

  it('sleeps 2 s between polls by default, or the interval it is given, and stops when aborted', async function () {
    const step = { bgp: neighbors({}), ...noBfd };
    const byDefault = scripted([step, step, step]);
    await byDefault.run();
    expect(byDefault.sleeps).to.deep.equal([2_000, 2_000, 2_000]);
    const faster = scripted([step, step], { intervalMs: 500 });
    await faster.run();
    expect(faster.sleeps).to.deep.equal([500, 500]);
  });

  it('joins a poll that is already running instead of starting a second one', async function () {
    const { watcher, commands } = scripted([{ bgp: neighbors({}), ...noBfd }]);
    await Promise.all([watcher.poll(), watcher.poll()]);
    expect(commands.filter((c) => c === stateCommands.bgpNeighbors)).to.have.length(1);
  });
});

describe('FrrStateWatcher metrics', function () {
  const realFrr = { bgp: fixture('neighbors-up.json'), bfdPeers: fixture('bfd-peers-up.json'), bfdCounters: fixture('bfd-counters-up.json') };

  it('exports the BGP gauges and FRR message counters of a read, peer as ip:179', async function () {
    const { registry, run } = scripted([realFrr]);
    await run();
    const peer = { peer: '192.0.2.1:179', vrf: 'default' };
    const expected: [string, number][] = [
      ['barelb_bgp_session_up', 1], ['barelb_bgp_announced_prefixes_total', 3], ['barelb_bgp_received_prefixes_total', 1],
      ['barelb_bgp_opens_sent', 2], ['barelb_bgp_opens_received', 1], ['barelb_bgp_notifications_sent', 1],
      ['barelb_bgp_updates_total', 3], ['barelb_bgp_updates_total_received', 4], ['barelb_bgp_keepalives_sent', 2],
      ['barelb_bgp_keepalives_received', 2], ['barelb_bgp_route_refresh_sent', 0], ['barelb_bgp_total_sent', 8],
      ['barelb_bgp_total_received', 7],
    ];
    for (const [name, value] of expected) expect(await metricValue(registry, name, peer), name).to.equal(value);
    expect(await metricValue(registry, 'barelb_bgp_session_up', { peer: '192.0.2.99:179' })).to.equal(0);
    expect(await metricValue(registry, 'barelb_bgp_announced_prefixes_total', { peer: '2001:db8::1:179' })).to.equal(4);
  });

  it('exports the BFD gauge and counters, peer as the bare address', async function () {
    const { registry, run } = scripted([realFrr]);
    await run();
    const peer = { peer: '192.0.2.1', vrf: 'default' };
    expect(await metricValue(registry, 'barelb_bfd_session_up', peer)).to.equal(1);
    expect(await metricValue(registry, 'barelb_bfd_session_up', { peer: '192.0.2.98' })).to.equal(0);
    expect(await metricValue(registry, 'barelb_bfd_control_packet_input', peer)).to.equal(9);
    expect(await metricValue(registry, 'barelb_bfd_session_up_events', peer)).to.equal(1);
    expect(await metricValue(registry, 'barelb_bfd_zebra_notifications', peer)).to.equal(2);
  });

  it('follows FRR absolute counters and keeps counting up across a reset of them', async function () {
    const at = (totalSent: number) => ({ bgp: neighbors({ '192.0.2.1': { bgpState: 'Established', connectionsEstablished: 1, totalSent } }), ...noBfd });
    const { registry, run } = scripted([at(8), at(10), at(3)]);
    await run();
    expect(await metricValue(registry, 'barelb_bgp_total_sent', { peer: '192.0.2.1:179' })).to.equal(13);
  });

  it('removes every series of a neighbor that went away', async function () {
    const { registry, run } = scripted([
      { bgp: neighbors({ '192.0.2.1': { bgpState: 'Established' }, '192.0.2.2': { bgpState: 'Active' } }), ...noBfd },
      { bgp: neighbors({ '192.0.2.1': { bgpState: 'Established' } }), ...noBfd },
    ]);
    await run();
    for (const name of ['barelb_bgp_session_up', 'barelb_bgp_received_prefixes_total', 'barelb_bgp_opens_sent', 'barelb_bgp_total_received']) {
      expect(await seriesCount(registry, name), name).to.equal(1);
    }
  });

  it('puts the configured remote port in the peer label', async function () {
    const { registry, run } = scripted([{ bgp: neighbors({ '192.0.2.1': { bgpState: 'Established' } }), ...noBfd }], { peerPort: () => 1179 });
    await run();
    expect(await metricValue(registry, 'barelb_bgp_session_up', { peer: '192.0.2.1:1179' })).to.equal(1);
  });
});
