// barelb end to end over BGP in local mode: a controller and three speakers (real processes)
// drive three node FRRs that peer with an upstream FRR router. Everything is asserted at the
// router: ECMP for Cluster Services, Local Services only from nodes with endpoints,
// communities, IPv6, withdrawal on delete, no session reset on a Service change, and FRR
// restarted empty gets every route back without the speaker being touched.
import { expect } from 'chai';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BarelbProcess } from '../harness/barelb.ts';
import { Teardown, tracked } from '../harness/cleanup.ts';
import { FrrInstance, waitFor } from '../harness/frr.ts';
import { bgpRoutes } from '../harness/frr-json.ts';
import { frrRoot } from '../harness/frr-root.ts';
import { ROUTER_IPV4, buildLan, type Lan, type LanNode } from '../harness/lan.ts';

const ROUTER_AS = 64500;
const NODE_AS = 64512;

function routerConfig(nodes: readonly LanNode[]): string {
  return [
    'frr defaults traditional',
    `router bgp ${ROUTER_AS}`,
    ` bgp router-id ${ROUTER_IPV4}`,
    ' no bgp ebgp-requires-policy',
    ' no bgp default ipv4-unicast',
    ...nodes.flatMap((n) => [` neighbor ${n.ipv4} remote-as ${NODE_AS}`, ` neighbor ${n.ipv4} timers connect 1`, ` neighbor ${n.ipv6} remote-as ${NODE_AS}`, ` neighbor ${n.ipv6} timers connect 1`]),
    ' address-family ipv4 unicast',
    '  maximum-paths 8',
    ...nodes.map((n) => `  neighbor ${n.ipv4} activate`),
    ' exit-address-family',
    ' address-family ipv6 unicast',
    '  maximum-paths 8',
    ...nodes.map((n) => `  neighbor ${n.ipv6} activate`),
    ' exit-address-family',
    'exit',
    '',
  ].join('\n');
}

const nodeName = (n: LanNode) => `node-${n.index}`;

function configManifests(nodes: readonly LanNode[]): string {
  const nodeDocs = nodes.map((n) => `apiVersion: v1
kind: Node
metadata: {name: ${nodeName(n)}, labels: {kubernetes.io/hostname: ${nodeName(n)}}}
status: {addresses: [{type: InternalIP, address: ${n.ipv4}}]}`);
  return [
    `apiVersion: barelb.io/v1beta1
kind: IPAddressPool
metadata: {name: public, namespace: barelb-system}
spec: {addresses: [203.0.113.0/28, "2001:db8:1::/120"]}`,
    `apiVersion: barelb.io/v1beta2
kind: BGPPeer
metadata: {name: router, namespace: barelb-system}
spec: {myASN: ${NODE_AS}, peerASN: ${ROUTER_AS}, peerAddress: ${ROUTER_IPV4}, connectTime: 1s}`,
    `apiVersion: barelb.io/v1beta2
kind: BGPPeer
metadata: {name: router-v6, namespace: barelb-system}
spec: {myASN: ${NODE_AS}, peerASN: ${ROUTER_AS}, peerAddress: "2001:db8::1", connectTime: 1s}`,
    `apiVersion: barelb.io/v1beta1
kind: BGPAdvertisement
metadata: {name: all, namespace: barelb-system}
spec: {communities: ["64512:100", "large:64512:1:2"]}`,
    ...nodeDocs,
  ].join('\n---\n');
}

function serviceManifest(name: string, opts: { local?: boolean; dual?: boolean; endpointNodes: readonly string[]; created: string }): string {
  const families = opts.dual ? '\n  ipFamilyPolicy: RequireDualStack\n  clusterIPs: [172.20.0.9, "fd00::9"]' : '\n  clusterIPs: [172.20.0.1]';
  const endpoints = opts.endpointNodes.map((node, i) => `  - {addresses: [172.21.0.${i + 1}], nodeName: ${node}, conditions: {ready: true}}`).join('\n');
  return `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: demo, creationTimestamp: "${opts.created}"}
spec:
  type: LoadBalancer
  externalTrafficPolicy: ${opts.local ? 'Local' : 'Cluster'}${families}
  selector: {app: ${name}}
  ports: [{port: 80, protocol: TCP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ${name}-1, namespace: demo, labels: {kubernetes.io/service-name: ${name}}}
addressType: IPv4
endpoints:
${endpoints}
`;
}

type RouteView = { nextHops: string[]; communities: string; large: string };

