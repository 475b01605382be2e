import { expect } from 'chai';
import type { Registry } from 'prom-client';
import { defaultBurstPolicy, type BurstPolicy } from './burst.ts';
import { broadcastMac, type Mac } from './codec/bytes.ts';
import { decodeFrame } from './codec/frame.ts';
import { aHandler, anInterface, aView, heartbeatKeyText, ManualTime, type FakeLink } from './handler-testing.ts';
import type { InterfaceInfo } from './link-scan.ts';
import { anArpRequest, anNs, v4, v6 } from './testing.ts';

const ETH0 = '02:00:5e:00:00:01' as Mac;
const ETH1 = '02:00:5e:00:00:02' as Mac;
const CLIENT = '02:00:5e:00:00:99' as Mac;

const meta = (name: string, namespace = 'barelb-system') => ({ name, namespace });
const nodeObject = (name: string, address: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { addresses: [{ type: 'InternalIP', address }] } });
const serviceObject = (name: string, ip: string) => ({
  apiVersion: 'v1', kind: 'Service', metadata: meta(name, 'demo'),
  spec: { type: 'LoadBalancer', loadBalancerIP: ip, ipFamilies: [ip.includes(':') ? 'IPv6' : 'IPv4'], ports: [{ port: 80 }] },
});
const sliceObject = (name: string, nodes: readonly string[]) => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { ...meta(`${name}-x`, 'demo'), labels: { 'kubernetes.io/service-name': name } },
  addressType: 'IPv4', endpoints: nodes.map((n, i) => ({ addresses: [`198.51.100.${i + 1}`], nodeName: n })),
});

/** SHA-256 order: 192.0.2.200 → node-2, node-3, node-1; 2001:db8::200 → node-1, node-2, node-3. */
function objects(o: { interfaces?: string[] } = {}): unknown[] {
  return [
    { apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: meta('lan'), spec: { addresses: ['192.0.2.200-192.0.2.209', '2001:db8::200-2001:db8::209'] } },
    { apiVersion: 'barelb.io/v1beta1', kind: 'L2Advertisement', metadata: meta('lan'), spec: { ipAddressPools: ['lan'], ...(o.interfaces === undefined ? {} : { interfaces: o.interfaces }) } },
    { apiVersion: 'v1', kind: 'Secret', metadata: meta('heartbeat'), stringData: { key: heartbeatKeyText } },
    nodeObject('node-1', '192.0.2.11'), nodeObject('node-2', '192.0.2.12'), nodeObject('node-3', '192.0.2.13'),
    serviceObject('web', '192.0.2.200'), serviceObject('web6', '2001:db8::200'),
    sliceObject('web', ['node-1', 'node-2', 'node-3']), sliceObject('web6', ['node-1', 'node-2', 'node-3']),
  ];
}
const allocations = { 'demo/web': ['192.0.2.200'], 'demo/web6': ['2001:db8::200'] };

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

async function counter(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const m = registry.getSingleMetric(name);
  if (m === undefined) return 0;
  const values = (await m.get()).values;
  return values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value ?? 0;
}

const arpFor = (ip: string) => anArpRequest({ senderMac: CLIENT, senderIp: v4('192.0.2.100'), targetIp: v4(ip) });

/** The ARP replies and gratuitous frames a link sent, decoded. */
function arpSent(link: FakeLink): { op: string; gratuitous: boolean; ip: string; mac: string }[] {
  return link.sent.flatMap((bytes) => {
    const f = decodeFrame(bytes);
    if (!f.ok || f.value.kind !== 'arp') return [];
    const a = f.value.arp;
    return [{ op: a.op, gratuitous: a.senderIp === a.targetIp && f.value.eth.dst === broadcastMac, ip: a.senderIp, mac: a.senderMac }];
  });
}

