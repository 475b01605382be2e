// BGP session policy end to end (issue 3): BFD with a BFDProfile (timers seen at the router, a cut
// link detected in under a second), a wrong TCP-MD5 password (the session stays down, the speaker
// says so, no password in its log) and a BGPPeer in a VRF (the config loads into FRR). Controller
// and speakers are real processes in local mode, each speaker inside its node's namespace.
//
//   node-1 ──BFD profile fast (100 ms × 3)──▶ router (AS 64500, br0 192.0.2.1)
//   node-2 ──TCP-MD5, password from a Secret──▶ router
//   node-3 ──vrf red──▶ (config only: this kernel has no vrf module, `ip link add red type vrf`
//            fails with "Unknown device type", so VRF routing itself cannot be exercised here; FRR
//            accepts `router bgp N vrf red` without the device and keeps the instance inactive)
import { expect } from 'chai';
import { BgpCluster, bgpNodeManifests, clusterServiceManifest } from '../harness/bgp-cluster.ts';
import { DEFAULT_NOT_ESTABLISHED_WARN_MS } from '../../src/speaker/bgp/state/not-established.ts';
import { Teardown } from '../harness/cleanup.ts';
import { FrrInstance, waitFor } from '../harness/frr.ts';
import { ROUTER_IPV4, buildLan, type Lan, type LanNode } from '../harness/lan.ts';

const ROUTER_AS = 64500;
const NODE_AS = 64512;
const RIGHT_PASSWORD = 'e2e-right-Xq7';
const WRONG_PASSWORD = 'e2e-wrong-Yz3';
const BFD_MS = 100;
const BFD_MULTIPLIER = 3;

