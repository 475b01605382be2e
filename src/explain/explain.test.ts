import { expect } from 'chai';
import type { ServiceKey } from '../api/model.ts';
import { err, ok } from '../core/result.ts';
import { parseIP, type IP } from '../net/ip.ts';
import { exitStatus, explainService, type Explanation } from './explain.ts';
import { aBGPAdvertisement, aNode, anInput, anL2Advertisement, aPeer, aPool, aService, aSlice, type InputSpec } from './testing.ts';
import type { ExplainState } from './verdict.ts';

const ip = (text: string): IP => {
  const r = parseIP(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

const main = aPool('main', ['192.0.2.10/31']);
const explain = (key: string, objects: readonly unknown[], o: InputSpec = {}): Explanation => explainService(anInput(key, objects, o));

type PendingRow = { readonly it: string; readonly objects: readonly unknown[]; readonly state: ExplainState; readonly summary: string };

const pendingRows: readonly PendingRow[] = [
  { it: 'no-pools when no pool exists', objects: [aService('web')], state: 'pending', summary: 'Service demo/web: pending — no-pools: no IPAddressPool is configured; any address the Service held is released' },
  {
    it: 'no-matching-pool when the only pool has autoAssign off',
    objects: [aPool('off', ['192.0.2.0/30'], { autoAssign: false }), aService('web')],
    state: 'pending',
    summary: 'Service demo/web: pending — no-matching-pool: no address available: pool "off" has autoAssign disabled',
  },
  {
    it: 'pool-exhausted when older Services hold every address',
    objects: [main, aService('a', { minute: 1 }), aService('b', { minute: 2 }), aService('web', { minute: 3 })],
    state: 'pending',
    summary: 'Service demo/web: pending — pool-exhausted: no address available: pool "main" exhausted for ipv4',
  },
  {
    it: 'pool-not-found when the annotation names no pool',
    objects: [main, aService('web', { annotations: { 'barelb.io/address-pool': 'gone' } })],
    state: 'pending',
    summary: 'Service demo/web: pending — pool-not-found: the address-pool annotation names pool "gone", which does not exist (pools: main)',
  },
  {
    it: 'ip-not-in-any-pool for a requested address outside every pool',
    objects: [main, aService('web', { spec: { loadBalancerIP: '203.0.113.9' } })],
    state: 'pending',
    summary: 'Service demo/web: pending — ip-not-in-any-pool: 203.0.113.9 is in no pool',
  },
  {
    it: 'ip-in-use for a requested address another Service holds',
    objects: [main, aService('a', { minute: 1, ingress: ['192.0.2.10'] }), aService('web', { minute: 2, spec: { loadBalancerIP: '192.0.2.10' } })],
    state: 'pending',
    summary: 'Service demo/web: pending — ip-in-use: 192.0.2.10 is held by demo/a and this Service has no allow-shared-ip key',
  },
  {
    it: 'sharing-conflict for a requested address held under another sharing key',
    objects: [
      main,
      aService('a', { minute: 1, ingress: ['192.0.2.10'], annotations: { 'barelb.io/allow-shared-ip': 'x' } }),
      aService('web', { minute: 2, spec: { loadBalancerIP: '192.0.2.10', ports: [{ port: 81, protocol: 'TCP' }] }, annotations: { 'barelb.io/allow-shared-ip': 'y' } }),
    ],
    state: 'pending',
    summary: 'Service demo/web: pending — sharing-conflict: 192.0.2.10 is held by demo/a with sharing key "x", not "y"',
  },
  {
    it: 'family-mismatch for an IPv6 Service and an IPv4 pool',
    objects: [main, aService('web', { spec: { ipFamilies: ['IPv6'], clusterIPs: ['fd00::1'] } })],
    state: 'pending',
    summary: 'Service demo/web: pending — family-mismatch: no address available: pool "main" has no ipv6 addresses',
  },
  {
    it: 'invalid-request for an unparseable loadBalancerIP',
    objects: [main, aService('web', { spec: { loadBalancerIP: 'not-an-ip' } })],
    state: 'pending',
    summary: 'Service demo/web: pending — invalid-request: spec.loadBalancerIP: "not-an-ip" is not an IP address',
  },
  { it: 'ignored for a ClusterIP Service', objects: [main, aService('web', { spec: { type: 'ClusterIP' } })], state: 'ignored', summary: 'Service demo/web: ignored — type is ClusterIP; only LoadBalancer Services get an address' },
  {
    it: 'invalid-config when the manifests have errors',
    objects: [aPool('bad', ['192.0.2.300/32']), aService('web')],
    state: 'invalid-config',
    summary: 'Service demo/web: configuration invalid — 1 error (listed below); nothing can be allocated or announced from it',
  },
];

describe('explainService: why a Service has no address', () => {
  for (const r of pendingRows) {
    it(`says ${r.it}, and exits 1`, () => {
      const e = explain('demo/web', r.objects);
      expect(e.verdict).to.deep.equal({ state: r.state, summary: r.summary });
      expect(exitStatus(e)).to.equal(1);
      expect(e.l2).to.equal(null);
      expect(e.bgp).to.equal(null);
    });
  }
});

const l2 = [main, anL2Advertisement('lan', { ipAddressPools: ['main'], interfaces: ['eth0'], nodeSelectors: [{ matchLabels: { rack: 'r1' } }] })];
const nodes = [
  aNode('node-1', { labels: { rack: 'r1' } }),
  aNode('node-2', { labels: { rack: 'r1' } }),
  aNode('node-3', { labels: { rack: 'r1', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } }),
  aNode('node-4', { labels: { rack: 'r2' } }),
  aNode('node-5', { labels: { rack: 'r1' }, networkUnavailable: true }),
];

describe('explainService: Layer 2', () => {
  it('names the owner, its interface, the runner-up and why every other node is not eligible', () => {
    const e = explain('demo/web', [...l2, ...nodes, aService('web'), aSlice('web', ['node-4'])]);
    expect(e.l2).to.deep.include({ applies: true, pool: 'main', advertisements: ['lan'], interfaces: ['eth0'], reason: null });
    const owner = e.l2?.applies === true ? e.l2.owner : null;
    expect(['node-1', 'node-2']).to.include(owner);
    expect(e.l2?.applies === true ? e.l2.nodes.slice(2) : []).to.deep.equal([
      { node: 'node-3', eligible: false, reasons: ['excluded-by-label'] },
      { node: 'node-4', eligible: false, reasons: ['not-selected'] },
      { node: 'node-5', eligible: false, reasons: ['network-unavailable'] },
    ]);
    expect(e.verdict).to.deep.equal({ state: 'announced', summary: `Service demo/web: 192.0.2.10 from pool main, announced by L2 from ${owner ?? ''} (eth0)` });
    expect(exitStatus(e)).to.equal(0);
  });

  it('with externalTrafficPolicy Local and no endpoint anywhere, says no-serving-endpoint and exits 1', () => {
    const e = explain('demo/web', [...l2, ...nodes, aService('web', { spec: { externalTrafficPolicy: 'Local' } })]);
    expect(e.l2).to.deep.include({ owner: null, reason: 'no-serving-endpoint', nodes: [] });
    expect(e.verdict.summary).to.equal('Service demo/web: 192.0.2.10 from pool main, not announced — L2: no-serving-endpoint: no endpoint of the Service is ready or serving in its EndpointSlices');
    expect(exitStatus(e)).to.equal(1);
  });

  it('with externalTrafficPolicy Local and endpoints only on ineligible nodes, rules out every node', () => {
    const e = explain('demo/web', [...l2, ...nodes, aService('web', { spec: { externalTrafficPolicy: 'Local' } }), aSlice('web', ['node-4'])]);
    expect(e.l2).to.deep.include({ owner: null, reason: 'no-eligible-node' });
    expect(e.l2?.applies === true ? e.l2.nodes : []).to.deep.equal([
      { node: 'node-1', eligible: false, reasons: ['no-local-endpoint'] },
      { node: 'node-2', eligible: false, reasons: ['no-local-endpoint'] },
      { node: 'node-3', eligible: false, reasons: ['excluded-by-label', 'no-local-endpoint'] },
      { node: 'node-4', eligible: false, reasons: ['not-selected'] },
      { node: 'node-5', eligible: false, reasons: ['network-unavailable', 'no-local-endpoint'] },
    ]);
    expect(e.verdict.state).to.equal('not-announced');
  });

  it('with externalTrafficPolicy Local, elects the node running the endpoint', () => {
    const e = explain('demo/web', [...l2, ...nodes, aService('web', { spec: { externalTrafficPolicy: 'Local' } }), aSlice('web', ['node-2'])]);
    expect(e.l2).to.deep.include({ owner: 'node-2' });
    expect(e.l2?.applies === true ? e.l2.nodes[0] : null).to.deep.equal({ node: 'node-2', eligible: true, rank: 1, score: 0 });
  });

  it('says L2 is not used when no L2Advertisement names the pool', () => {
    const e = explain('demo/web', [main, ...nodes, aService('web'), aSlice('web', ['node-1'])]);
    expect(e.l2).to.deep.equal({ applies: false, pool: 'main' });
    expect(e.verdict.summary).to.equal('Service demo/web: 192.0.2.10 from pool main, not announced — no L2Advertisement or BGPAdvertisement names pool main');
  });
});

const bgp = [
  main,
  aPeer('tor-a', '192.0.2.1'),
  aPeer('tor-b', '192.0.2.2', { nodeSelectors: [{ matchLabels: { rack: 'r1' } }] }),
  aBGPAdvertisement('host', { ipAddressPools: ['main'], localPref: 100, communities: ['64512:100', 'large:64512:1:2'] }),
  aBGPAdvertisement('aggregate', { ipAddressPools: ['main'], aggregationLength: 31, peers: ['tor-b'], nodeSelectors: [{ matchLabels: { rack: 'r1' } }] }),
];

describe('explainService: BGP', () => {
  it('lists per node the sessions, each route with its peers and attributes, and the nodes that do not announce', () => {
    const e = explain('demo/web', [...bgp, ...nodes, aService('web'), aSlice('web', ['node-1'])]);
    const story = e.bgp?.applies === true ? e.bgp : null;
    expect(story?.advertisements).to.deep.equal(['aggregate', 'host']);
    expect(story?.nodes.find((n) => n.node === 'node-1')).to.deep.equal({
      node: 'node-1',
      announced: true,
      sessions: ['tor-a', 'tor-b'],
      routes: [
        { advertisement: 'aggregate', prefix: '192.0.2.10/31', aggregationLength: 31, localPref: null, communities: [], largeCommunities: [], peers: ['tor-b'] },
        { advertisement: 'host', prefix: '192.0.2.10/32', aggregationLength: 32, localPref: 100, communities: ['64512:100'], largeCommunities: ['64512:1:2'], peers: ['tor-a', 'tor-b'] },
      ],
    });
    expect(story?.nodes.find((n) => n.node === 'node-4')).to.deep.include({ announced: true, sessions: ['tor-a'] });
    expect(story?.nodes.find((n) => n.node === 'node-3')).to.deep.equal({ node: 'node-3', announced: false, sessions: ['tor-a', 'tor-b'], reason: 'nodeLabeledExcludeBalancers' });
    expect(story?.nodes.find((n) => n.node === 'node-5')).to.deep.include({ announced: false, reason: 'nodeNetworkUnavailable' });
    expect(e.verdict.summary).to.equal('Service demo/web: 192.0.2.10 from pool main, announced by BGP from node-1, node-2, node-4');
    expect(exitStatus(e)).to.equal(0);
  });

  it('with externalTrafficPolicy Local, announces only from nodes with a ready endpoint', () => {
    const e = explain('demo/web', [...bgp, ...nodes, aService('web', { spec: { externalTrafficPolicy: 'Local' } }), aSlice('web', ['node-2'])]);
    const story = e.bgp?.applies === true ? e.bgp : null;
    expect(story?.nodes.map((n) => [n.node, n.announced ? 'announces' : n.reason])).to.deep.equal([
      ['node-1', 'noLocalEndpoints'], ['node-2', 'announces'], ['node-3', 'nodeLabeledExcludeBalancers'], ['node-4', 'noLocalEndpoints'], ['node-5', 'nodeNetworkUnavailable'],
    ]);
  });

  it('with no endpoint at all, no node announces and it exits 1', () => {
    const e = explain('demo/web', [...bgp, ...nodes, aService('web', { spec: { externalTrafficPolicy: 'Local' } })]);
    expect(e.bgp?.applies === true ? e.bgp.nodes.filter((n) => n.announced) : ['?']).to.deep.equal([]);
    expect(e.verdict.summary).to.equal('Service demo/web: 192.0.2.10 from pool main, not announced — BGP: no node announces it (see below)');
    expect(exitStatus(e)).to.equal(1);
  });

  it('does not count a node without any session as announcing', () => {
    const e = explain('demo/web', [main, aBGPAdvertisement('host', { ipAddressPools: ['main'] }), aNode('node-1'), aService('web'), aSlice('web', ['node-1'])]);
    expect(e.verdict.summary).to.equal('Service demo/web: 192.0.2.10 from pool main, not announced — BGP: no announcing node has a session to a peer');
  });
});

describe('explainService: the record and the cluster', () => {
  const key = 'demo/web' as ServiceKey;

  it('announces the recorded address, which the controller keeps', () => {
    const allocations = new Map([[key, { ips: [ip('192.0.2.11')], pool: 'main' }]]);
    const e = explain('demo/web', [...bgp, ...nodes, aService('web', { ingress: ['192.0.2.10'] }), aSlice('web', ['node-1'])], { source: 'service-status', allocations });
    expect(e.recorded).to.deep.include({ source: 'service-status', ips: ['192.0.2.11'], pool: 'main' });
    expect(e.addresses).to.deep.equal(['192.0.2.11']);
    expect(e.allocation).to.deep.include({ state: 'allocated', ips: ['192.0.2.11'] });
    expect(e.notes).to.deep.equal([]);
  });

  it('notes when the record differs from what the controller would now hold', () => {
    const allocations = new Map([[key, { ips: [ip('192.0.2.11')], pool: 'main' }]]);
    const e = explain('demo/web', [...bgp, ...nodes, aService('web', { spec: { loadBalancerIP: '192.0.2.10' } }), aSlice('web', ['node-1'])], { source: 'state-file', allocations });
    expect(e.addresses).to.deep.equal(['192.0.2.11']);
    expect(e.notes).to.deep.equal(['the state file records 192.0.2.11; the controller would now hold 192.0.2.10']);
  });

  it('says an allocation the record does not hold yet is not announced', () => {
    const e = explain('demo/web', [...bgp, ...nodes, aService('web'), aSlice('web', ['node-1'])], { source: 'service-status' });
    expect(e.verdict.summary).to.equal('Service demo/web: 192.0.2.10 from pool main (not recorded yet), not announced — the controller has not written the address');
    expect(exitStatus(e)).to.equal(1);
  });

  it('reads the condition, the speakers\' status objects and the newest ten Events of the Service', () => {
    const event = (i: number, name = 'web') => ({
      metadata: { name: `e${i}`, namespace: 'demo' },
      eventTime: `2026-11-01T10:00:${String(i).padStart(2, '0')}.000000Z`,
      type: 'Normal',
      reason: `R${i}`,
      note: `note ${i}`,
      reportingController: 'barelb.io/controller',
      regarding: { kind: 'Service', namespace: 'demo', name },
    });
    const service = { status: { conditions: [{ type: 'barelb.io/IPAllocated', status: 'True', reason: 'IPAllocated', message: 'kept', lastTransitionTime: '2026-11-01T10:00:00Z' }] } };
    const l2Status = { status: { node: 'node-1', serviceName: 'web', serviceNamespace: 'demo', interfaces: [{ name: 'eth0' }] } };
    const other = { status: { node: 'node-2', serviceName: 'api', serviceNamespace: 'demo' } };
    const events = [...Array.from({ length: 12 }, (_, i) => event(i)), event(59, 'api')];
    const e = explain('demo/web', [main, aService('web')], { cluster: { service, l2Statuses: ok([l2Status, other]), bgpStatuses: err('403 forbidden'), events: ok(events) } });
    expect(e.recorded.condition).to.deep.equal({ status: 'True', reason: 'IPAllocated', message: 'kept', lastTransitionTime: '2026-11-01T10:00:00Z' });
    expect(e.cluster?.l2Statuses).to.deep.equal([{ node: 'node-1', interfaces: ['eth0'] }]);
    expect(e.cluster?.bgpStatuses).to.equal(null);
    expect(e.cluster?.statusError).to.equal('403 forbidden');
    expect(e.cluster?.events?.map((x) => x.reason)).to.deep.equal(['R11', 'R10', 'R9', 'R8', 'R7', 'R6', 'R5', 'R4', 'R3', 'R2']);
  });

  it('keeps only the warnings about the Service', () => {
    const e = explain('demo/web', [main, aService('web', { annotations: { 'metallb.universe.tf/address-pool': 'main' } }), aService('other', { annotations: { 'metallb.universe.tf/address-pool': 'main' } })]);
    expect(e.warnings.map((w) => w.object)).to.deep.equal(['Service/demo/web']);
  });
});
