// Every golden frr.conf of the renderer (src/speaker/bgp/testdata, and `barelb render`'s in
// src/cli/testdata) is accepted by real FRR 10.3:
// by vtysh's grammar check, and by live daemons loading it at boot (VRF configs included; the
// VRF devices need not exist). Also checks the check itself: a golden with a broken line fails
// (MetalLB's TestDockerTestfails).
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { goldenFile, goldenScenarios } from '../../src/speaker/bgp/golden-scenarios.ts';
import { Teardown } from '../harness/cleanup.ts';
import { FrrInstance, checkConfig } from '../harness/frr.ts';
import { Netns } from '../harness/netns.ts';

const cliGoldens = new URL('../../src/cli/testdata/', import.meta.url);
/** The renderer's scenarios, then `barelb render` on examples/bgp. */
const goldens = [
  ...goldenScenarios().map((s) => ({ name: s.name, text: readFileSync(goldenFile(s), 'utf8') })),
  ...readdirSync(cliGoldens).filter((f) => f.endsWith('.frr.conf')).sort().map((f) => ({ name: `cli ${f}`, text: readFileSync(new URL(f, cliGoldens), 'utf8') })),
];

describe('BGP golden files on real FRR 10.3', function () {
  const teardown = new Teardown();
  let ns: Netns;

  before(async function () {
    ns = await Netns.create('golden');
    teardown.defer(() => ns.destroy());
  });

  after(async function () {
    await teardown.run();
  });

  it('has golden files to check', function () {
    expect(goldens.length).to.be.greaterThan(40);
  });

  for (const g of goldens) {
    it(`accepts ${g.name}: grammar check and live load`, async function () {
      const check = await checkConfig(g.text);
      expect(check.ok, check.output).to.equal(true);
      const frr = await FrrInstance.start({ netns: ns, config: g.text });
      try {
        const running = await frr.show('show running-config');
        for (const line of g.text.split('\n').filter((l) => l.startsWith('  network '))) {
          expect(running, `running config lacks "${line.trim()}"`).to.contain(line.trim());
        }
      } finally {
        await frr.stop();
      }
    });
  }

  async function boots(config: string): Promise<boolean> {
    let started: FrrInstance | undefined;
    try {
      started = await FrrInstance.start({ netns: ns, config });
    } catch {
      return false;
    }
    await started.stop();
    return true;
  }

  function withLine(name: string, line: string): string {
    const golden = goldens.find((g) => g.name === name);
    if (golden === undefined) throw new Error(`${name} golden missing`);
    return golden.text.replace(' no bgp default ipv4-unicast\n', ` no bgp default ipv4-unicast\n${line}\n`);
  }

  it('rejects a golden file with an unknown command, in the grammar check and at boot', async function () {
    const broken = withLine('single-advertisement', ' neighbor 192.0.2.254 remote-ass 200');
    expect((await checkConfig(broken)).ok).to.equal(false);
    expect(await boots(broken), 'FRR booted a config with an unknown command').to.equal(false);
  });

  it('rejects at boot a line only the daemon can judge (an option for a neighbor without remote-as)', async function () {
    const broken = withLine('single-advertisement', ' neighbor 192.0.2.99 timers connect 5');
    expect((await checkConfig(broken)).ok, 'the grammar check cannot see this').to.equal(true);
    expect(await boots(broken), 'FRR booted a config bgpd rejects').to.equal(false);
  });
});