describe('L2 handler', () => {
  let time: ManualTime;
  let interfaces: InterfaceInfo[];

  beforeEach(() => {
    time = new ManualTime();
    interfaces = [anInterface('lo', 1, '00:00:00:00:00:00' as Mac, { flags: 0x9 }), anInterface('eth0', 2, ETH0)];
  });

  /** A started speaker for `node` that has seen the view; peers not heard yet. */
  async function started(node: string, view = objects(), burst: BurstPolicy = defaultBurstPolicy) {
    const h = aHandler(node, time, () => interfaces, burst);
    h.handler.start();
    await settle();
    await h.handler.update(aView(node, view, allocations));
    return h;
  }

  /** Heartbeats from `peers` every 100 ms for `ms`, with the adapter's expiry tick every 10 ms. */
  function run(h: Awaited<ReturnType<typeof started>>, peers: readonly string[], ms: number): void {
    for (let t = 0; t < ms; t += 10) {
      if (t % 100 === 0) for (const p of peers) h.heartbeats.beat(p, time.now);
      h.heartbeats.tick(time.now);
      time.advance(10);
    }
  }

  it('opens a raw link on eligible interfaces only and starts heartbeats from the Node address', async () => {
    const h = await started('node-2');
    expect([...h.links.keys()]).to.deep.equal(['eth0']);
    expect(h.heartbeats.o?.bind).to.deep.equal({ host: '192.0.2.12', port: 7947 });
    expect(h.heartbeats.membership.members().map((m) => `${m.node} ${m.address.host}`)).to.deep.equal(['node-1 192.0.2.11', 'node-3 192.0.2.13']);
  });

  it('answers nothing until heartbeats settle, then ARP for what it owns from the interface MAC', async () => {
    const h = await started('node-2');
    const eth0 = h.links.get('eth0') as FakeLink;
    eth0.receive(arpFor('192.0.2.200'));
    expect(eth0.sent).to.deep.equal([]);
    expect(h.handler.ready()).to.equal(false);
    run(h, ['node-1', 'node-3'], 50);
    expect(h.handler.ready()).to.equal(true);
    eth0.sent.length = 0;
    eth0.receive(arpFor('192.0.2.200'));
    eth0.receive(arpFor('192.0.2.201'));
    expect(arpSent(eth0)).to.deep.equal([{ op: 'reply', gratuitous: false, ip: '192.0.2.200', mac: ETH0 }]);
    expect(await counter(h.registry, 'barelb_layer2_responses_sent', { ip: '192.0.2.200' })).to.equal(1);
    expect(await counter(h.registry, 'barelb_layer2_dropped_frames_total', { reason: 'not-owned' })).to.equal(2);
    expect(await counter(h.registry, 'barelb_speaker_announced', { service: 'demo/web', protocol: 'layer2', node: 'node-2', ip: '192.0.2.200' })).to.equal(1);
    expect(await counter(h.registry, 'barelb_speaker_members_alive', {})).to.equal(3);
  });

  it('sends gratuitous ARP (request and reply) at 0, 250, 500, 1000 and 2000 ms after take-over', async () => {
    const h = await started('node-2');
    const eth0 = h.links.get('eth0') as FakeLink;
    const takeover = time.now;
    const rounds: number[] = [];
    const step = (f: () => void): void => {
      const before = arpSent(eth0).length;
      f();
      if (arpSent(eth0).length > before) rounds.push(time.now - takeover);
    };
    for (let t = 0; t < 3_000; t += 1) {
      step(() => {
        if (t % 100 === 0) for (const p of ['node-1', 'node-3']) h.heartbeats.beat(p, time.now);
        h.heartbeats.tick(time.now);
      });
      step(() => time.advance(1));
    }
    expect(rounds).to.deep.equal([0, 250, 500, 1000, 2000]);
    expect(arpSent(eth0).slice(0, 2)).to.deep.equal([
      { op: 'request', gratuitous: true, ip: '192.0.2.200', mac: ETH0 },
      { op: 'reply', gratuitous: true, ip: '192.0.2.200', mac: ETH0 },
    ]);
  });

  it('announces again every refresh interval after the burst when a refresh is configured (--l2-refresh-interval)', async () => {
    const h = await started('node-2', objects(), { ...defaultBurstPolicy, refreshMs: 10_000 });
    const eth0 = h.links.get('eth0') as FakeLink;
    const takeover = time.now;
    const rounds: number[] = [];
    const step = (f: () => void): void => {
      const before = arpSent(eth0).length;
      f();
      if (arpSent(eth0).length > before) rounds.push(time.now - takeover);
    };
    for (let t = 0; t < 23_000; t += 10) {
      step(() => {
        if (t % 100 === 0) for (const p of ['node-1', 'node-3']) h.heartbeats.beat(p, time.now);
        h.heartbeats.tick(time.now);
      });
      step(() => time.advance(10));
    }
    expect(rounds).to.deep.equal([0, 250, 500, 1000, 2000, 12_000, 22_000]);
    expect(arpSent(eth0).every((a) => a.gratuitous && a.ip === '192.0.2.200')).to.equal(true);
  });

  it('takes over once the owner has been silent for 3 intervals + 50 ms, and announces at once', async () => {
    const h = await started('node-3');
    run(h, ['node-1', 'node-2'], 1_000);
    expect([...h.handler.owned().keys()]).to.deep.equal([]);
    const eth0 = h.links.get('eth0') as FakeLink;
    const lastBeat = time.now - 100; // node-2's last heartbeat: 900 ms into the 1 000 ms run
    let tookOverAt: number | null = null;
    for (let t = 0; t < 1_000 && tookOverAt === null; t += 10) {
      run(h, ['node-1'], 10);
      if (h.handler.owned().has(v4('192.0.2.200'))) tookOverAt = time.now;
    }
    expect(tookOverAt).to.not.equal(null);
    expect((tookOverAt as number) - lastBeat).to.be.within(350, 370);
    expect(arpSent(eth0).filter((a) => a.gratuitous && a.ip === '192.0.2.200')).to.have.length.greaterThan(0);
  });

  it('joins the solicited-node group of an owned IPv6 address and answers NS from the target address', async () => {
    const h = await started('node-1');
    run(h, ['node-2', 'node-3'], 50);
    const eth0 = h.links.get('eth0') as FakeLink;
    expect([...eth0.groups]).to.deep.equal(['33:33:ff:00:02:00']);
    eth0.sent.length = 0;
    eth0.receive(anNs({ target: v6('2001:db8::200'), ethSrc: CLIENT, sourceLinkLayer: CLIENT }));
    const reply = decodeFrame(eth0.sent[0] ?? new Uint8Array());
    expect(reply.ok && reply.value.kind === 'na' && { src: reply.value.ip.src, solicited: reply.value.na.solicited, tlla: reply.value.na.targetLinkLayer }).to.deep.equal({
      src: '2001:db8::200', solicited: true, tlla: ETH0,
    });
  });

  it('answers only on the advertisement\'s interfaces, and leaves the group elsewhere', async () => {
    interfaces.push(anInterface('eth1', 3, ETH1));
    const h = await started('node-1', objects({ interfaces: ['eth1'] }));
    run(h, ['node-2', 'node-3'], 50);
    const [eth0, eth1] = [h.links.get('eth0') as FakeLink, h.links.get('eth1') as FakeLink];
    expect([[...eth0.groups], [...eth1.groups]]).to.deep.equal([[], ['33:33:ff:00:02:00']]);
    eth0.sent.length = 0;
    eth1.sent.length = 0;
    const ns = anNs({ target: v6('2001:db8::200'), ethSrc: CLIENT, sourceLinkLayer: CLIENT });
    eth0.receive(ns);
    eth1.receive(ns);
    expect([eth0.sent.length, eth1.sent.length]).to.deep.equal([0, 1]);
    expect(await counter(h.registry, 'barelb_layer2_dropped_frames_total', { reason: 'interface-not-allowed' })).to.equal(1);
  });

  it('counts every duplicate claim and logs it once per address and MAC per 10 s', async () => {
    const h = await started('node-2');
    run(h, ['node-1', 'node-3'], 50);
    const eth0 = h.links.get('eth0') as FakeLink;
    const rogue = anArpRequest({ senderMac: CLIENT, senderIp: v4('192.0.2.200'), targetIp: v4('192.0.2.200') });
    for (let i = 0; i < 3; i += 1) eth0.receive(rogue);
    expect(await counter(h.registry, 'barelb_layer2_duplicate_answers_total', { ip: '192.0.2.200' })).to.equal(3);
    const warnings = h.records.filter((r) => r.level === 'warn' && r.fields['mac'] === CLIENT);
    expect(warnings.map((r) => r.fields['ip'])).to.deep.equal(['192.0.2.200']);
  });

  it('announces again once a claimant has been quiet for a whole burst, winning the neighbours back', async () => {
    const h = await started('node-2');
    run(h, ['node-1', 'node-3'], 3_000);
    const eth0 = h.links.get('eth0') as FakeLink;
    eth0.sent.length = 0;
    eth0.receive(anArpRequest({ senderMac: CLIENT, senderIp: v4('192.0.2.200'), targetIp: v4('192.0.2.200') }));
    run(h, ['node-1', 'node-3'], 2_400);
    expect(arpSent(eth0)).to.deep.equal([]);
    run(h, ['node-1', 'node-3'], 200);
    expect(arpSent(eth0).filter((a) => a.gratuitous)).to.have.length(2);
  });

  it('opens links for interfaces that appear, announces there at once, and closes those that go', async () => {
    const h = await started('node-2');
    run(h, ['node-1', 'node-3'], 50);
    interfaces.push(anInterface('eth1', 3, ETH1));
    run(h, ['node-1', 'node-3'], 5_000);
    await settle(); // the scan reads interfaces asynchronously
    const eth1 = h.links.get('eth1') as FakeLink;
    expect(arpSent(eth1).some((a) => a.gratuitous && a.ip === '192.0.2.200' && a.mac === ETH1)).to.equal(true);
    interfaces = interfaces.filter((i) => i.ifname !== 'eth1');
    run(h, ['node-1', 'node-3'], 5_000);
    await settle();
    expect(eth1.closed).to.equal(true);
  });

  it('withdraws nothing and announces nothing new when the configuration is unchanged and the controller is gone', async () => {
    const h = await started('node-2');
    run(h, ['node-1', 'node-3'], 3_000);
    const owned = [...h.handler.owned().keys()];
    await h.handler.update(aView('node-2', objects(), allocations));
    run(h, ['node-1', 'node-3'], 3_000);
    expect([...h.handler.owned().keys()]).to.deep.equal(owned);
  });

  it('closes every link when the signal aborts', async () => {
    const h = await started('node-2');
    h.stop.abort();
    expect([...h.links.values()].every((l) => l.closed)).to.equal(true);
  });

  it('is ready without heartbeats only when no L2Advertisement applies', async () => {
    const noL2 = objects().filter((o) => (o as { kind: string }).kind !== 'L2Advertisement');
    const h = await started('node-2', noL2);
    expect(h.handler.ready()).to.equal(true);
    const g = await started('node-2');
    expect(g.handler.ready()).to.equal(false);
  });

  it('logs once, and announces nothing, while the heartbeat Secret is missing', async () => {
    const noSecret = objects().filter((o) => (o as { kind: string }).kind !== 'Secret');
    const h = await started('node-2', noSecret);
    await h.handler.update(aView('node-2', noSecret, allocations));
    expect(h.heartbeats.o).to.equal(null);
    expect(h.records.filter((r) => r.level === 'error').map((r) => r.msg)).to.deep.equal(['Secret barelb-system/heartbeat does not exist (yet)']);
  });
});
