// The FRR state watcher against a real FRR 10.3: an upstream router (AS 64500) and one node (AS
// 64512) peering over IPv4 (with BFD) and IPv6, plus two neighbors that do not exist. The watcher,
// reading the node through the real vtysh adapter, must log the session coming up, going down when
// the link is cut (within the 3 s hold time) and the NOTIFICATION of an administrative shutdown.
// With BARELB_WRITE_FIXTURES=1 it also rewrites src/speaker/bgp/state/testdata/ (see README there).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Registry } from 'prom-client';
import { recordingLogger, type LogRecord } from '../../src/log/logger.ts';
import { bgpMetrics } from '../../src/metrics/bgp-metrics.ts';
import { decodeBfdPeers } from '../../src/speaker/bgp/state/decode-bfd.ts';
import { decodeBgpNeighbors } from '../../src/speaker/bgp/state/decode-bgp.ts';
import { stateCommands } from '../../src/speaker/bgp/state/frr-query.ts';
import { vtyshQuery } from '../../src/speaker/bgp/state/vtysh-query.ts';
import { FrrStateWatcher } from '../../src/speaker/bgp/state/watcher.ts';
import { Teardown } from '../harness/cleanup.ts';
import { FrrInstance, waitFor } from '../harness/frr.ts';
import { frrRoot } from '../harness/frr-root.ts';
import { ROUTER_IPV4, ROUTER_IPV6, buildLan } from '../harness/lan.ts';
import type { Lan, LanNode } from '../harness/lan.ts';

const ROUTER_AS = 64500;
const NODE_AS = 64512;
/** Nothing answers here: the node's FRR keeps cycling Connect/Active. */
const MISSING_PEER = '192.0.2.99';
/** Nothing answers here either, but with BFD: FRR 10.3 holds the neighbor Idle while its BFD session is down. */
const MISSING_BFD_PEER = '192.0.2.98';
const HOLD_TIME_MS = 3_000;
const POLL_MS = 200;
const FIXTURES = fileURLToPath(new URL('../../src/speaker/bgp/state/testdata/', import.meta.url));
const WRITE_FIXTURES = process.env['BARELB_WRITE_FIXTURES'] === '1';

function routerConfig(node: LanNode): string {
  return [
    'frr defaults traditional',
    'log stdout informational',
    `router bgp ${ROUTER_AS}`,
    ` bgp router-id ${ROUTER_IPV4}`,
    ' no bgp ebgp-requires-policy',
    ' no bgp network import-check',
    ` neighbor ${node.ipv4} remote-as ${NODE_AS}`,
    ` neighbor ${node.ipv4} timers 1 3`,
    ` neighbor ${node.ipv4} bfd`,
    ` neighbor ${node.ipv6} remote-as ${NODE_AS}`,
    ' address-family ipv4 unicast',
    '  network 198.51.100.0/24',
    ' exit-address-family',
    ' address-family ipv6 unicast',
    `  neighbor ${node.ipv6} activate`,
    ' exit-address-family',
    'exit',
    '',
  ].join('\n');
}

function nodeConfig(node: LanNode): string {
  return [
    'frr defaults traditional',
    'log stdout informational',
    `router bgp ${NODE_AS}`,
    ` bgp router-id ${node.ipv4}`,
    ' no bgp ebgp-requires-policy',
    ' no bgp network import-check',
    ` neighbor ${ROUTER_IPV4} remote-as ${ROUTER_AS}`,
    ` neighbor ${ROUTER_IPV4} timers 1 3`,
    ` neighbor ${ROUTER_IPV4} timers connect 2`,
    ` neighbor ${ROUTER_IPV4} bfd`,
    ` neighbor ${ROUTER_IPV6} remote-as ${ROUTER_AS}`,
    ` neighbor ${ROUTER_IPV6} timers connect 2`,
    ` neighbor ${MISSING_PEER} remote-as 64501`,
    ` neighbor ${MISSING_PEER} timers connect 2`,
    ` neighbor ${MISSING_BFD_PEER} remote-as 64502`,
    ` neighbor ${MISSING_BFD_PEER} bfd`,
    ' address-family ipv4 unicast',
    '  network 203.0.113.10/32',
    '  network 203.0.113.11/32',
    ' exit-address-family',
    ' address-family ipv6 unicast',
    `  neighbor ${ROUTER_IPV6} activate`,
    '  network 2001:db8:100::10/128',
    ' exit-address-family',
    'exit',
    '',
  ].join('\n');
}