async function routerRoutes(router: FrrInstance, family: 'ipv4' | 'ipv6'): Promise<Map<string, RouteView>> {
  const json = (await router.showJson(`show bgp ${family} unicast json`)) as unknown;
  const out = new Map<string, RouteView>();
  for (const [prefix, paths] of bgpRoutes(json)) {
    out.set(prefix, { nextHops: paths.flatMap((p) => p.nextHops).filter((h) => !h.startsWith('fe80')).sort(), communities: '', large: '' });
  }
  return out;
}

async function routeDetail(router: FrrInstance, prefix: string, family: 'ipv4' | 'ipv6'): Promise<{ community: string; large: string }> {
  const json = (await router.showJson(`show bgp ${family} unicast ${prefix} json`)) as { paths?: { community?: { string?: string }; largeCommunity?: { string?: string } }[] };
  const p = json.paths?.[0];
  return { community: p?.community?.string ?? '', large: p?.largeCommunity?.string ?? '' };
}

async function establishedCount(router: FrrInstance): Promise<Map<string, number>> {
  const json = (await router.showJson('show bgp neighbors json')) as Record<string, { bgpState?: string; connectionsEstablished?: number }>;
  return new Map(Object.entries(json).map(([peer, n]) => [peer, n.bgpState === 'Established' ? (n.connectionsEstablished ?? -1) : -1]));
}

