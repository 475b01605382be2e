// barelb on a real kube-apiserver in the lab (issue 5): the controller and three speakers (BGP and
// L2) run against the API, with an upstream FRR router and a client on the nodes' segments.
// A Service created through the API becomes an ECMP route at the router and an ARP answer at the
// client, and both go with it; an API server gone for 60 s withdraws nothing and L2 failover still
// works meanwhile; once it is back, the reflectors recover and a new Service is announced.
import { expect } from 'chai';
import type { BarelbProcess } from '../harness/barelb.ts';
import { Teardown } from '../harness/cleanup.ts';
import { POOL_IPS, SYSTEM, K8sLab } from '../harness/k8s-lab.ts';
import { neighbour, type L2LabNode } from '../harness/l2-lab.ts';
import { measureFailover, ownerSeenByClient, waitForOwner } from '../harness/l2-probe.ts';
import { waitFor } from '../harness/wait.ts';
import { ranking } from '../l2/scenario.ts';

const OUTAGE_MS = 60_000;
const FAILOVER_LIMIT_MS = 1_000;
const LIST_WATCH_FAILED = 'list/watch failed; keeping the last known objects and retrying';
/** Every collection a speaker keeps (src/k8s/speaker-store.ts). */
const SPEAKER_PATHS = 11;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('barelb on a real kube-apiserver in the lab: BGP and L2', function () {
  this.timeout(180_000);
  const teardown = new Teardown();
  let k: K8sLab;
  /** Addresses by Service name. */
  const ips = new Map<string, string>();
  const nodeHops = () => k.lab.nodes.map((n) => n.ipv4);
  const ipOf = (name: string): string => ips.get(name) ?? expect.fail(`${name} has no address`);
  const ownerOf = (ip: string): L2LabNode => ranking(k.lab.nodes, ip)[0] as L2LabNode;

  /** arping from the client on eth1: exit 0 means exactly one MAC answered (-d: duplicates fail). */
  const arping = (ip: string) => k.lab.client.exec('arping', ['-d', '-c', '3', '-W', '0.2', '-i', 'eth1', ip], { timeoutMs: 10_000 });

  const announce = async (name: string): Promise<string> => {
    await k.createService(name);
    const ip = await k.waitForIngress(name);
    ips.set(name, ip);
    return ip;
  };

  before(async function () {
    this.timeout(600_000);
    if (process.getuid?.() !== 0) throw new Error('e2e/k8s/lab.test.ts needs root: it creates network namespaces');
    k = await K8sLab.start(teardown);
    await k.createNamespace();
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(k.logs(60));
  });

  after(() => teardown.run());

  it('announces a Service created through the API over BGP (ECMP from every node) and ARP, and withdraws both on delete', async () => {
    const t0 = Date.now();
    const ip = await announce('web');
    const owner = ownerOf(ip);
    await k.waitForRoute(ip, nodeHops(), 30_000);
    await waitForOwner(k.lab, ip, owner, 20_000, { dev: 'eth1', detail: () => k.logs() });
    console.log(`      ${ip}: ECMP route and ARP answer ${Date.now() - t0} ms after the create`);
    const answer = await arping(ip);
    expect(answer.exitCode, `arping ${ip}: one MAC answers\n${answer.stdout}${answer.stderr}`).to.equal(0);
    expect(answer.stdout.toLowerCase()).to.include(owner.macs.eth1);
    expect((await neighbour(k.lab.client, ip, 'eth1'))?.mac, `ip neigh ${ip}`).to.equal(owner.macs.eth1);

    const t1 = Date.now();
    await k.deleteService('web');
    await k.waitForRoute(ip, [], 30_000);
    await waitFor(async () => (await k.metric(owner, `barelb_speaker_announced{service="${k.ns}/web",protocol="layer2",node="${owner.name}",ip="${ip}"}`)) === 0, 20_000, { what: `${owner.name} to stop announcing ${ip}` });
    console.log(`      ${ip}: withdrawn ${Date.now() - t1} ms after the delete`);
    await k.lab.client.ip(['neigh', 'flush', 'dev', 'eth1']);
    const silence = await arping(ip);
    expect(silence.stdout, `nobody answers ARP for ${ip} any more`).not.to.match(/bytes from/);
    expect(await ownerSeenByClient(k.lab, ip, 'eth1')).to.equal(null);
  });

  it('announces no Service of another loadBalancerClass, even one whose status shows an address of barelb\'s pool', async () => {
    // Another implementation (or a hand-written status) claims the pool's last address for its own Service.
    const foreign = POOL_IPS.at(-1) as string;
    await k.createService('other-lb', { loadBalancerClass: 'example.com/other' });
    await k.api.patch(`/api/v1/namespaces/${k.ns}/services/other-lb/status`, { status: { loadBalancer: { ingress: [{ ip: foreign }] } } }, 'merge', 'e2e-other-lb');
    // A Service of barelb's own, created after: once it is announced, every speaker has seen both.
    const ip = await announce('after-other');
    expect(ip).to.not.equal(foreign);
    await k.waitForRoute(ip, nodeHops(), 30_000);
    await waitForOwner(k.lab, ip, ownerOf(ip), 20_000, { dev: 'eth1', detail: () => k.logs() });
    expect((await k.routes()).has(`${foreign}/32`), `no route for ${foreign} at the router`).to.equal(false);
    for (const n of k.lab.nodes) {
      for (const protocol of ['bgp', 'layer2']) {
        expect(await k.metric(n, `barelb_speaker_announced{service="${k.ns}/other-lb",protocol="${protocol}",node="${n.name}",ip="${foreign}"}`), `${n.name} ${protocol}`).to.equal(0);
      }
    }
    const silence = await arping(foreign);
    expect(silence.stdout, `nobody answers ARP for ${foreign}`).not.to.match(/bytes from/);
    await k.deleteService('other-lb');
    await k.deleteService('after-other');
    await k.waitForRoute(ip, [], 30_000);
  });

  it('withdraws nothing while the API server is down for 60 s', async function () {
    this.timeout(OUTAGE_MS + 120_000);
    const ip = await announce('steady');
    const owner = ownerOf(ip);
    await k.waitForRoute(ip, nodeHops(), 30_000);
    await waitForOwner(k.lab, ip, owner, 20_000, { dev: 'eth1', detail: () => k.logs() });
    const sessions = await k.established();
    expect([...sessions.values()].every((c) => c > 0), `every session up: ${JSON.stringify([...sessions])}`).to.equal(true);

    const stopping = Date.now();
    // kube-apiserver stops listening at once, but holds open watches until SIGKILL (10 s).
    await k.cp.stopApiserver();
    const down = Date.now();
    await sleep(OUTAGE_MS);
    console.log(`      checking ${Date.now() - down} ms after the API server exited (it took ${down - stopping} ms to stop)`);
    expect((await k.routes()).get(`${ip}/32`), 'the router keeps the ECMP route').to.deep.equal([...nodeHops()].sort());
    expect(await k.established(), 'no BGP session was reset').to.deep.equal(sessions);
    const since = (p: BarelbProcess) => p.logLines().filter((l) => Date.parse(String(l['time'])) >= stopping);
    for (const s of k.speakers) {
      expect(s.exited, `${s.label} is running`).to.equal(false);
      expect(since(s).filter((l) => l['msg'] === 'sending FRR batch'), `${s.label} left FRR alone`).to.deep.equal([]);
      const failed = since(s).filter((l) => l['msg'] === LIST_WATCH_FAILED).map((l) => String(l['path']));
      expect(new Set(failed).size, `${s.label} logs the failure for each of its collections: ${failed.join(' ')}`).to.equal(SPEAKER_PATHS);
      expect(failed, `${s.label} logs it only once per collection`).to.have.length(SPEAKER_PATHS);
    }
    expect(since(k.speaker(owner)).filter((l) => l['msg'] === `no longer announcing ${ip}`), `${owner.name} never stopped announcing`).to.deep.equal([]);
    // One check, retried for a few seconds only so that a loaded CI machine's scheduling hiccup is not a failure.
    await k.lab.client.ip(['neigh', 'flush', 'dev', 'eth1']);
    const answer = await waitFor(async () => {
      const a = await arping(ip);
      return a.exitCode === 0 && a.stdout.toLowerCase().includes(owner.macs.eth1) ? a : null;
    }, 10_000, { what: `${owner.name} to answer ARP for ${ip}`, intervalMs: 500 });
    expect(answer.stdout.toLowerCase(), `${owner.name} still answers`).to.include(owner.macs.eth1);
    await waitForOwner(k.lab, ip, owner, 10_000, { dev: 'eth1', detail: () => k.logs() });
    expect((await neighbour(k.lab.client, ip, 'eth1'))?.mac, `ip neigh ${ip}`).to.equal(owner.macs.eth1);
  });

  it('moves the client to the next node within a second when the owner\'s speaker is SIGKILLed, with the API server still down', async () => {
    expect(k.cp.pids().apiserver, 'the API server is still down').to.equal(undefined);
    const ip = ipOf('steady');
    const [owner, next] = ranking(k.lab.nodes, ip) as [L2LabNode, L2LabNode];
    const ms = await measureFailover(k.lab, ip, owner, next, () => k.speaker(owner).kill(), () => k.logs());
    console.log(`      failover after SIGKILL without an API server: ${ms.toFixed(0)} ms`);
    expect(ms).to.be.lessThan(FAILOVER_LIMIT_MS);
    expect((await neighbour(k.lab.client, ip, 'eth1'))?.mac).to.equal(next.macs.eth1);
  });

  it('recovers once the API server is back: a Service created afterwards is announced', async function () {
    this.timeout(240_000);
    const t0 = Date.now();
    await k.cp.startApiserver();
    const up = Date.now();
    console.log(`      API server ready again after ${up - t0} ms`);
    const ip = await announce('after');
    console.log(`      new Service allocated ${Date.now() - up} ms after the API server came back`);
    // The killed speaker's FRR is untouched but learns nothing new: the live speakers announce.
    const live = k.lab.nodes.filter((n) => !k.speaker(n).exited);
    await k.waitForRoute(ip, live.map((n) => n.ipv4), 90_000);
    const owner = ranking(live, ip)[0] as L2LabNode;
    await waitForOwner(k.lab, ip, owner, 30_000, { dev: 'eth1', detail: () => k.logs() });
    const announcedAfter = Date.now() - up;
    console.log(`      new Service announced (BGP and ARP) ${announcedAfter} ms after the API server came back`);
    // The speakers' reflectors wait out a backoff of up to 30 s; their store's /readyz probe (every
    // 2 s) wakes them when the server is back. Without it this took ~18 s; with it ~1.3 s.
    expect(announcedAfter, 'announced within seconds of the API server coming back').to.be.lessThan(8_000);
    for (const n of live) {
      const lines = k.speaker(n).logLines();
      expect(lines.some((l) => l['msg'] === 'list/watch works again'), `${n.name} logged the recovery`).to.equal(true);
    }
    const lease = await k.api.get(`/apis/coordination.k8s.io/v1/namespaces/${SYSTEM}/leases/barelb-controller`);
    expect(JSON.stringify(lease), 'the controller leads again').to.include('lab-controller');
  });

  it('takes the speaker killed during the outage back: every node announces every Service again', async function () {
    this.timeout(120_000);
    for (const n of k.lab.nodes.filter((x) => k.speaker(x).exited)) k.startSpeaker(n);
    for (const name of ['steady', 'after']) {
      const ip = ipOf(name);
      await k.waitForRoute(ip, nodeHops(), 60_000);
      await waitForOwner(k.lab, ip, ownerOf(ip), 30_000, { dev: 'eth1', detail: () => k.logs() });
    }
  });
});
