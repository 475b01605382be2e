// barelb's Layer-2 speaker end to end: a client and three nodes on one bridge (plus a second
// segment on eth1), a controller and three speakers in local mode as real processes. The nodes
// hold the Service addresses the kube-proxy IPVS way (kube-ipvs0, arp_ignore=1, arp_announce=2), so
// only barelb answers ARP/NDP for them. Needs root, arping (Habets), ndisc6 and tcpdump.
import { expect } from 'chai';
import { Teardown, installExitHandlers } from '../harness/cleanup.ts';
import type { L2Cluster } from '../harness/l2-cluster.ts';
import { macOf, neighbour, type L2Lab, type L2LabNode } from '../harness/l2-lab.ts';
import { measureFailover, ownerSeenByClient, waitForOwner } from '../harness/l2-probe.ts';
import { BRIDGE } from '../harness/lan.ts';
import { Netns, addVethPair } from '../harness/netns.ts';
import { runOk } from '../harness/run.ts';
import { askOnce } from '../harness/udp-echo.ts';
import { waitFor } from '../harness/wait.ts';
import { LOCAL_IP, RESTRICTED_IP, WEB6_IP, WEB_IP, endpointsManifest, ranking } from './scenario.ts';
import { startScenario } from './setup.ts';

/** The acceptance bound for failover, measured at the client. */
const FAILOVER_LIMIT_MS = 1_000;