describe('FRR state watcher against FRR 10.3', function () {
  const teardown = new Teardown();
  const records: LogRecord[] = [];
  const registry = new Registry();
  let lan: Lan;
  let node: LanNode;
  let router: FrrInstance;
  let frr: FrrInstance;
  let watcher: FrrStateWatcher;

  before(async function () {
    lan = await buildLan(1);
    teardown.defer(() => lan.destroy());
    const first = lan.nodes[0];
    if (first === undefined) throw new Error('the segment has no node');
    node = first;
    router = await FrrInstance.start({ netns: lan.router, config: routerConfig(node) });
    teardown.defer(() => router.stop());
    // The link stays down until the watcher has its first read, so it sees the sessions come up.
    await lan.setNodeLink(node.index, 'down');
    frr = await FrrInstance.start({ netns: node.ns, config: nodeConfig(node) });
    teardown.defer(() => frr.stop());
    const query = vtyshQuery({ command: ['ip', 'netns', 'exec', node.ns.name, 'chroot', frrRoot(), '/usr/bin/vtysh', '-N', frr.name] });
    watcher = new FrrStateWatcher({ query, logger: recordingLogger(records), metrics: bgpMetrics(registry), intervalMs: POLL_MS });
    const stop = new AbortController();
    const running = watcher.run(stop.signal);
    teardown.defer(async () => {
      stop.abort();
      await running;
    });
    await waitFor(() => watcher.current().bfdReadAt !== null, 10_000, { what: 'the first read of the node FRR' });
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') {
      console.error(frr.logTail(15));
      console.error(JSON.stringify(records, null, 1));
    }
  });

  after(async function () {
    await teardown.run();
  });

  const transitions = (msg: string, peer: string): LogRecord[] => records.filter((r) => r.msg === msg && r.fields['peer'] === peer);

  async function sessionUpGauge(peer: string): Promise<number | undefined> {
    const metric = await registry.getSingleMetric('barelb_bgp_session_up')?.get();
    return metric?.values.find((v) => v.labels['peer'] === peer && v.labels['vrf'] === 'default')?.value;
  }

  /** Saves FRR's own output of the three state commands (only with BARELB_WRITE_FIXTURES=1). */
  async function capture(name: string, which: readonly (keyof typeof stateCommands)[] = ['bgpNeighbors', 'bfdPeers', 'bfdCounters']): Promise<void> {
    if (!WRITE_FIXTURES) return;
    const file = { bgpNeighbors: 'neighbors', bfdPeers: 'bfd-peers', bfdCounters: 'bfd-counters' } as const;
    for (const key of which) writeFileSync(`${FIXTURES}${file[key]}-${name}.json`, await frr.show(stateCommands[key]));
  }

  it('logs the IPv4 session coming up and exports barelb_bgp_session_up 1 for 192.0.2.1:179', async function () {
    await lan.setNodeLink(node.index, 'up');
    await waitFor(() => watcher.sessionsUp() === 2, 30_000, { what: 'both sessions of the node to be Established' });
    // At least one: BFD coming up late may reset the first session (then FRR logs `Cease/BFD Down`).
    const up = transitions('bgp session state changed', ROUTER_IPV4).filter((r) => r.fields['to'] === 'Established');
    expect(up.length, 'lines for the session coming up').to.be.at.least(1);
    expect(up.at(-1)).to.deep.include({ level: 'info' });
    expect(up.at(-1)?.fields).to.include({ peer: ROUTER_IPV4, vrf: 'default', to: 'Established', reason: null });
    await waitFor(async () => (await sessionUpGauge(`${ROUTER_IPV4}:179`)) === 1, 5_000, { what: 'the session_up gauge to read 1' });
  });

  it('decodes what FRR prints with two sessions up, two peers missing and BFD up', async function () {
    await waitFor(() => watcher.current().bfd.find((s) => s.peer === ROUTER_IPV4)?.up, 10_000, {
      what: 'the BFD session to be up',
    });
    // Both received and sent prefixes settle a moment after Established.
    await waitFor(() => {
      const v4 = watcher.current().bgp.find((s) => s.peer === ROUTER_IPV4);
      return v4?.prefixesReceived === 1 && v4.prefixesSent === 3;
    }, 10_000, { what: 'the routes to be exchanged' });
    await capture('up');
    const bgp = decodeBgpNeighbors(await frr.showJson(stateCommands.bgpNeighbors));
    if (!bgp.ok) throw new Error(`decode failed: ${JSON.stringify(bgp.error)}`);
    expect(bgp.value.map((s) => [s.peer, s.established])).to.deep.equal([
      [ROUTER_IPV4, true], [MISSING_BFD_PEER, false], [MISSING_PEER, false], [ROUTER_IPV6, true],
    ]);
    expect(bgp.value.find((s) => s.peer === MISSING_BFD_PEER)).to.deep.include({ state: 'Idle', bfdStatus: 'Down' });
    const v4 = bgp.value.find((s) => s.peer === ROUTER_IPV4);
    expect(v4).to.deep.include({ prefixesReceived: 1, bfdStatus: 'Up' });
    // The node's two networks, plus the router's own route, which eBGP sends back (the router drops it as a loop).
    expect(v4?.prefixesSent).to.equal(3);
    expect(['Connect', 'Active', 'Idle']).to.include(bgp.value.find((s) => s.peer === MISSING_PEER)?.state);
    const bfd = decodeBfdPeers(await frr.showJson(stateCommands.bfdPeers), await frr.showJson(stateCommands.bfdCounters));
    if (!bfd.ok) throw new Error(`decode failed: ${JSON.stringify(bfd.error)}`);
    expect(bfd.value.map((s) => [s.peer, s.status, s.interface])).to.deep.equal([[ROUTER_IPV4, 'up', 'eth0'], [MISSING_BFD_PEER, 'down', null]]);
    // At least one: FRR 10.3 may first bring BFD up without a local address and then replace the
    // session once BGP is Established (seen under load), which counts a second up event.
    expect(bfd.value[0]?.counters?.sessionUpEvents).to.be.at.least(1);
  });

  it('logs the session going down within the hold time when the link is cut, and the gauge drops to 0', async function () {
    const before = transitions('bgp session state changed', ROUTER_IPV4).length;
    const lastUp = watcher.current().bgp.find((s) => s.peer === ROUTER_IPV4);
    const bfdBefore = transitions('bfd session state changed', ROUTER_IPV4).length;
    const cutAt = Date.now();
    await lan.setNodeLink(node.index, 'down');
    const down = await waitFor(() => transitions('bgp session state changed', ROUTER_IPV4).slice(before).find((r) => r.fields['from'] === 'Established'), HOLD_TIME_MS, {
      what: 'a logged transition out of Established',
    });
    expect(Date.now() - cutAt).to.be.below(HOLD_TIME_MS);
    expect(down.level).to.equal('warn');
    // A line for a session going down carries what it carried while up.
    expect(down.fields).to.include({ peer: ROUTER_IPV4, vrf: 'default', from: 'Established', prefixesSent: lastUp?.prefixesSent, prefixesReceived: 1 });
    expect(down.fields['to']).to.not.equal('Established');
    expect(down.fields['reason']).to.be.a('string');
    await waitFor(async () => (await sessionUpGauge(`${ROUTER_IPV4}:179`)) === 0, 2_000, { what: 'the session_up gauge to read 0' });
    await waitFor(() => transitions('bfd session state changed', ROUTER_IPV4).slice(bfdBefore).some((r) => r.fields['to'] === 'down'), 5_000, {
      what: 'the BFD session to be logged down',
    });
    await capture('link-down');
  });

  it('logs the NOTIFICATION when the router shuts the session down administratively', async function () {
    await lan.setNodeLink(node.index, 'up');
    await waitFor(() => watcher.sessionsUp() === 2, 30_000, { what: 'the sessions to come back' });
    const result = await router.configure([`router bgp ${ROUTER_AS}`, `neighbor ${node.ipv4} shutdown message maintenance`]);
    expect(result.exitCode, result.stdout).to.equal(0);
    const down = await waitFor(
      () => transitions('bgp session state changed', ROUTER_IPV4).find((r) => r.fields['from'] === 'Established' && String(r.fields['reason']).includes('Notification')),
      5_000,
      { what: 'a transition caused by the NOTIFICATION' },
    );
    expect(down.fields['reason']).to.equal('BGP Notification received: Cease/Administrative Shutdown (maintenance)');
    await capture('notification', ['bgpNeighbors']);
  });
});
