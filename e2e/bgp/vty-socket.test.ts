// bgpd batches over bgpd's vty socket (VtySocketPort) against real FRR 10.3: what it applies reads
// back through vtysh, rejected lines and failed commits come back with FRR's words, a stopped bgpd
// times out and recovers, a missing socket falls back to vtysh, and 20 batches are timed against
// `vtysh -d bgpd -f`.
import { expect } from 'chai';
import { recordingLogger } from '../../src/log/logger.ts';
import { Applier } from '../../src/speaker/bgp/apply/applier.ts';
import { systemClock } from '../../src/speaker/bgp/apply/hooks.ts';
import { docPrefixes, metallbConfig } from '../../src/speaker/bgp/apply/testing.ts';
import { VtySocketPort } from '../../src/speaker/bgp/apply/vty-socket-port.ts';
import { VtyshPort } from '../../src/speaker/bgp/apply/vtysh-port.ts';
import { Teardown } from '../harness/cleanup.ts';
import { FrrInstance } from '../harness/frr.ts';
import { Netns } from '../harness/netns.ts';
import { chrootVtyshPort } from '../harness/vtysh-port.ts';

const BASE = ['frr defaults traditional', 'router bgp 64512', ' bgp router-id 192.0.2.11', ' no bgp ebgp-requires-policy',
  ' no bgp network import-check', 'exit', ''].join('\n');
const PASSWORD = 'vty-s3cret-e2e';
const [P1, P2, P3, P4] = docPrefixes(4, 0) as [string, string, string, string];
const FALLBACK = docPrefixes(1, 300)[0] ?? '';
const TIMED = 20;
const bgpd = { target: 'bgpd' } as const;

/** Lines in batch.ts's shape: each context entered from the top and left again. */
const inFamily = (...lines: string[]): string[] =>
  ['router bgp 64512', ' address-family ipv4 unicast', ...lines.map((l) => `  ${l}`), ' exit-address-family', 'exit'];

