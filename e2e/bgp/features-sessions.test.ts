// BGP session kinds end to end (issue 3): an iBGP peer that receives LOCAL_PREF, an unnumbered
// session over an IPv6 link-local link, and ebgp-multihop to a second router reached through the
// first; plus the speaker's metrics. Controller and speakers are real processes in local mode, each
// speaker inside its node's namespace; everything is asserted at the routers or the metrics.
//
//   node-1 (AS 64500) ──iBGP──▶ router (AS 64500, br0 192.0.2.1)
//   node-2 (AS 64512) ──un0 ⇄ un2 (link-local only)──▶ router
//   node-3 (AS 64512) ──via router (static routes)──▶ router2 (AS 64501, 198.51.100.2)
import { expect } from 'chai';
import { BgpCluster, bgpNodeManifests, clusterServiceManifest } from '../harness/bgp-cluster.ts';
import { Teardown } from '../harness/cleanup.ts';
import { FrrInstance, waitFor } from '../harness/frr.ts';
import { ROUTER_IPV4, buildLan, type Lan, type LanNode } from '../harness/lan.ts';
import { Netns, addVethPair } from '../harness/netns.ts';

const ROUTER_AS = 64500;
const NODE_AS = 64512;
const ROUTER2_AS = 64501;
const ROUTER2_IPV4 = '198.51.100.2';
const ROUTER_R2_IPV4 = '198.51.100.1';
const LOCAL_PREF = 150;

const routerConfig = (n1: LanNode) => [
  'frr defaults traditional',
  `router bgp ${ROUTER_AS}`,
  ` bgp router-id ${ROUTER_IPV4}`,
  ' no bgp ebgp-requires-policy',
  ' no bgp default ipv4-unicast',
  ` neighbor ${n1.ipv4} remote-as internal`,
  ` neighbor ${n1.ipv4} timers connect 1`,
  ' neighbor un2 interface remote-as external',
  ' neighbor un2 timers connect 1',
  ' address-family ipv4 unicast',
  `  neighbor ${n1.ipv4} activate`,
  '  neighbor un2 activate',
  ' exit-address-family',
  'exit',
  '',
].join('\n');

const router2Config = (n3: LanNode) => [
  'frr defaults traditional',
  `router bgp ${ROUTER2_AS}`,
  ` bgp router-id ${ROUTER2_IPV4}`,
  ' no bgp ebgp-requires-policy',
  ' no bgp default ipv4-unicast',
  ` neighbor ${n3.ipv4} remote-as ${NODE_AS}`,
  ` neighbor ${n3.ipv4} ebgp-multihop 255`,
  ` neighbor ${n3.ipv4} timers connect 1`,
  ' address-family ipv4 unicast',
  `  neighbor ${n3.ipv4} activate`,
  ' exit-address-family',
  'exit',
  '',
].join('\n');

const onNode = (index: number) => `nodeSelectors: [{matchLabels: {kubernetes.io/hostname: node-${index}}}]`;

const config = `apiVersion: barelb.io/v1beta1
kind: IPAddressPool
metadata: {name: public, namespace: barelb-system}
spec: {addresses: [203.0.113.0/28]}
---
apiVersion: barelb.io/v1beta2
kind: BGPPeer
metadata: {name: ibgp, namespace: barelb-system}
spec: {myASN: ${ROUTER_AS}, peerASN: ${ROUTER_AS}, peerAddress: ${ROUTER_IPV4}, connectTime: 1s, ${onNode(1)}}
---
apiVersion: barelb.io/v1beta2
kind: BGPPeer
metadata: {name: unnumbered, namespace: barelb-system}
spec: {myASN: ${NODE_AS}, peerASN: ${ROUTER_AS}, interface: un0, connectTime: 1s, ${onNode(2)}}
---
apiVersion: barelb.io/v1beta2
kind: BGPPeer
metadata: {name: multihop, namespace: barelb-system}
spec: {myASN: ${NODE_AS}, peerASN: ${ROUTER2_AS}, peerAddress: ${ROUTER2_IPV4}, ebgpMultiHop: true, connectTime: 1s, ${onNode(3)}}
---
apiVersion: barelb.io/v1beta1
kind: BGPAdvertisement
metadata: {name: all, namespace: barelb-system}
spec: {localPref: ${LOCAL_PREF}}
`;

type PathView = { peerId: string; peerInterface: string; locPrf: number | null; nextHops: string[]; asPath: string };

/** The paths of `prefix` in `frr`'s IPv4 table, with who sent each and its LOCAL_PREF. */
async function paths(frr: FrrInstance, prefix: string): Promise<PathView[]> {
  type Raw = { peer?: { peerId?: string; interface?: string }; locPrf?: number; aspath?: { string?: string }; nexthops?: { ip?: string }[] };
  const json = (await frr.showJson(`show bgp ipv4 unicast ${prefix} json`)) as { paths?: Raw[] };
  return (json.paths ?? []).map((p) => ({
    peerId: p.peer?.peerId ?? '',
    peerInterface: p.peer?.interface ?? '',
    locPrf: p.locPrf ?? null,
    nextHops: (p.nexthops ?? []).flatMap((h) => (h.ip === undefined ? [] : [h.ip])),
    asPath: p.aspath?.string ?? '',
  }));
}

async function neighborState(frr: FrrInstance, peer: string): Promise<string> {
  const json = (await frr.showJson('show bgp neighbors json')) as Record<string, { bgpState?: string }>;
  return json[peer]?.bgpState ?? '(absent)';
}

