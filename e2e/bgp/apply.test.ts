// The FRR applier against real FRR 10.3: router AS 64500 (eBGP, TCP-MD5) and two AS 64512 nodes;
// node 1 changes only through the apply queue. Measures latencies; checks that unchanged sessions
// never reset, FRR restarts and hand edits get repaired, and bad config leaves FRR as it was.
import { readFileSync, statSync } from 'node:fs';
import { expect } from 'chai';
import { recordingLogger } from '../../src/log/logger.ts';
import { Applier } from '../../src/speaker/bgp/apply/applier.ts';
import { ApplyQueue } from '../../src/speaker/bgp/apply/apply-queue.ts';
import type { QueueEvent } from '../../src/speaker/bgp/apply/apply-queue.ts';
import { watchFrrRestarts } from '../../src/speaker/bgp/apply/frr-watch.ts';
import { systemClock } from '../../src/speaker/bgp/apply/hooks.ts';
import { docPrefixes, metallbConfig } from '../../src/speaker/bgp/apply/testing.ts';
import type { FixtureAd, FixtureOptions, FixturePeer } from '../../src/speaker/bgp/apply/testing.ts';
import { Teardown } from '../harness/cleanup.ts';
import { FrrInstance, waitFor } from '../harness/frr.ts';
import { bgpRoutes } from '../harness/frr-json.ts';
import { inRoot } from '../harness/frr-root.ts';
import { ROUTER_IPV4, buildLan } from '../harness/lan.ts';
import type { Lan, LanNode } from '../harness/lan.ts';
import { chrootVtyshPort } from '../harness/vtysh-port.ts';

const PASSWORD = 'md5-s3cret-e2e';
const UPSTREAM: FixturePeer = { address: ROUTER_IPV4, asn: 64500, timers: [1, 3], connectTime: 1, password: PASSWORD };
const BULK = docPrefixes(1000, 0);
const [P0, P1, EXTRA] = docPrefixes(3, 1000) as [string, string, string];

const ads = (...prefixes: string[]): FixtureAd[] => prefixes.map((prefix) => ({ prefix }));
const nodeConfig = (o: Partial<FixtureOptions>): string => metallbConfig({ routerId: '192.0.2.11', peers: [UPSTREAM], ads: ads(P0), ...o });

const routerConfig = (): string => [
  'frr defaults traditional', 'router bgp 64500', ' bgp router-id 192.0.2.1', ' no bgp ebgp-requires-policy',
  ' neighbor 192.0.2.11 remote-as 64512', ' neighbor 192.0.2.11 timers 1 3', ' neighbor 192.0.2.11 timers connect 1',
  ` neighbor 192.0.2.11 password ${PASSWORD}`, 'exit', '',
].join('\n');
const node2Config = (): string => [
  'frr defaults traditional', 'router bgp 64512', ' bgp router-id 192.0.2.12', ' no bgp ebgp-requires-policy',
  ' neighbor 192.0.2.11 remote-as 64512', ' neighbor 192.0.2.11 timers 1 3', ' neighbor 192.0.2.11 timers connect 1', 'exit', '',
].join('\n');

interface Timing { readonly change: string; readonly applyMs: number; readonly seenMs: number }

