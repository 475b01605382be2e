// BGP smoke test of the e2e harness: an upstream FRR (AS 64500) and two node FRRs (AS 64512) on
// one bridge; node 1 originates 203.0.113.10/32 and the router must learn it. Also checks that
// checkConfig tells a valid frr.conf from a broken one.
import { expect } from 'chai';
import { Teardown } from '../harness/cleanup.ts';
import { FrrInstance, checkConfig, waitFor } from '../harness/frr.ts';
import { bgpRoutes, neighborState } from '../harness/frr-json.ts';
import { ROUTER_IPV4, buildLan } from '../harness/lan.ts';
import type { Lan, LanNode } from '../harness/lan.ts';

const ROUTER_AS = 64500;
const NODE_AS = 64512;
const SERVICE_PREFIX = '203.0.113.10/32';

function routerConfig(nodes: readonly LanNode[]): string {
  return [
    'frr defaults traditional',
    'log stdout informational',
    `router bgp ${ROUTER_AS}`,
    ` bgp router-id ${ROUTER_IPV4}`,
    ' no bgp ebgp-requires-policy',
    // Hold time 3 s so that a cut link drops the session quickly.
    ...nodes.flatMap((n) => [
      ` neighbor ${n.ipv4} remote-as ${NODE_AS}`,
      ` neighbor ${n.ipv4} timers 1 3`,
      ` neighbor ${n.ipv4} timers connect 2`,
    ]),
    'exit',
    '',
  ].join('\n');
}

function nodeConfig(node: LanNode, prefixes: readonly string[]): string {
  return [
    'frr defaults traditional',
    'log stdout informational',
    `router bgp ${NODE_AS}`,
    ` bgp router-id ${node.ipv4}`,
    ' no bgp ebgp-requires-policy',
    ' no bgp network import-check',
    ` neighbor ${ROUTER_IPV4} remote-as ${ROUTER_AS}`,
    ` neighbor ${ROUTER_IPV4} timers connect 2`,
    ' address-family ipv4 unicast',
    ...prefixes.map((p) => `  network ${p}`),
    ' exit-address-family',
    'exit',
    '',
  ].join('\n');
}

describe('BGP smoke: two nodes peer with an upstream FRR', function () {
  const teardown = new Teardown();
  let lan: Lan;
  let router: FrrInstance;
  const instances: FrrInstance[] = [];

  before(async function () {
    lan = await buildLan(2);
    teardown.defer(() => lan.destroy());
    router = await FrrInstance.start({ netns: lan.router, config: routerConfig(lan.nodes) });
    instances.push(router);
    teardown.defer(() => router.stop());
    for (const node of lan.nodes) {
      const prefixes = node.index === 1 ? [SERVICE_PREFIX] : [];
      const frr = await FrrInstance.start({ netns: node.ns, config: nodeConfig(node, prefixes) });
      instances.push(frr);
      teardown.defer(() => frr.stop());
    }
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') {
      for (const frr of instances) console.error(frr.logTail(15));
    }
  });

  after(async function () {
    await teardown.run();
  });

  async function routerSessionTo(node: LanNode): Promise<string | undefined> {
    return neighborState(await router.showJson('show bgp neighbors json'), node.ipv4);
  }

  function nodeAt(index: number): LanNode {
    const node = lan.nodes[index - 1];
    if (node === undefined) throw new Error(`the segment has no node ${index}`);
    return node;
  }

  it('establishes the sessions from the router to both nodes', async function () {
    for (const node of lan.nodes) {
      await waitFor(async () => (await routerSessionTo(node)) === 'Established', 30_000, {
        what: `router's session to ${node.ipv4} to be Established`,
      });
      expect(await routerSessionTo(node)).to.equal('Established');
    }
  });

  it('learns the prefix node 1 originates, with node 1 as next hop', async function () {
    const node1 = nodeAt(1);
    // A path shows up before best-path selection has run on it: wait for a best one.
    const paths = await waitFor(
      async () => {
        const found = bgpRoutes(await router.showJson('show bgp ipv4 unicast json')).get(SERVICE_PREFIX);
        return found?.some((path) => path.best) === true ? found : undefined;
      },
      30_000,
      { what: `a best path to ${SERVICE_PREFIX} in the router's BGP table` },
    );
    expect(paths).to.deep.equal([{ valid: true, best: true, nextHops: [node1.ipv4], asPath: String(NODE_AS) }]);
  });

  it('accepts a valid frr.conf in checkConfig', async function () {
    const result = await checkConfig(nodeConfig(nodeAt(1), [SERVICE_PREFIX, '203.0.113.11/32']));
    expect(result, result.output).to.include({ ok: true });
  });

  it('rejects a misspelt command in checkConfig and names the line', async function () {
    const broken = ['router bgp 64512', ' neighbor 192.0.2.1 remote-ass 64500', 'exit', ''].join('\n');
    const result = await checkConfig(broken);
    expect(result.ok).to.equal(false);
    expect(result.output).to.match(/line 2: % Unknown command/);
  });

  it('rejects an out-of-range AS number in checkConfig', async function () {
    const result = await checkConfig('router bgp 4294967296\nexit\n');
    expect(result.ok).to.equal(false);
  });

  it('reports the line a daemon rejects when config is loaded live', async function () {
    const result = await router.loadConfig(`router bgp ${ROUTER_AS}\n neighbor 198.51.100.9 description no-remote-as\nexit\n`);
    expect(result.ok).to.equal(false);
    expect(result.output).to.match(/line 2: Failure to communicate\[13\] to bgpd/);
  });

  it('shows the lines frr-reload would add for a new neighbor', async function () {
    const next = routerConfig(lan.nodes).replace('exit\n', ' neighbor 198.51.100.7 remote-as 64513\nexit\n');
    const result = await router.frrReload(next, 'test');
    expect(result.exitCode, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/Lines To Add[\s\S]*neighbor 198\.51\.100\.7 remote-as 64513/);
  });

  it('drops the session when a node link is cut, and restores it when the link comes back', async function () {
    const node2 = nodeAt(2);
    await lan.setNodeLink(2, 'down');
    await waitFor(async () => (await routerSessionTo(node2)) !== 'Established', 15_000, {
      what: `router's session to ${node2.ipv4} to drop after the cut`,
    });
    await lan.setNodeLink(2, 'up');
    await waitFor(async () => (await routerSessionTo(node2)) === 'Established', 30_000, {
      what: `router's session to ${node2.ipv4} to come back`,
    });
  });
});