describe('BGP end to end: controller and speakers in local mode, real FRR', function () {
  this.timeout(180_000);
  const teardown = new Teardown();
  let lan: Lan;
  let router: FrrInstance;
  const nodeFrr: FrrInstance[] = [];
  const speakers: BarelbProcess[] = [];
  let controller: BarelbProcess;
  let dir = '';
  const ips = new Map<string, string[]>();

  const speakerArgs = (n: LanNode, frr: FrrInstance) => [
    'speaker', '--local', dir, '--node', nodeName(n), '--no-l2', '--log-level', 'debug', '--hostname', nodeName(n),
    '--vtysh', `ip netns exec ${n.ns.name} chroot ${frrRoot()} /usr/bin/vtysh`,
    '--frr-reload', `ip netns exec ${n.ns.name} chroot ${frrRoot()} /usr/lib/frr/frr-reload.py`,
    '--frr-root', frrRoot(), '--frr-pathspace', frr.name, '--frr-poll-interval', '500',
  ];

  const readState = async (): Promise<Record<string, { ips: string[] }>> => {
    const { readFileSync } = await import('node:fs');
    return (JSON.parse(readFileSync(join(dir, '.barelb/state.json'), 'utf8')) as { services: Record<string, { ips: string[] }> }).services;
  };

  before(async function () {
    lan = await buildLan(3);
    teardown.defer(() => lan.destroy());
    router = await FrrInstance.start({ netns: lan.router, config: routerConfig(lan.nodes), daemons: [] });
    teardown.defer(() => router.stop());
    for (const n of lan.nodes) {
      const f = await FrrInstance.start({ netns: n.ns, config: 'frr defaults traditional\n', daemons: ['bfdd'] });
      nodeFrr.push(f);
      teardown.defer(() => f.stop());
    }
    dir = mkdtempSync(join(tmpdir(), 'barelb-bgp-e2e-'));
    tracked.addPath(dir);
    teardown.defer(() => {
      rmSync(dir, { recursive: true, force: true });
      tracked.dropPath(dir);
    });
    writeFileSync(join(dir, 'config.yaml'), configManifests(lan.nodes));
    writeFileSync(join(dir, 'web.yaml'), serviceManifest('web', { endpointNodes: ['node-1', 'node-2', 'node-3'], created: '2026-01-01T00:00:00Z' }));
    writeFileSync(join(dir, 'local.yaml'), serviceManifest('local', { local: true, endpointNodes: ['node-2'], created: '2026-01-02T00:00:00Z' }));
    writeFileSync(join(dir, 'dual.yaml'), serviceManifest('dual', { dual: true, endpointNodes: ['node-1', 'node-3'], created: '2026-01-03T00:00:00Z' }));
    controller = BarelbProcess.start(['controller', '--local', dir], { label: 'controller' });
    teardown.defer(async () => void (await controller.stop()));
    for (const [i, n] of lan.nodes.entries()) {
      const s = BarelbProcess.start(speakerArgs(n, nodeFrr[i] as FrrInstance), { label: `speaker${n.index}` });
      speakers.push(s);
      teardown.defer(async () => void (await s.stop()));
    }
    const state = await waitFor(async () => {
      const s = await readState().catch(() => null);
      return s !== null && s['demo/web'] && s['demo/local'] && s['demo/dual'] ? s : null;
    }, 20_000, { what: 'the controller to allocate' });
    for (const [k, v] of Object.entries(state)) ips.set(k, v.ips);
  });

  after(async function () {
    if (this.currentTest?.state === 'failed') for (const s of [controller, ...speakers]) console.error(`--- ${s.label}\n${s.logTail(40)}`);
    await teardown.run();
  });

  it('announces a Cluster Service from every node, so the router has three next hops (ECMP)', async () => {
    const web = `${ips.get('demo/web')?.[0]}/32`;
    const hops = await waitFor(async () => {
      const r = (await routerRoutes(router, 'ipv4')).get(web);
      return r !== undefined && r.nextHops.length === 3 ? r.nextHops : null;
    }, 30_000, { what: `${web} from three nodes` });
    expect(hops).to.deep.equal(['192.0.2.11', '192.0.2.12', '192.0.2.13']);
  });

  it('announces a Local Service only from the node with its endpoint', async () => {
    const local = `${ips.get('demo/local')?.[0]}/32`;
    const hops = await waitFor(async () => (await routerRoutes(router, 'ipv4')).get(local)?.nextHops, 30_000, { what: local });
    await new Promise((r) => setTimeout(r, 1000));
    expect((await routerRoutes(router, 'ipv4')).get(local)?.nextHops).to.deep.equal(['192.0.2.12']);
    expect(hops).to.deep.equal(['192.0.2.12']);
  });

  it('carries the advertisement communities and large communities to the router', async () => {
    const web = `${ips.get('demo/web')?.[0]}/32`;
    const d = await waitFor(async () => {
      const x = await routeDetail(router, web, 'ipv4');
      return x.community !== '' ? x : null;
    }, 20_000, { what: `communities on ${web}` });
    expect(d.community).to.contain('64512:100');
    expect(d.large).to.contain('64512:1:2');
  });

  it('announces the IPv6 address of a dual-stack Service over the IPv6 sessions', async () => {
    const v6 = ips.get('demo/dual')?.find((ip) => ip.includes(':'));
    expect(v6, 'the dual-stack Service has an IPv6 address').to.be.a('string');
    const hops = await waitFor(async () => {
      const r = (await routerRoutes(router, 'ipv6')).get(`${v6}/128`);
      return r !== undefined && r.nextHops.length === 3 ? r.nextHops : null;
    }, 30_000, { what: `${v6}/128 from all three nodes` });
    // externalTrafficPolicy Cluster: every node announces, whatever nodes the endpoints are on.
    expect(hops).to.deep.equal(['2001:db8::11', '2001:db8::12', '2001:db8::13']);
  });

  it('adds and withdraws a Service without resetting any established session', async () => {
    const before = await establishedCount(router);
    expect([...before.values()].every((c) => c > 0), `all sessions up: ${JSON.stringify([...before])}`).to.equal(true);
    writeFileSync(join(dir, 'extra.yaml'), serviceManifest('extra', { endpointNodes: ['node-1'], created: '2026-01-04T00:00:00Z' }));
    const extra = await waitFor(async () => (await readState())['demo/extra']?.ips[0], 10_000, { what: 'extra allocated' });
    await waitFor(async () => (await routerRoutes(router, 'ipv4')).get(`${extra}/32`)?.nextHops.length === 3, 20_000, { what: `${extra}/32 at the router` });
    unlinkSync(join(dir, 'extra.yaml'));
    await waitFor(async () => !(await routerRoutes(router, 'ipv4')).has(`${extra}/32`), 20_000, { what: `${extra}/32 withdrawn` });
    expect(await establishedCount(router)).to.deep.equal(before);
  });

  it('restores every route when a node FRR restarts empty, without touching the speaker', async () => {
    const web = `${ips.get('demo/web')?.[0]}/32`;
    const n1 = lan.nodes[0] as LanNode;
    await nodeFrr[0]?.stop();
    await waitFor(async () => (await routerRoutes(router, 'ipv4')).get(web)?.nextHops.length === 2, 20_000, { what: 'node-1 gone' });
    nodeFrr[0] = await FrrInstance.start({ netns: n1.ns, config: 'frr defaults traditional\n', daemons: ['bfdd'] });
    teardown.defer(() => nodeFrr[0]?.stop() ?? Promise.resolve());
    await waitFor(async () => (await routerRoutes(router, 'ipv4')).get(web)?.nextHops.length === 3, 30_000, { what: `${web} from node-1 again` });
    expect(speakers[0]?.exited).to.equal(false);
  });
});