describe('FRR applier on FRR 10.3', function () {
  const teardown = new Teardown();
  const logs = recordingLogger();
  const events: QueueEvent[] = [];
  const timings: Timing[] = [];
  const abort = new AbortController();
  let lan: Lan;
  let router: FrrInstance;
  let node1: FrrInstance;
  let queue: ApplyQueue;

  const nodeAt = (i: number): LanNode => lan.nodes[i - 1] ?? (() => { throw new Error(`no node ${i}`); })();

  before(async function () {
    lan = await buildLan(2);
    teardown.defer(() => lan.destroy());
    router = await FrrInstance.start({ netns: lan.router, config: routerConfig() });
    teardown.defer(() => router.stop());
    node1 = await FrrInstance.start({ netns: nodeAt(1).ns, config: nodeConfig({ ads: [] }) });
    teardown.defer(() => node1.stop());
    const port = chrootVtyshPort(node1.name, 'apply', teardown);
    const applier = new Applier({ port, clock: systemClock, logger: logs });
    queue = new ApplyQueue({ applier, clock: systemClock, logger: logs, retry: { minMs: 100, maxMs: 1_000 }, verifyEveryMs: 1_000, onEvent: (e) => void events.push(e) });
    const loop = queue.run(abort.signal);
    const watch = watchFrrRestarts({ dir: inRoot(`/run/frr/${node1.name}`), watchRoot: inRoot('/run/frr'), clock: systemClock, logger: logs, onRestart: () => queue.frrRestarted() }, abort.signal);
    teardown.defer(async () => { abort.abort(); await loop; await watch.closed; });
    await watch.ready;
    await waitFor(async () => (await upstreamSession()).state === 'Established', 30_000, { what: 'node 1 to reach the router' });
    queue.submit(nodeConfig({ ads: [] }));
    expect((await nextEvent(() => true)).type).to.equal('applied');
    // Measure on a settled session: bgpd holds a new session's first updates for its coalesce time (1 s).
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(node1.logTail(20), JSON.stringify(logs.records.slice(-8), null, 1));
  });

  after(async function () {
    console.log('\n    apply latency on FRR 10.3 (applyMs: plan to FRR accepting it; seenMs: submit to the router showing it)');
    for (const t of timings) console.log(`    ${t.change.padEnd(44)} applyMs ${t.applyMs.toFixed(0).padStart(5)}   seenMs ${t.seenMs.toFixed(0).padStart(6)}`);
    await teardown.run();
  });

  /** Resolves with the next queue event matching `match` (events from now on). */
  function nextEvent(match: (e: QueueEvent) => boolean, timeoutMs = 60_000): Promise<QueueEvent> {
    const from = events.length;
    return waitFor(() => events.slice(from).find(match), timeoutMs, { intervalMs: 5, what: 'a queue event' });
  }

  async function upstreamSession(): Promise<{ state: string; established: number; remoteRouterId: string }> {
    const json = (await router.showJson('show bgp neighbors 192.0.2.11 json')) as Record<string, { bgpState?: string; connectionsEstablished?: number; remoteRouterId?: string }>;
    const n = json['192.0.2.11'];
    return { state: n?.bgpState ?? 'none', established: n?.connectionsEstablished ?? -1, remoteRouterId: n?.remoteRouterId ?? '' };
  }

  async function routerPrefixes(): Promise<ReadonlySet<string>> {
    return new Set(bgpRoutes(await router.showJson('show bgp ipv4 unicast json')).keys());
  }

  /** Submits `text`, waits for the apply and for `seen` at the router; records both latencies. */
  async function applyAndSee(change: string, text: string, seen: (prefixes: ReadonlySet<string>) => boolean | Promise<boolean>): Promise<void> {
    const applied = nextEvent((e) => e.type !== 'verified');
    const start = performance.now();
    queue.submit(text);
    const event = await applied;
    if (event.type !== 'applied') throw new Error(`apply failed: ${JSON.stringify(event)}`);
    await waitFor(async () => seen(await routerPrefixes()), 60_000, { intervalMs: 5, what: `the router to show: ${change}` });
    timings.push({ change, applyMs: event.report.ms, seenMs: performance.now() - start });
    expect(event.report.ms, 'sanity bound; the target is tens of ms').to.be.lessThan(change.startsWith('1000') ? 5_000 : 500);
  }

  let established = 0;

  it('advertises a new prefix at once, and withdraws it again', async function () {
    established = (await upstreamSession()).established;
    await applyAndSee('add 1 prefix (0 present)', nodeConfig({}), (p) => p.has(P0));
    await applyAndSee('add 1 prefix (1 present)', nodeConfig({ ads: ads(P0, P1) }), (p) => p.has(P1));
    await applyAndSee('remove 1 prefix (2 present)', nodeConfig({}), (p) => !p.has(P1) && p.has(P0));
  });

  it('advertises 1000 prefixes in one change, then one more next to them', async function () {
    await applyAndSee('1000 prefixes in one change', nodeConfig({ ads: ads(P0, ...BULK) }), (p) => BULK.every((b) => p.has(b)));
    await applyAndSee('add 1 prefix (1000 present)', nodeConfig({ ads: ads(P0, ...BULK, EXTRA) }), (p) => p.has(EXTRA));
    await applyAndSee('remove 1 prefix (1001 present)', nodeConfig({ ads: ads(P0, ...BULK) }), (p) => !p.has(EXTRA));
  });

  it('never resets the upstream session for prefix changes, and finds no drift after its own applies', async function () {
    const now = await upstreamSession();
    expect(now).to.deep.include({ state: 'Established', established });
    const verified = events.filter((e) => e.type === 'verified');
    expect(verified.length).to.be.greaterThan(0);
    expect(verified.filter((e) => e.report.drifted)).to.deep.equal([]);
  });

  it('keeps the file FRR loads at restart equal to the last applied config, mode 0600', function () {
    const file = inRoot(`/etc/frr/${node1.name}/frr.conf`);
    expect(readFileSync(file, 'utf8')).to.equal(nodeConfig({ ads: ads(P0, ...BULK) }));
    expect(statSync(file).mode & 0o777).to.equal(0o600);
  });

  it('brings up a second neighbor added to the config', async function () {
    const node2 = await FrrInstance.start({ netns: nodeAt(2).ns, config: node2Config() });
    teardown.defer(() => node2.stop());
    const second: FixturePeer = { address: '192.0.2.12', asn: 64512, timers: [1, 3], connectTime: 1 };
    queue.submit(nodeConfig({ peers: [UPSTREAM, second], ads: ads(P0, ...BULK) }));
    await waitFor(async () => {
      const json = (await node2.showJson('show bgp neighbors 192.0.2.11 json')) as Record<string, { bgpState?: string }>;
      return json['192.0.2.11']?.bgpState === 'Established';
    }, 30_000, { what: 'the iBGP session node 2 - node 1' });
    expect((await upstreamSession()).established).to.equal(established);
    peers = [UPSTREAM, second];
    node2Instance = node2;
  });

  let peers: FixturePeer[] = [UPSTREAM];
  let node2Instance: FrrInstance | undefined;
  const withBulk = (first: FixtureAd): FixtureAd[] => [first, ...ads(...BULK)];

  it('sends a new community to the router and a new local preference to the iBGP neighbor, without a reset', async function () {
    const changed = { prefix: P0, communities: ['64500:100'], localPref: 200 };
    await applyAndSee('community + local-pref (1001 present)', nodeConfig({ peers, ads: withBulk(changed) }), async () => {
      const up = (await router.showJson(`show bgp ipv4 unicast ${P0} json`)) as { paths?: { community?: { string?: string } }[] };
      const down = (await node2Instance?.showJson(`show bgp ipv4 unicast ${P0} json`)) as { paths?: { locPrf?: number }[] } | undefined;
      return up.paths?.[0]?.community?.string === '64500:100' && down?.paths?.[0]?.locPrf === 200;
    });
    expect(await upstreamSession()).to.deep.include({ state: 'Established', established });
  });

  it('takes the full-reload path for a router-id change and converges', async function () {
    const applied = nextEvent((e) => e.type !== 'verified');
    queue.submit(nodeConfig({ peers, ads: withBulk({ prefix: P0 }), routerId: '192.0.2.111' }));
    const event = await applied;
    expect(event.type === 'applied' && event.report.kind).to.equal('full');
    expect((await nextEvent((e) => e.type === 'verified')).type).to.equal('verified');
    await waitFor(async () => (await upstreamSession()).remoteRouterId === '192.0.2.111' && (await routerPrefixes()).size >= 1001, 30_000, { what: 'the new router-id at the router' });
    established = (await upstreamSession()).established;
  });

  it('restores everything, unasked, when FRR restarts with an empty config', async function () {
    const desired = nodeConfig({ peers, ads: withBulk({ prefix: P0 }), routerId: '192.0.2.111' });
    await node1.stop();
    await waitFor(async () => !(await routerPrefixes()).has(P0), 30_000, { what: 'the router to lose the routes' });
    const restored = nextEvent((e) => e.type === 'applied' && e.restore);
    const start = performance.now();
    node1 = await FrrInstance.start({ netns: nodeAt(1).ns, config: '' });
    teardown.defer(() => node1.stop());
    const event = await restored;
    await waitFor(async () => { const p = await routerPrefixes(); return p.has(P0) && BULK.every((b) => p.has(b)); }, 60_000, { what: 'every route back at the router' });
    timings.push({ change: 'restore 1001 prefixes after an FRR restart', applyMs: event.type === 'applied' ? event.report.ms : NaN, seenMs: performance.now() - start });
    expect(await node1.show('show running-config')).to.include(`network ${P0}`);
    // The harness started FRR from an empty file; the restore wrote the desired one back.
    expect(readFileSync(inRoot(`/etc/frr/${node1.name}/frr.conf`), 'utf8')).to.equal(desired);
  });

  it('repairs a hand-made change it finds on its own', async function () {
    const repaired = nextEvent((e) => e.type === 'verified' && e.report.drifted);
    const edit = await node1.configure(['router bgp 64512', 'address-family ipv4 unicast', `no network ${P0}`]);
    expect(edit.exitCode, edit.stdout).to.equal(0);
    const event = await repaired;
    expect(event.type === 'verified' && event.report.repaired.join('\n')).to.include(`network ${P0}`);
    await waitFor(async () => (await routerPrefixes()).has(P0), 30_000, { what: `${P0} back at the router` });
  });

  it('reports a command FRR rejects with its message, and keeps what FRR runs', async function () {
    const good = nodeConfig({ peers, ads: withBulk({ prefix: P0 }), routerId: '192.0.2.111' });
    const before = await upstreamSession();
    const failed = nextEvent((e) => e.type === 'failed');
    queue.submit(good.replace('  neighbor 192.0.2.1 port 179', '  neighbor 192.0.2.1 remote-ass 64500'));
    const event = await failed;
    expect(event.type === 'failed' && event.failure.reason).to.equal('rejected');
    expect(event.type === 'failed' && event.failure.details.join('\n')).to.match(/Unknown command.*remote-ass/);
    const prefixes = await routerPrefixes();
    expect(prefixes.has(P0) && BULK.every((b) => prefixes.has(b)), 'nothing withdrawn').to.equal(true);
    expect(await upstreamSession()).to.deep.include({ state: 'Established', established: before.established });
    const recovered = nextEvent((e) => e.type === 'applied');
    queue.submit(good);
    expect((await recovered).type).to.equal('applied');
  });

  it('never logs the BGP password', function () {
    const text = JSON.stringify(logs.records);
    expect(text).to.not.include(PASSWORD);
    expect(logs.records.length).to.be.greaterThan(10);
  });
});