describe('BGP session kinds end to end: iBGP LOCAL_PREF, unnumbered, ebgp-multihop, metrics', function () {
  this.timeout(180_000);
  const teardown = new Teardown();
  let lan: Lan;
  let cluster: BgpCluster;
  let router: FrrInstance;
  let router2: FrrInstance;
  let web = '';
  const node = (i: number): LanNode => lan.nodes[i - 1] as LanNode;

  before(async function () {
    lan = await buildLan(3);
    teardown.defer(() => lan.destroy());
    // node-2 ⇄ router: a link with IPv6 link-local addresses only.
    await addVethPair({ ns: node(2).ns, ifname: 'un0' }, { ns: lan.router, ifname: 'un2' });
    // router2 behind the router; node-3 and router2 reach each other through it (static routes).
    const r2 = await Netns.create('router2');
    teardown.defer(() => r2.destroy());
    await addVethPair({ ns: lan.router, ifname: 'r2' }, { ns: r2, ifname: 'eth0' });
    await lan.router.addAddress('r2', `${ROUTER_R2_IPV4}/24`);
    await r2.addAddress('eth0', `${ROUTER2_IPV4}/24`);
    await lan.router.sysctl('net.ipv4.ip_forward', '1');
    await node(3).ns.ip(['route', 'add', '198.51.100.0/24', 'via', ROUTER_IPV4]);
    await r2.ip(['route', 'add', '192.0.2.0/24', 'via', ROUTER_R2_IPV4]);

    router = await FrrInstance.start({ netns: lan.router, config: routerConfig(node(1)), daemons: [] });
    teardown.defer(() => router.stop());
    router2 = await FrrInstance.start({ netns: r2, config: router2Config(node(3)), daemons: [] });
    teardown.defer(() => router2.stop());

    cluster = new BgpCluster(lan);
    teardown.defer(() => cluster.destroy());
    cluster.write('config.yaml', config);
    cluster.write('nodes.yaml', bgpNodeManifests(lan.nodes));
    cluster.write('web.yaml', clusterServiceManifest('web', lan.nodes));
    for (const n of lan.nodes) await cluster.startFrr(n, []);
    cluster.startController();
    for (const n of lan.nodes) cluster.startSpeaker(n);
    web = `${(await cluster.waitForAllocation('demo/web'))[0]}/32`;
  });

  after(async function () {
    if (this.currentTest?.state === 'failed') console.error(cluster?.logs(30));
    await teardown.run();
  });

  it('sets the advertisement localPref on the route at an iBGP router (router AS = node AS)', async () => {
    const fromNode1 = await waitFor(async () => (await paths(router, web)).find((p) => p.peerId === node(1).ipv4), 30_000, { what: `${web} from node-1 at the router` });
    expect(fromNode1.locPrf).to.equal(LOCAL_PREF);
    // iBGP adds no AS to the path; FRR prints an empty path as `Local`.
    expect(fromNode1.asPath).to.equal('Local');
    expect(await neighborState(router, node(1).ipv4)).to.equal('Established');
  });

  it('brings up an unnumbered session over an IPv6 link-local link and sends the prefix over it', async () => {
    const viaUn = await waitFor(async () => (await paths(router, web)).find((p) => p.peerInterface === 'un2'), 30_000, { what: `${web} over un2 at the router` });
    // RFC 8950: an IPv4 prefix with the node's link-local IPv6 address as next hop.
    expect(viaUn.nextHops.some((h) => h.startsWith('fe80:')), `next hops ${JSON.stringify(viaUn.nextHops)}`).to.equal(true);
    expect(viaUn.asPath).to.equal(String(NODE_AS));
    const rendered = await cluster.frr(node(2)).show('show running-config');
    expect(rendered).to.contain(`neighbor un0 interface remote-as ${ROUTER_AS}`);
  });

  it('peers with a router two hops away with ebgp-multihop and sends it the prefix', async () => {
    const fromNode3 = await waitFor(async () => (await paths(router2, web)).find((p) => p.peerId === node(3).ipv4), 30_000, { what: `${web} from node-3 at router2` });
    expect(fromNode3.nextHops).to.deep.equal([node(3).ipv4]);
    expect(fromNode3.asPath).to.equal(String(NODE_AS));
    expect(await neighborState(router2, node(3).ipv4)).to.equal('Established');
    expect(await cluster.frr(node(3)).show('show running-config')).to.contain(`neighbor ${ROUTER2_IPV4} ebgp-multihop`);
  });

  it("serves the speaker's session, apply and announcement metrics on --metrics-address", async () => {
    const n1 = node(1);
    const peer = `{peer="${ROUTER_IPV4}:179",vrf="default"}`;
    await waitFor(async () => (await cluster.metric(n1, `barelb_bgp_session_up${peer}`)) === 1, 20_000, { what: `barelb_bgp_session_up${peer} 1` });
    const text = await cluster.metrics(n1);
    const count = (kind: string) => Number(/\s(\S+)$/.exec(text.split('\n').find((l) => l.startsWith(`barelb_frr_apply_duration_seconds_count{kind="${kind}"}`)) ?? '')?.[1] ?? 0);
    expect(count('incremental') + count('full'), 'applies timed').to.be.greaterThan(0);
    // Read back and compared with the desired config after the apply: no drift, nothing rejected.
    expect(text).to.contain('barelb_frr_apply_failures_total{kind="incremental"} 0').and.contain('barelb_frr_apply_failures_total{kind="full"} 0');
    const ip = web.slice(0, -3);
    expect(await cluster.metric(n1, `barelb_speaker_announced{service="demo/web",protocol="bgp",node="node-1",ip="${ip}"}`)).to.equal(1);
    expect(await cluster.metric(n1, `barelb_bgp_announced_prefixes_total${peer}`)).to.equal(1);
  });
});