describe('bgpd batches over its vty socket, on FRR 10.3', function () {
  const teardown = new Teardown();
  const logs = recordingLogger();
  let frr: FrrInstance;
  let vtysh: VtyshPort;
  let port: VtySocketPort;

  before(async function () {
    const ns = await Netns.create('vtysock');
    teardown.defer(() => ns.destroy());
    frr = await FrrInstance.start({ netns: ns, config: BASE, daemons: [] });
    teardown.defer(() => frr.stop());
    vtysh = chrootVtyshPort(ns.name, 'vtysock', teardown);
    port = new VtySocketPort({ socketPath: `${frr.runDir}/bgpd.vty`, vtysh, logger: logs, timeoutMs: 5_000 });
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(frr.logTail(20), JSON.stringify(logs.records.slice(-8), null, 1));
  });

  after(async function () {
    await teardown.run();
  });

  const running = (): Promise<string> => frr.show('show running-config');

  it('applies networks, a prefix-list, a route-map and a neighbor that vtysh then shows', async function () {
    const batch = [
      `ip prefix-list blb-pl seq 5 permit ${P1}`,
      'route-map blb-out permit 10', ' match ip address prefix-list blb-pl', ' set community 64512:100', 'exit',
      'router bgp 64512', ' neighbor 192.0.2.1 remote-as 64500', ` neighbor 192.0.2.1 password ${PASSWORD}`, 'exit',
      ...inFamily(`network ${P1}`, `network ${P2}`, 'neighbor 192.0.2.1 route-map blb-out out'),
    ];
    expect(await port.runBatch(batch, bgpd)).to.deep.equal({ ok: true, value: { warnings: [] } });
    const text = await running();
    for (const line of [`ip prefix-list blb-pl seq 5 permit ${P1}`, 'route-map blb-out permit 10', ' match ip address prefix-list blb-pl',
      ' set community 64512:100', ' neighbor 192.0.2.1 remote-as 64500', ` neighbor 192.0.2.1 password ${PASSWORD}`,
      `  network ${P1}`, `  network ${P2}`, '  neighbor 192.0.2.1 route-map blb-out out']) {
      expect(text.split('\n'), line).to.include(line);
    }
    expect(logs.records.map((r) => r.msg)).to.deep.equal(["sending bgpd batches to bgpd's vty socket"]);
  });

  it('reports a command bgpd does not know as rejected with its message, and applies the rest (as vtysh -f does)', async function () {
    const batch = ['router bgp 64512', ' neighbor 192.0.2.1 remote-ass 64500', ` neighbor 192.0.2.77 password ${PASSWORD}`, 'exit', ...inFamily(`network ${P3}`)];
    const result = await port.runBatch(batch, bgpd);
    expect(result).to.deep.equal({
      ok: false,
      error: {
        reason: 'rejected',
        message: 'bgpd refused 2 of 9 lines',
        details: [
          'line 2: % [BGP] Unknown command:  neighbor 192.0.2.1 remote-ass 64500 [unknown command]',
          'line 3: % Specify remote-as or peer-group commands first (neighbor 192.0.2.77 password <redacted>) [config failed]',
        ],
      },
    });
    expect((await running()).split('\n')).to.include(`  network ${P3}`);
  });

  it('rejects a batch whose prefix-list commit fails at the end of the session', async function () {
    const result = await port.runBatch(['ip prefix-list blb-bad seq 5 permit 203.0.113.0/24 ge 8'], bgpd);
    expect(!result.ok && result.error.reason).to.equal('rejected');
    expect(!result.ok && result.error.details.join('\n')).to.match(/% Configuration failed\.[^]*Invalid prefix range/);
    expect(await running()).to.not.include('blb-bad');
  });

  it('times out when bgpd stops answering, and works again once it answers, with no session left locked', async function () {
    const pid = frr.pids.get('bgpd');
    if (pid === undefined) throw new Error('bgpd is not running');
    const slow = new VtySocketPort({ socketPath: `${frr.runDir}/bgpd.vty`, vtysh, logger: logs, timeoutMs: 300 });
    process.kill(pid, 'SIGSTOP');
    let stopped;
    try {
      stopped = await slow.runBatch(inFamily(`network ${P4}`), bgpd);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(!stopped.ok && stopped.error.reason).to.equal('timeout');
    expect(await port.runBatch(inFamily(`network ${P4}`), bgpd)).to.deep.equal({ ok: true, value: { warnings: [] } });
    // Every daemon (mgmtd's datastore lock included) still takes a vtysh batch.
    expect(await vtysh.runBatch([`ip prefix-list blb-all seq 5 permit ${P4}`])).to.deep.equal({ ok: true, value: { warnings: [] } });
    const text = (await running()).split('\n');
    expect(text).to.include.members([`  network ${P4}`, `ip prefix-list blb-all seq 5 permit ${P4}`]);
  });

  it('takes 600 networks sent in one go (the session is pipelined, not one round trip per line)', async function () {
    const many = docPrefixes(600, 400);
    const start = performance.now();
    expect(await port.runBatch(inFamily(...many.map((p) => `network ${p}`)), bgpd)).to.deep.equal({ ok: true, value: { warnings: [] } });
    console.log(`    604 lines over the socket: ${(performance.now() - start).toFixed(0)} ms`);
    expect((await running()).split('\n')).to.include.members(many.map((p) => `  network ${p}`));
    expect(await port.runBatch(inFamily(...many.map((p) => `no network ${p}`)), bgpd)).to.deep.equal({ ok: true, value: { warnings: [] } });
    expect(await running()).to.not.include(`network ${many[0] ?? ''}\n`);
  });

  it('falls back to vtysh when the socket is not there', async function () {
    const own = recordingLogger();
    const missing = new VtySocketPort({ socketPath: `${frr.runDir}/no-such.vty`, vtysh, logger: own });
    expect((await missing.runBatch(inFamily(`network ${FALLBACK}`), bgpd)).ok).to.equal(true);
    expect((await running()).split('\n')).to.include(`  network ${FALLBACK}`);
    expect(own.records.map((r) => [r.msg, r.fields['error']])).to.deep.equal([["bgpd's vty socket is unavailable; sending bgpd batches through vtysh", 'ENOENT']]);
  });

  it('drives the applier to exactly the desired config, with no drift found afterwards', async function () {
    const peers = [{ address: '192.0.2.1', asn: 64500, password: PASSWORD }];
    const ads = docPrefixes(3, 100).map((prefix) => ({ prefix }));
    const applier = new Applier({ port, clock: systemClock, logger: logs });
    const sent = logs.records.length;
    for (const n of [1, 2, 3]) {
      const applied = await applier.apply(metallbConfig({ routerId: '192.0.2.11', peers, ads: ads.slice(0, n) }));
      expect(applied.ok && applied.value.kind, JSON.stringify(applied)).to.equal('incremental');
    }
    const targets = logs.records.slice(sent).filter((r) => r.msg === 'sending FRR batch').map((r) => r.fields['target']);
    expect(targets, 'the later applies are bgpd-only batches').to.include('bgpd');
    const verified = await applier.verify(metallbConfig({ routerId: '192.0.2.11', peers, ads }));
    expect(verified).to.deep.equal({ ok: true, value: { drifted: false, repaired: [] } });
    expect(JSON.stringify(logs.records)).to.not.include(PASSWORD);
  });

  it('reports unreachable while FRR is down, and reaches the restarted bgpd with the next batch', async function () {
    const ns = frr.netns;
    await frr.stop();
    const down = await port.runBatch(inFamily(`network ${P1}`), bgpd);
    expect(!down.ok && down.error.reason).to.equal('unreachable');
    frr = await FrrInstance.start({ netns: ns, config: BASE, daemons: [] });
    expect(await port.runBatch(inFamily(`network ${P1}`), bgpd)).to.deep.equal({ ok: true, value: { warnings: [] } });
    expect((await running()).split('\n')).to.include(`  network ${P1}`);
    const transports = logs.records.filter((r) => /vty socket/.test(r.msg ?? '')).map((r) => r.msg);
    expect(transports.slice(-2)).to.deep.equal(["bgpd's vty socket became unavailable; sending bgpd batches through vtysh", "sending bgpd batches to bgpd's vty socket"]);
  });

  it(`times ${TIMED} one-network batches through the socket and through vtysh -d bgpd -f`, async function () {
    const prefixes = docPrefixes(2 * TIMED, 200);
    const time = async (run: (lines: string[]) => Promise<{ ok: boolean }>, from: number): Promise<number[]> => {
      const ms: number[] = [];
      for (const prefix of prefixes.slice(from, from + TIMED)) {
        const start = performance.now();
        const result = await run(inFamily(`network ${prefix}`));
        ms.push(performance.now() - start);
        expect(result.ok, prefix).to.equal(true);
      }
      return ms;
    };
    const socket = await time((lines) => port.runBatch(lines, bgpd), 0);
    const viaVtysh = await time((lines) => vtysh.runBatch(lines, bgpd), TIMED);
    const text = (await running()).split('\n');
    expect(text).to.include.members(prefixes.map((p) => `  network ${p}`));
    console.log(`\n    per batch (ms)          median    mean     min     max`);
    for (const [name, ms] of [['vty socket', socket], ['vtysh -d bgpd -f', viaVtysh]] as const) {
      const sorted = [...ms].sort((a, b) => a - b);
      const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
      const cells = [sorted[Math.floor(sorted.length / 2)] ?? NaN, mean, sorted[0] ?? NaN, sorted.at(-1) ?? NaN].map((v) => v.toFixed(1).padStart(7));
      console.log(`    ${name.padEnd(20)} ${cells.join(' ')}`);
    }
  });
});
