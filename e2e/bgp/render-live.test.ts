// The rendered frr.conf does what it says, on real FRR 10.3: a node runs barelb's rendered config
// (tag-based outbound policy), an upstream FRR peers with it over IPv4 and IPv6, and the upstream
// must learn exactly the prefixes each session should carry, with their communities.
import { expect } from 'chai';
import { z } from 'zod';
import { aPeer, anAdvertisement, aNode, aSnapshot } from '../../src/speaker/bgp/builders.ts';
import { renderNode } from '../../src/speaker/bgp/render.ts';
import { Teardown } from '../harness/cleanup.ts';
import { FrrInstance, waitFor } from '../harness/frr.ts';
import { neighborState } from '../harness/frr-json.ts';
import { ROUTER_IPV4, ROUTER_IPV6, buildLan } from '../harness/lan.ts';
import type { Lan } from '../harness/lan.ts';

const ROUTER_AS = 64500;
const NODE_AS = 64512;

function routerConfig(nodeV4: string, nodeV6: string): string {
  return [
    'frr defaults traditional',
    'log stdout informational',
    `router bgp ${ROUTER_AS}`,
    ` bgp router-id ${ROUTER_IPV4}`,
    ' no bgp ebgp-requires-policy',
    ` neighbor ${nodeV4} remote-as ${NODE_AS}`,
    ` neighbor ${nodeV4} timers connect 2`,
    ` neighbor ${nodeV6} remote-as ${NODE_AS}`,
    ` neighbor ${nodeV6} timers connect 2`,
    ' address-family ipv6 unicast',
    `  neighbor ${nodeV6} activate`,
    ' exit-address-family',
    'exit',
    '',
  ].join('\n');
}

/** tor-v4 carries IPv4 only; tor-v6 is dual-stack. web goes everywhere, api only to tor-v6. */
function nodeConfig(routerID: string): string {
  const snap = aSnapshot({
    peers: [
      aPeer({ name: 'tor-v4', myASN: NODE_AS, remoteASN: ROUTER_AS, address: ROUTER_IPV4, routerID, connectTimeSeconds: 2 }),
      aPeer({ name: 'tor-v6', myASN: NODE_AS, remoteASN: ROUTER_AS, address: ROUTER_IPV6, routerID, connectTimeSeconds: 2, dualStackAddressFamily: true }),
    ],
    ads: [
      anAdvertisement({ name: 'everywhere', communities: ['large:64512:1:2'], serviceSelectors: [{ matchLabels: { app: 'web' }, matchExpressions: [] }] }),
      anAdvertisement({ name: 'tagged-v4', communities: ['65000:100'], peers: ['tor-v4'], serviceSelectors: [{ matchLabels: { app: 'web' }, matchExpressions: [] }] }),
      anAdvertisement({ name: 'only-v6', peers: ['tor-v6'], serviceSelectors: [{ matchLabels: { app: 'api' }, matchExpressions: [] }] }),
    ],
    services: [
      { name: 'web', labels: { app: 'web' }, families: ['ipv4', 'ipv6'], ips: ['203.0.113.10', '2001:db8:100::10'] },
      { name: 'api', labels: { app: 'api' }, ips: ['203.0.113.11'] },
    ],
    nodes: [aNode('node-1')],
  });
  const text = renderNode(snap, 'node-1', { hostname: 'node-1', logLevel: 'informational', secretPasswords: new Map(), extraConfig: null });
  if (!text.ok) throw new Error(`render failed: ${JSON.stringify(text.error)}`);
  return text.value;
}

const pathsSchema = z.object({
  paths: z.array(z.object({
    peer: z.object({ peerId: z.string() }).optional(),
    community: z.object({ string: z.string() }).optional(),
    largeCommunity: z.object({ string: z.string() }).optional(),
  })).default([]),
});

type Seen = { readonly from: string; readonly communities: string; readonly large: string };

describe('BGP rendered config on real FRR: tag-based outbound policy', function () {
  const teardown = new Teardown();
  let lan: Lan;
  let router: FrrInstance;
  let node: FrrInstance;

  before(async function () {
    lan = await buildLan(1);
    teardown.defer(() => lan.destroy());
    const n = lan.nodes[0];
    if (n === undefined) throw new Error('no node');
    router = await FrrInstance.start({ netns: lan.router, config: routerConfig(n.ipv4, n.ipv6) });
    teardown.defer(() => router.stop());
    node = await FrrInstance.start({ netns: n.ns, config: nodeConfig(n.ipv4) });
    teardown.defer(() => node.stop());
    for (const peer of [n.ipv4, n.ipv6]) {
      await waitFor(async () => neighborState(await router.showJson('show bgp neighbors json'), peer) === 'Established', 60_000, { what: `session to ${peer}` });
    }
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(router.logTail(15), node.logTail(15));
  });

  after(async function () {
    await teardown.run();
  });

  async function seen(afi: 'ipv4' | 'ipv6', prefix: string): Promise<Seen[]> {
    const json = pathsSchema.parse(await router.showJson(`show bgp ${afi} unicast ${prefix} json`));
    return json.paths
      .map((p) => ({ from: p.peer?.peerId ?? '?', communities: p.community?.string ?? '', large: p.largeCommunity?.string ?? '' }))
      .sort((a, b) => (a.from < b.from ? -1 : 1));
  }

  async function settled(afi: 'ipv4' | 'ipv6', prefix: string, count: number): Promise<Seen[]> {
    return waitFor(async () => {
      const s = await seen(afi, prefix);
      return s.length === count ? s : undefined;
    }, 30_000, { what: `${count} path(s) to ${prefix}` });
  }

  it('sends a prefix to every peer, with the communities of each peer\'s advertisements', async function () {
    expect(await settled('ipv4', '203.0.113.10/32', 2)).to.deep.equal([
      { from: '192.0.2.11', communities: '65000:100', large: '64512:1:2' },
      { from: '2001:db8::11', communities: '', large: '64512:1:2' },
    ]);
  });

  it('sends an IPv6 prefix only over sessions that carry IPv6', async function () {
    expect(await settled('ipv6', '2001:db8:100::10/128', 1)).to.deep.equal([{ from: '2001:db8::11', communities: '', large: '64512:1:2' }]);
  });

  it('keeps a prefix from peers its advertisements do not name', async function () {
    expect(await settled('ipv4', '203.0.113.11/32', 1)).to.deep.equal([{ from: '2001:db8::11', communities: '', large: '' }]);
  });

  it('accepts nothing from the upstream (inbound deny)', async function () {
    const table = z.object({ routes: z.record(z.string(), z.unknown()).default({}) }).parse(await node.showJson('show bgp ipv4 unicast json'));
    expect(Object.keys(table.routes).sort()).to.deep.equal(['203.0.113.10/32', '203.0.113.11/32']);
  });
});
