import { expect } from 'chai';
import { recordingLogger } from '../../../log/logger.ts';
import { Applier } from './applier.ts';
import { readConfig } from './normalise.ts';
import { planApply } from './plan.ts';
import { FakeClock, FakeFrr } from './test-fakes.ts';
import { applyLines, metallbConfig } from './testing.ts';
import type { FixtureAd, FixtureOptions } from './testing.ts';

const A: FixtureAd = { prefix: '203.0.113.10/32' };
const B: FixtureAd = { prefix: '203.0.113.11/32' };
const node = (o: Partial<FixtureOptions> = {}): string =>
  metallbConfig({ routerId: '192.0.2.11', peers: [{ address: '192.0.2.1', asn: 64500, password: 'hunter2' }], ads: [A], ...o });

function setup(): { frr: FakeFrr; applier: Applier; logs: ReturnType<typeof recordingLogger>; observed: { kind: string; ok: boolean }[] } {
  const frr = new FakeFrr();
  const logs = recordingLogger();
  const observed: { kind: string; ok: boolean }[] = [];
  const recorder = { observeApply: (a: { kind: string; ok: boolean }) => void observed.push({ kind: a.kind, ok: a.ok }) };
  return { frr, logs, observed, applier: new Applier({ port: frr, clock: new FakeClock(), logger: logs, recorder }) };
}

const inSync = (frr: FakeFrr, text: string): boolean => planApply(frr.running, readConfig(text)).changes.length === 0;

describe('Applier', () => {
  it('plans the first apply from the running config, later ones from what it applied', async () => {
    const { frr, applier } = setup();
    const first = await applier.apply(node());
    expect(first.ok && first.value.kind).to.equal('incremental');
    expect(frr.calls.map((c) => c.type)).to.deep.equal(['show', 'batch', 'write']);
    frr.calls.length = 0;
    const second = await applier.apply(node({ ads: [A, B] }));
    expect(second.ok && second.value.kind).to.equal('incremental');
    expect(frr.calls.map((c) => c.type)).to.deep.equal(['batch', 'write']);
    expect(frr.callsOf('batch')[0]).to.deep.include({ target: 'bgpd' });
    expect(inSync(frr, node({ ads: [A, B] }))).to.equal(true);
    expect(frr.files.at(-1)).to.equal(node({ ads: [A, B] }));
  });

  it('sends nothing when FRR already runs the config, and writes the file once', async () => {
    const { frr, applier } = setup();
    await applier.apply(node());
    frr.calls.length = 0;
    const again = await applier.apply(node());
    expect(again.ok && again.value.kind).to.equal('unchanged');
    expect(frr.calls).to.deep.equal([]);
  });

  it('takes the full-reload path for a router-id change', async () => {
    const { frr, applier, observed } = setup();
    await applier.apply(node());
    const changed = await applier.apply(node({ routerId: '192.0.2.99' }));
    expect(changed.ok && changed.value.kind).to.equal('full');
    expect(frr.callsOf('reload')).to.have.length(1);
    expect(observed).to.deep.equal([{ kind: 'incremental', ok: true }, { kind: 'full', ok: true }]);
    expect(inSync(frr, node({ routerId: '192.0.2.99' }))).to.equal(true);
  });

  it('soft-clears the neighbor after a community change on a prefix it already has', async () => {
    const { frr, applier } = setup();
    await applier.apply(node());
    await applier.apply(node({ ads: [{ ...A, communities: ['64500:7'] }] }));
    expect(frr.callsOf('exec')).to.deep.equal([{ type: 'exec', commands: ['clear bgp ipv4 unicast 192.0.2.1 soft out'] }]);
  });

  it('reports a rejected line with FRR\'s message after the full-reload fallback also fails, and keeps the rest', async () => {
    const { frr, applier } = setup();
    await applier.apply(node({ ads: [A, B] }));
    frr.rejects = /remote-ass/;
    const broken = node({ ads: [A, B] }).replace('  neighbor 192.0.2.1 port 179', '  neighbor 192.0.2.1 remote-ass 64500');
    const outcome = await applier.apply(broken);
    expect(outcome.ok).to.equal(false);
    if (outcome.ok) return;
    expect(outcome.error.reason).to.equal('rejected');
    expect(outcome.error.details[0]).to.equal('% Unknown command: neighbor 192.0.2.1 remote-ass 64500');
    expect(frr.callsOf('reload')).to.have.length(1);
    expect(inSync(frr, node({ ads: [A, B] }))).to.equal(true);
    frr.calls.length = 0;
    await applier.apply(node({ ads: [A, B] }));
    expect(frr.calls[0]?.type, 'a failure forgets what FRR runs').to.equal('show');
  });

  it('repairs drift found when reading the running config back', async () => {
    const { frr, applier } = setup();
    await applier.apply(node({ ads: [A, B] }));
    frr.running = applyLines(frr.running, ['router bgp 64512', ' address-family ipv4 unicast', '  no network 203.0.113.11/32', ' exit-address-family', 'exit']);
    const verified = await applier.verify(node({ ads: [A, B] }));
    expect(verified.ok && verified.value.drifted).to.equal(true);
    expect(inSync(frr, node({ ads: [A, B] }))).to.equal(true);
    const clean = await applier.verify(node({ ads: [A, B] }));
    expect(clean.ok && clean.value).to.deep.equal({ drifted: false, repaired: [] });
  });

  it('fails as unreachable when FRR is down, and re-reads the running config afterwards', async () => {
    const { frr, applier } = setup();
    await applier.apply(node());
    frr.down = true;
    const outcome = await applier.apply(node({ ads: [A, B] }));
    expect(!outcome.ok && outcome.error.reason).to.equal('unreachable');
    frr.down = false;
    frr.calls.length = 0;
    expect((await applier.apply(node({ ads: [A, B] }))).ok).to.equal(true);
    expect(frr.calls[0]?.type).to.equal('show');
  });

  it('never logs a password, not in commands, FRR messages nor changes', async () => {
    const { frr, applier, logs } = setup();
    await applier.apply(node());
    await applier.apply(node().replace('password hunter2', 'password s3cr3t-2'));
    frr.rejects = /password/;
    await applier.apply(node().replace('password hunter2', 'password third-one'));
    const text = JSON.stringify(logs.records);
    for (const secret of ['hunter2', 's3cr3t-2', 'third-one']) expect(text).to.not.include(secret);
    expect(text).to.include('password <redacted>');
  });
});