describe('L2 end to end: controller and three speakers in local mode', function () {
  const teardown = new Teardown();
  let lab: L2Lab;
  let cluster: L2Cluster;
  /** The node holding the Local Service's only endpoint (setup puts it last in the Cluster ranking; a test moves it). */
  let localOn: L2LabNode;
  const logs = (): string => cluster.logs();
  const ownerSeen = (ip: string, dev = 'eth0') => ownerSeenByClient(lab, ip, dev);
  const waitOwner = (ip: string, want: L2LabNode, timeoutMs: number, dev = 'eth0') => waitForOwner(lab, ip, want, timeoutMs, { dev, detail: logs });

  before(async function () {
    this.timeout(180_000);
    if (process.getuid?.() !== 0) throw new Error('e2e/l2/speaker.test.ts needs root: it creates network namespaces');
    installExitHandlers();
    ({ lab, cluster } = await startScenario(teardown));
    localOn = ranking(lab.nodes, LOCAL_IP).at(-1) as L2LabNode;
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(cluster.logs(60));
  });

  after(() => teardown.run());

  it('answers ARP for each IPv4 Service address from the elected node only, and the client reaches it', async () => {
    for (const [ip, elected] of [[WEB_IP, ranking(lab.nodes, WEB_IP)[0] as L2LabNode], [LOCAL_IP, localOn]] as const) {
      const arping = await lab.client.exec('arping', ['-d', '-c', '3', '-W', '0.2', '-i', 'eth0', ip], { timeoutMs: 10_000 });
      expect(arping.exitCode, `arping ${ip}: one MAC answers\n${arping.stdout}${arping.stderr}`).to.equal(0);
      expect(arping.stdout.toLowerCase(), `arping ${ip}: the answer is ${elected.name}'s`).to.include(elected.macs.eth0);
      // Traffic through the client's kernel: it resolves the address itself and keeps the entry.
      expect(await askOnce(lab.client, ip), `${ip} reached, and served by ${elected.name}`).to.equal(elected.name);
      expect((await neighbour(lab.client, ip, 'eth0'))?.mac, `ip neigh ${ip}`).to.equal(elected.macs.eth0);
    }
    const owner = ranking(lab.nodes, WEB_IP)[0] as L2LabNode;
    expect(await cluster.metric(owner, `barelb_speaker_announced{service="demo/web",protocol="layer2",node="${owner.name}",ip="${WEB_IP}"}`)).to.equal(1);
    expect(await cluster.metric(owner, `barelb_layer2_responses_sent{ip="${WEB_IP}"}`)).to.be.greaterThan(0);
    expect(await cluster.metric(owner, 'barelb_speaker_members_alive')).to.equal(3);
    for (const other of lab.nodes.filter((n) => n !== owner)) {
      expect(await cluster.metric(other, `barelb_layer2_responses_sent{ip="${WEB_IP}"}`), other.name).to.equal(0);
    }
  });

  it('answers multicast NS (ndisc6) and the kernel\'s unicast NS for the IPv6 Service address', async () => {
    const owner = ranking(lab.nodes, WEB6_IP)[0] as L2LabNode;
    const ndisc = await lab.client.exec('ndisc6', ['-1', '-r', '3', '-w', '1000', WEB6_IP, 'eth0'], { timeoutMs: 10_000 });
    expect(ndisc.exitCode, ndisc.stdout + ndisc.stderr).to.equal(0);
    expect(ndisc.stdout.toLowerCase()).to.include(`target link-layer address: ${owner.macs.eth0}`);
    expect((await ownerSeen(WEB6_IP))?.name).to.equal(owner.name);
    // STALE, then traffic: after delay_first_probe_time the kernel probes with a unicast NS to the
    // cached MAC, and only a solicited NA to that probe makes the entry REACHABLE again (UDP never
    // confirms reachability itself).
    await lab.client.sysctl('net.ipv6.neigh.eth0.delay_first_probe_time', '1');
    const filter = `icmp6 and ((ether dst host ${owner.macs.eth0} and ip6[40] == 135) or (ether src host ${owner.macs.eth0} and ip6[40] == 136))`;
    const capture = lab.client.exec('timeout', ['8', 'tcpdump', '-i', 'eth0', '-n', '-e', '-l', '-c', '2', filter], { timeoutMs: 15_000 });
    await new Promise((r) => setTimeout(r, 1_000)); // tcpdump needs a moment to attach
    await lab.client.ip(['neigh', 'change', WEB6_IP, 'dev', 'eth0', 'lladdr', owner.macs.eth0, 'nud', 'stale']);
    const udp = `const s = require('node:dgram').createSocket('udp6'); s.send('x', 9000, '${WEB6_IP}', () => s.close());`;
    await runOk('ip', ['netns', 'exec', lab.client.name, process.execPath, '-e', udp]);
    await waitFor(async () => (await neighbour(lab.client, WEB6_IP, 'eth0'))?.state.includes('REACHABLE'), 6_000, { what: 'the entry to be confirmed by a unicast probe', intervalMs: 100 });
    const seen = (await capture).stdout;
    expect(seen, 'a unicast NS to the owner').to.match(new RegExp(`> ${owner.macs.eth0}, .*> ${WEB6_IP}: ICMP6, neighbor solicitation`));
    expect(seen, 'the owner\'s NA').to.match(new RegExp(`^\\S+ ${owner.macs.eth0} > .*neighbor advertisement, tgt is ${WEB6_IP}`, 'm'));
  });

  it('announces an externalTrafficPolicy Local Service from the node with the endpoint, and follows the endpoint', async () => {
    const [first, second, last] = ranking(lab.nodes, LOCAL_IP) as [L2LabNode, L2LabNode, L2LabNode];
    expect((await ownerSeen(LOCAL_IP))?.name, `Cluster would pick ${first.name}`).to.equal(last.name);
    cluster.write('endpoints.yaml', endpointsManifest(lab.nodes, second));
    await waitOwner(LOCAL_IP, second, 10_000);
    localOn = second;
  });

  it('answers for an address restricted to eth1 on eth1 only', async () => {
    const owner = ranking(lab.nodes, RESTRICTED_IP)[0] as L2LabNode;
    await waitOwner(RESTRICTED_IP, owner, 5_000, 'eth1');
    expect((await neighbour(lab.client, RESTRICTED_IP, 'eth1'))?.mac).to.equal(owner.macs.eth1);
    const onEth0 = await lab.client.exec('arping', ['-c', '3', '-W', '0.2', '-i', 'eth0', '-S', '192.0.2.100', RESTRICTED_IP], { timeoutMs: 10_000 });
    expect(onEth0.stdout, 'no answer on eth0').not.to.match(/bytes from/);
    expect(await cluster.metric(owner, 'barelb_layer2_dropped_frames_total{reason="interface-not-allowed"}')).to.be.greaterThan(0);
  });

  it('changes nothing when the controller stops', async () => {
    const owners: readonly (readonly [string, L2LabNode, string])[] = [
      [WEB_IP, ranking(lab.nodes, WEB_IP)[0] as L2LabNode, 'eth0'],
      [WEB6_IP, ranking(lab.nodes, WEB6_IP)[0] as L2LabNode, 'eth0'],
      [LOCAL_IP, localOn, 'eth0'],
      [RESTRICTED_IP, ranking(lab.nodes, RESTRICTED_IP)[0] as L2LabNode, 'eth1'],
    ];
    const announcedBefore = await Promise.all(lab.nodes.map((n) => cluster.announced(n)));
    expect(announcedBefore.flat(), 'every Service announced by exactly one node').to.have.length(owners.length);
    await cluster.controller?.stop(true);
    // Longer than a heartbeat death (350 ms) and a whole gratuitous burst (2 s).
    await new Promise((r) => setTimeout(r, 2_500));
    for (const [ip, owner, dev] of owners) expect((await ownerSeen(ip, dev))?.name, `${ip} still via ${owner.name}`).to.equal(owner.name);
    expect(await Promise.all(lab.nodes.map((n) => cluster.announced(n))), 'the same announcements on every node').to.deep.equal(announcedBefore);
    for (const n of lab.nodes) {
      expect(cluster.speaker(n).exited, n.name).to.equal(false);
      expect(await cluster.metric(n, 'barelb_speaker_members_alive'), n.name).to.equal(lab.nodes.length);
    }
  });

  it('reports a duplicate answer from a rogue responder, and wins the client back once it is quiet', async () => {
    const owner = ranking(lab.nodes, WEB_IP)[0] as L2LabNode;
    const rogue = await Netns.create('rogue');
    teardown.defer(() => rogue.destroy());
    await addVethPair({ ns: lab.lan.router, ifname: 'rogue0' }, { ns: rogue, ifname: 'eth0' });
    await lab.lan.router.attach('rogue0', BRIDGE);
    // A host misconfigured with the Service address: its kernel answers for it and announces it.
    await rogue.addAddress('eth0', `${WEB_IP}/24`);
    const rogueMac = await macOf(rogue, 'eth0');
    // Membership has been stable since the start: no burst is running, only the reclaim can move the client back.
    await rogue.exec('arping', ['-U', '-c', '2', '-W', '0.2', '-i', 'eth0', '-S', WEB_IP, WEB_IP], { timeoutMs: 10_000 });
    const lastClaim = Date.now();
    const series = `barelb_layer2_duplicate_answers_total{ip="${WEB_IP}"}`;
    await waitFor(async () => (await cluster.metric(owner, series)) > 0, 5_000, { what: `${series} on ${owner.name}` });
    const warned = cluster.speaker(owner).logLines().some((l) => l['level'] === 'warn' && l['ip'] === WEB_IP && l['mac'] === rogueMac);
    expect(warned, `a warning naming ${rogueMac}`).to.equal(true);
    // The rogue's announcement moved the client; 2.5 s after the last claim the owner announces again.
    expect((await neighbour(lab.client, WEB_IP, 'eth0'))?.mac).to.equal(rogueMac);
    await rogue.destroy();
    await waitFor(async () => (await neighbour(lab.client, WEB_IP, 'eth0'))?.mac === owner.macs.eth0, 6_000, { what: `the client's entry back on ${owner.name}`, intervalMs: 100 });
    expect(Date.now() - lastClaim, 'not before the claims had stopped for 2.5 s').to.be.greaterThan(2_000);
  });

  it('moves the client to the next node within a second when the owner\'s speaker is SIGKILLed (no controller running)', async () => {
    const [owner, next] = ranking(lab.nodes, WEB_IP) as [L2LabNode, L2LabNode];
    const ms = await measureFailover(lab, WEB_IP, owner, next, () => cluster.speaker(owner).kill(), logs);
    console.log(`      failover after SIGKILL: ${ms.toFixed(0)} ms`);
    expect(ms).to.be.lessThan(FAILOVER_LIMIT_MS);
    expect((await neighbour(lab.client, WEB_IP, 'eth0'))?.mac).to.equal(next.macs.eth0);
    // The restarted speaker sorts first again and takes the address back.
    cluster.startSpeaker(owner);
    await waitOwner(WEB_IP, owner, 10_000);
    await cluster.waitForAgreement('demo/web', WEB_IP, owner, 10_000);
  });

  it('moves the client to the next node within a second when the owner\'s link is cut', async () => {
    const [owner, next] = ranking(lab.nodes, WEB_IP) as [L2LabNode, L2LabNode];
    const ms = await measureFailover(lab, WEB_IP, owner, next, () => lab.lan.setNodeLink(owner.index, 'down'), logs);
    console.log(`      failover after link cut: ${ms.toFixed(0)} ms`);
    expect(ms).to.be.lessThan(FAILOVER_LIMIT_MS);
    expect((await neighbour(lab.client, WEB_IP, 'eth0'))?.mac).to.equal(next.macs.eth0);
    await lab.lan.setNodeLink(owner.index, 'up');
    await waitOwner(WEB_IP, owner, 10_000);
    await cluster.waitForAgreement('demo/web', WEB_IP, owner, 10_000);
  });
});