const routerConfig = (n1: LanNode, n2: LanNode) => [
  'frr defaults traditional',
  'bfd',
  ' profile fast',
  `  receive-interval ${BFD_MS}`,
  `  transmit-interval ${BFD_MS}`,
  `  detect-multiplier ${BFD_MULTIPLIER}`,
  ' exit',
  'exit',
  `router bgp ${ROUTER_AS}`,
  ` bgp router-id ${ROUTER_IPV4}`,
  ' no bgp ebgp-requires-policy',
  ' no bgp default ipv4-unicast',
  ` neighbor ${n1.ipv4} remote-as ${NODE_AS}`,
  ` neighbor ${n1.ipv4} timers connect 1`,
  ` neighbor ${n1.ipv4} bfd profile fast`,
  ` neighbor ${n2.ipv4} remote-as ${NODE_AS}`,
  ` neighbor ${n2.ipv4} timers connect 1`,
  ` neighbor ${n2.ipv4} password ${RIGHT_PASSWORD}`,
  ' address-family ipv4 unicast',
  `  neighbor ${n1.ipv4} activate`,
  `  neighbor ${n2.ipv4} activate`,
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
apiVersion: barelb.io/v1beta1
kind: BFDProfile
metadata: {name: fast, namespace: barelb-system}
spec: {receiveInterval: ${BFD_MS}, transmitInterval: ${BFD_MS}, detectMultiplier: ${BFD_MULTIPLIER}}
---
apiVersion: barelb.io/v1beta2
kind: BGPPeer
metadata: {name: bfd, namespace: barelb-system}
spec: {myASN: ${NODE_AS}, peerASN: ${ROUTER_AS}, peerAddress: ${ROUTER_IPV4}, connectTime: 1s, bfdProfile: fast, ${onNode(1)}}
---
apiVersion: barelb.io/v1beta2
kind: BGPPeer
metadata: {name: md5, namespace: barelb-system}
spec: {myASN: ${NODE_AS}, peerASN: ${ROUTER_AS}, peerAddress: ${ROUTER_IPV4}, connectTime: 1s, passwordSecret: {name: bgp-auth}, ${onNode(2)}}
---
apiVersion: barelb.io/v1beta2
kind: BGPPeer
metadata: {name: red, namespace: barelb-system}
spec: {myASN: ${NODE_AS}, peerASN: ${ROUTER_AS}, peerAddress: ${ROUTER_IPV4}, vrf: red, ${onNode(3)}}
---
apiVersion: barelb.io/v1beta1
kind: BGPAdvertisement
metadata: {name: all, namespace: barelb-system}
`;

const secret = (password: string) => `apiVersion: v1
kind: Secret
metadata: {name: bgp-auth, namespace: barelb-system}
type: kubernetes.io/basic-auth
stringData: {password: ${password}}
`;

type Neighbor = { bgpState?: string; bgpTimerUpMsec?: number; connectionsEstablished?: number; lastResetDueTo?: string; lastNotificationReason?: string };

async function neighbor(frr: FrrInstance, peer: string): Promise<Neighbor> {
  const json = (await frr.showJson('show bgp neighbors json')) as Record<string, Neighbor>;
  return json[peer] ?? {};
}

type BfdPeer = { peer: string; status: string } & Record<string, unknown>;

async function bfdPeer(frr: FrrInstance, peer: string): Promise<BfdPeer | undefined> {
  return ((await frr.showJson('show bfd peers json')) as BfdPeer[]).find((p) => p.peer === peer);
}

describe('BGP session policy end to end: BFD, TCP-MD5 password, VRF', function () {
  this.timeout(180_000);
  const teardown = new Teardown();
  let lan: Lan;
  let cluster: BgpCluster;
  let router: FrrInstance;
  let web = '';
  const node = (i: number): LanNode => lan.nodes[i - 1] as LanNode;

  before(async function () {
    lan = await buildLan(3);
    teardown.defer(() => lan.destroy());
    router = await FrrInstance.start({ netns: lan.router, config: routerConfig(node(1), node(2)), daemons: ['bfdd'] });
    teardown.defer(() => router.stop());
    cluster = new BgpCluster(lan);
    teardown.defer(() => cluster.destroy());
    cluster.write('config.yaml', config);
    cluster.write('secret.yaml', secret(WRONG_PASSWORD));
    cluster.write('nodes.yaml', bgpNodeManifests(lan.nodes));
    cluster.write('web.yaml', clusterServiceManifest('web', lan.nodes));
    for (const n of lan.nodes) await cluster.startFrr(n, ['bfdd']);
    cluster.startController();
    for (const n of lan.nodes) cluster.startSpeaker(n);
    web = `${(await cluster.waitForAllocation('demo/web'))[0]}/32`;
  });

  after(async function () {
    if (this.currentTest?.state === 'failed') console.error(cluster?.logs(30));
    await teardown.run();
  });

  it('loads a BGPPeer with vrf: red into FRR as `router bgp ASN vrf red`', async () => {
    const n3 = node(3);
    const frr = cluster.frr(n3);
    const running = await waitFor(async () => {
      const text = await frr.show('show running-config');
      return text.includes(`router bgp ${NODE_AS} vrf red`) && text.includes(`network ${web}`) ? text : null;
    }, 20_000, { what: `router bgp ${NODE_AS} vrf red with ${web} in node-3's running config` });
    const block = running.slice(running.indexOf(`router bgp ${NODE_AS} vrf red`));
    expect(block.slice(0, block.indexOf('\nexit\n'))).to.contain(` neighbor ${ROUTER_IPV4} remote-as ${ROUTER_AS}`).and.contain(`  network ${web} route-map`);
    expect(running, 'the peer is only in the VRF').not.to.match(new RegExp(`router bgp ${NODE_AS}\n`));
    // bgpd keeps the instance inactive (no VRF device): the session exists, down, and the speaker reads it.
    await waitFor(async () => (await cluster.metric(n3, `barelb_bgp_session_up{peer="${ROUTER_IPV4}:179",vrf="red"}`)) === 0, 10_000, { what: 'the red session in the metrics' });
    const failures = await Promise.all(['incremental', 'full'].map((k) => cluster.metric(n3, `barelb_frr_apply_failures_total{kind="${k}"}`)));
    expect(failures, 'FRR took every line').to.deep.equal([0, 0]);
  });

  it('keeps a session with the wrong TCP-MD5 password down, and the speaker log names the peer and its state', async () => {
    const n2 = node(2);
    const warning = await waitFor(
      () => cluster.speaker(n2).logLines().find((l) => l['msg'] === 'bgp session not established' && l['peer'] === ROUTER_IPV4),
      DEFAULT_NOT_ESTABLISHED_WARN_MS + 15_000,
      { what: "the speaker's 'bgp session not established' warning", intervalMs: 500 },
    );
    // TCP-MD5 (RFC 2385): the kernel drops unsigned or wrongly signed segments without a reply, so
    // FRR sees nothing but connection attempts that time out; it has no reason to give beyond that.
    expect(warning).to.include({ level: 'warn', vrf: 'default', tcpMd5: true, everEstablished: false });
    expect(['Idle', 'Connect', 'Active']).to.include(warning['state']);
    expect(String(warning['hint'])).to.contain('password');
    expect(await neighbor(router, n2.ipv4), 'never up at the router either').to.include({ connectionsEstablished: 0 });
    expect(await cluster.metric(n2, `barelb_bgp_session_up{peer="${ROUTER_IPV4}:179",vrf="default"}`)).to.equal(0);
  });

  it('brings that session up once the Secret holds the right password, and never logs either password', async () => {
    const n2 = node(2);
    cluster.write('secret.yaml', secret(RIGHT_PASSWORD));
    await waitFor(async () => (await neighbor(router, n2.ipv4)).bgpState === 'Established', 30_000, { what: 'the session with node-2 after the password fix' });
    const logs = cluster.allLogText();
    // Not vacuous: the password change went through the logged batches, redacted.
    expect(logs).to.contain(`neighbor ${ROUTER_IPV4} password <redacted>`);
    expect(logs.includes(WRONG_PASSWORD), 'wrong password in a log').to.equal(false);
    expect(logs.includes(RIGHT_PASSWORD), 'right password in a log').to.equal(false);
  });

  it('reports the VRF session as not established: FRR waits for a VRF device this kernel cannot make', async () => {
    const warning = await waitFor(
      () => cluster.speaker(node(3)).logLines().find((l) => l['msg'] === 'bgp session not established' && l['vrf'] === 'red'),
      15_000,
      { what: "node-3's 'bgp session not established' warning for vrf red", intervalMs: 500 },
    );
    expect(warning).to.include({ peer: ROUTER_IPV4, state: 'Idle', reason: 'Waiting for VRF to be initialized', tcpMd5: false, hint: null });
  });

  it('shows the BFDProfile timers at the router, and detects a cut link in under one second', async () => {
    const n1 = node(1);
    // Settled: FRR re-creates the BFD session with its source address once BGP is up, which can
    // bounce both once at start-up; the cut is measured from a session that has been up a while.
    const up = await waitFor(async () => {
      const [b, n] = await Promise.all([bfdPeer(router, n1.ipv4), neighbor(router, n1.ipv4)]);
      return b?.status === 'up' && Number(b['uptime']) >= 2 && n.bgpState === 'Established' && (n.bgpTimerUpMsec ?? 0) >= 2_000 ? b : null;
    }, 40_000, { what: `BFD and BGP with ${n1.ipv4} up for 2 s at the router` });
    expect(up).to.include({
      'receive-interval': BFD_MS, 'transmit-interval': BFD_MS, 'detect-multiplier': BFD_MULTIPLIER,
      // The node's side, from the BFDProfile barelb rendered (FRR's defaults are 300 ms).
      'remote-receive-interval': BFD_MS, 'remote-transmit-interval': BFD_MS, 'remote-detect-multiplier': BFD_MULTIPLIER,
    });

    teardown.defer(() => lan.setNodeLink(n1.index, 'up'));
    const start = performance.now();
    await lan.setNodeLink(n1.index, 'down');
    let bfdDownMs: number | null = null;
    let bgpDownMs: number | null = null;
    while ((bfdDownMs === null || bgpDownMs === null) && performance.now() - start < 5_000) {
      const [b, n] = await Promise.all([bfdPeer(router, n1.ipv4), neighbor(router, n1.ipv4)]);
      const t = Math.round(performance.now() - start);
      if (bfdDownMs === null && b?.status !== 'up') bfdDownMs = t;
      if (bgpDownMs === null && n.bgpState !== 'Established') bgpDownMs = t;
    }
    // An upper bound: the time of the first read (one vtysh round trip) that saw it down.
    console.log(`      BFD ${BFD_MS} ms x ${BFD_MULTIPLIER}: the router saw BFD down after ${bfdDownMs} ms and BGP down after ${bgpDownMs} ms`);
    expect(bfdDownMs, 'BFD down at the router (ms)').to.be.a('number').below(1_000);
    expect(bgpDownMs, 'BGP down at the router (ms)').to.be.a('number').below(1_000);
    const after = await neighbor(router, n1.ipv4);
    expect(`${after.lastResetDueTo ?? ''} ${after.lastNotificationReason ?? ''}`, 'BGP went down because of BFD').to.contain('BFD');
    await waitFor(async () => (await cluster.metric(n1, `barelb_bfd_session_up{peer="${ROUTER_IPV4}",vrf="default"}`)) === 0, 5_000, { what: "the speaker's BFD gauge to drop" });
    await lan.setNodeLink(n1.index, 'up');
  });
});
