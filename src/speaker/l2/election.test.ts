import { expect } from 'chai';
import type { LabelSelector, Labels } from '../../api/labels.ts';
import { serviceKey, type Endpoint, type L2Advertisement, type NodeInput, type Pool } from '../../api/model.ts';
import { parseCidr } from '../../net/cidr.ts';
import { elect, excludeFromLoadBalancersLabel, type Election, type ElectionService, type ElectionSnapshot } from './election.ts';
import { ownedAddresses } from './owned.ts';
import { ip } from './testing.ts';

const sel = (matchLabels: Labels): LabelSelector => ({ matchLabels, matchExpressions: [] });

function aPool(name = 'blue', cidrs = ['192.0.2.0/24', '2001:db8::/64', '10.20.30.0/24']): Pool {
  return {
    name,
    labels: {},
    cidrs: cidrs.map((c) => { const p = parseCidr(c); if (!p.ok) throw new Error(p.error); return p.value; }),
    autoAssign: true,
    avoidBuggyIPs: false,
    serviceAllocation: null,
  };
}

const anAd = (o: Partial<L2Advertisement> = {}): L2Advertisement => ({
  name: 'l2', pools: ['blue'], nodeSelectors: [], interfaces: { kind: 'all' }, serviceSelectors: [], preferredNodeSelectors: [], ...o,
});

const aNode = (name: string, labels: Labels = {}, o: Partial<NodeInput> = {}): NodeInput => ({ name, labels, networkUnavailable: false, addresses: [], ...o });

const serving = (nodeName: string | null, o: Partial<Endpoint> = {}): Endpoint => ({ hasAddress: true, ready: true, serving: true, nodeName, ...o });

function aService(o: Partial<Omit<ElectionService, 'ingressIPs'>> & { ips?: string[] } = {}): ElectionService {
  const { ips, ...rest } = o;
  return {
    key: serviceKey('default', 'web'),
    labels: {},
    sharingKey: null,
    externalTrafficPolicy: 'Cluster',
    endpoints: [serving('node-a')],
    ...rest,
    ingressIPs: (ips ?? ['192.0.2.10']).map(ip),
  };
}

/** node-a, node-b, node-c; for 192.0.2.10 their SHA-256 order is node-c, node-b, node-a. */
const abc = [aNode('node-a'), aNode('node-b'), aNode('node-c')];

function aSnapshot(o: Partial<ElectionSnapshot> = {}): ElectionSnapshot {
  return { pools: [aPool()], l2Advertisements: [anAd()], nodes: abc, liveSpeakers: null, ignoreExcludeLB: false, excludeInterfaces: [], ...o };
}

/** The winner, or the reason nobody wins. */
const outcome = (e: Election): string => (e.kind === 'owner' ? e.owner : `none: ${e.reason}`);

describe('L2 election', () => {
  const rows: readonly { name: string; snapshot?: Partial<ElectionSnapshot>; service?: Parameters<typeof aService>[0]; want: string }[] = [
    { name: 'picks the node whose SHA-256 of "node#ip" sorts first', want: 'node-c' },
    { name: 'agrees with MetalLB\'s own ShouldAnnounce test for 10.20.30.1', snapshot: { nodes: [aNode('iris1'), aNode('iris2')] }, service: { ips: ['10.20.30.1'] }, want: 'iris2' },
    { name: 'agrees with MetalLB\'s own ShouldAnnounce test for 10.20.30.2', snapshot: { nodes: [aNode('iris1'), aNode('iris2')] }, service: { ips: ['10.20.30.2'] }, want: 'iris1' },
    { name: 'hashes an IPv6 address in its RFC 5952 text', service: { ips: ['2001:db8::10'] }, want: 'node-b' },
    { name: 'gives both addresses of a dual-stack Service to the owner of the first', service: { ips: ['192.0.2.10', '2001:db8::10'] }, want: 'node-c' },
    { name: 'announces nothing without a ready or serving endpoint', service: { endpoints: [serving('node-a', { ready: false, serving: false })] }, want: 'none: no-serving-endpoint' },
    { name: 'counts a terminating endpoint that is still serving', service: { endpoints: [serving('node-a', { ready: false, serving: true })] }, want: 'node-c' },
    { name: 'announces nothing before an address is assigned', service: { ips: [] }, want: 'none: no-ingress-ip' },
    { name: 'announces nothing for an address outside every pool', service: { ips: ['198.51.100.1'] }, want: 'none: ip-not-in-pool' },
    { name: 'announces nothing when no advertisement names the pool', snapshot: { l2Advertisements: [anAd({ pools: ['red'] })] }, want: 'none: no-advertisement' },
    { name: 'announces nothing when the advertisement\'s serviceSelectors do not match', snapshot: { l2Advertisements: [anAd({ serviceSelectors: [sel({ tier: 'db' })] })] }, want: 'none: no-advertisement' },
    { name: 'uses an advertisement whose serviceSelectors match', snapshot: { l2Advertisements: [anAd({ serviceSelectors: [sel({ tier: 'web' })] })] }, service: { labels: { tier: 'web' } }, want: 'node-c' },
    { name: 'refuses a shared IP with a service-selecting advertisement', snapshot: { l2Advertisements: [anAd({ serviceSelectors: [sel({ tier: 'web' })] })] }, service: { labels: { tier: 'web' }, sharingKey: 'k' }, want: 'none: shared-ip-with-service-selector' },
    { name: 'treats an empty allow-shared-ip as no sharing', snapshot: { l2Advertisements: [anAd({ serviceSelectors: [sel({ tier: 'web' })] })] }, service: { labels: { tier: 'web' }, sharingKey: '' }, want: 'node-c' },
    { name: 'allows a shared IP when no advertisement selects services', service: { sharingKey: 'k' }, want: 'node-c' },
    { name: 'skips a node labelled exclude-from-external-load-balancers', snapshot: { nodes: [aNode('node-a'), aNode('node-b'), aNode('node-c', { [excludeFromLoadBalancersLabel]: '' })] }, want: 'node-b' },
    { name: 'keeps an excluded node with --ignore-exclude-lb', snapshot: { ignoreExcludeLB: true, nodes: [aNode('node-a'), aNode('node-b'), aNode('node-c', { [excludeFromLoadBalancersLabel]: 'true' })] }, want: 'node-c' },
    { name: 'skips a node whose network is unavailable', snapshot: { nodes: [aNode('node-a'), aNode('node-b'), aNode('node-c', {}, { networkUnavailable: true })] }, want: 'node-b' },
    { name: 'skips a node whose speaker is not alive', snapshot: { liveSpeakers: new Set(['node-a', 'node-b']) }, want: 'node-b' },
    { name: 'ignores a live speaker without a Node object', snapshot: { liveSpeakers: new Set(['node-a', 'ghost']), nodes: [aNode('node-a')] }, want: 'node-a' },
    { name: 'skips a node outside every advertisement\'s nodeSelectors', snapshot: { nodes: [aNode('node-a', { l2: 'yes' }), aNode('node-b', { l2: 'yes' }), aNode('node-c')], l2Advertisements: [anAd({ nodeSelectors: [sel({ l2: 'yes' })] })] }, want: 'node-b' },
    { name: 'takes the union of node sets across advertisements', snapshot: { nodes: [aNode('node-a', { l2: 'a' }), aNode('node-c', { l2: 'c' })], l2Advertisements: [anAd({ name: 'x', nodeSelectors: [sel({ l2: 'a' })] }), anAd({ name: 'y', nodeSelectors: [sel({ l2: 'c' })] })] }, want: 'node-c' },
    { name: 'with Local traffic policy, only picks nodes hosting a serving endpoint', service: { externalTrafficPolicy: 'Local', endpoints: [serving('node-a'), serving('node-b')] }, want: 'node-b' },
    { name: 'with Local traffic policy, ignores endpoints that cannot serve', service: { externalTrafficPolicy: 'Local', endpoints: [serving('node-a'), serving('node-b', { ready: false, serving: false })] }, want: 'node-a' },
    { name: 'with Local traffic policy, announces nothing when no endpoint names a usable node', service: { externalTrafficPolicy: 'Local', endpoints: [serving(null), serving('node-x')] }, want: 'none: no-eligible-node' },
    { name: 'announces nothing when every node is excluded', snapshot: { nodes: abc.map((n) => ({ ...n, networkUnavailable: true })) }, want: 'none: no-eligible-node' },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(outcome(elect(aSnapshot(row.snapshot), aService(row.service)))).to.equal(row.want);
    });
  }

  describe('preferredNodeSelectors', () => {
    const prefer = (weight: number, labels: Labels) => ({ weight, preference: sel(labels) });
    const scored = (ads: L2Advertisement[], nodes: NodeInput[]): unknown => {
      const e = elect(aSnapshot({ l2Advertisements: ads, nodes }), aService());
      return e.kind === 'owner' ? e.ranking : e.reason;
    };

    it('puts a preferred node first whatever its hash', () => {
      const e = elect(aSnapshot({ l2Advertisements: [anAd({ preferredNodeSelectors: [prefer(10, { edge: 'true' })] })], nodes: [aNode('node-a', { edge: 'true' }), aNode('node-b'), aNode('node-c')] }), aService());
      expect(outcome(e)).to.equal('node-a');
    });

    it('adds up the weights a node matches within one advertisement (60 + 50 beats 100)', () => {
      const ad = anAd({ preferredNodeSelectors: [prefer(100, { zone: 'primary' }), prefer(60, { zone: 'secondary' }), prefer(50, { gpu: 'true' })] });
      const nodes = [aNode('node-a', { zone: 'secondary', gpu: 'true' }), aNode('node-b', { zone: 'primary' }), aNode('node-c')];
      expect(scored([ad], nodes)).to.deep.equal([{ node: 'node-a', score: 110 }, { node: 'node-b', score: 100 }, { node: 'node-c', score: 0 }]);
    });

    it('adds up the weights across advertisements of the pool', () => {
      const ads = [anAd({ name: 'x', preferredNodeSelectors: [prefer(70, { zone: 'primary' })] }), anAd({ name: 'y', preferredNodeSelectors: [prefer(30, { gpu: 'true' })] })];
      const nodes = [aNode('node-a', { zone: 'primary', gpu: 'true' }), aNode('node-b', { zone: 'primary' }), aNode('node-c')];
      expect(scored(ads, nodes)).to.deep.equal([{ node: 'node-a', score: 100 }, { node: 'node-b', score: 70 }, { node: 'node-c', score: 0 }]);
    });

    it('does not let an advertisement lift a node outside its own node set', () => {
      const ads = [anAd({ name: 'x', nodeSelectors: [sel({ role: 'lb' })] }), anAd({ name: 'y', nodeSelectors: [sel({ role: 'gpu' })], preferredNodeSelectors: [prefer(100, { zone: 'primary' })] })];
      const nodes = [aNode('node-a', { role: 'lb', zone: 'primary' }), aNode('node-b', { role: 'lb' }), aNode('node-c', { role: 'gpu' })];
      expect(scored(ads, nodes)).to.deep.equal([{ node: 'node-c', score: 0 }, { node: 'node-b', score: 0 }, { node: 'node-a', score: 0 }]);
    });

    it('ignores the preferences of an advertisement that does not select the Service', () => {
      const ads = [anAd({ name: 'x' }), anAd({ name: 'y', serviceSelectors: [sel({ tier: 'db' })], preferredNodeSelectors: [prefer(100, {})] })];
      expect(scored(ads, abc)).to.deep.equal([{ node: 'node-c', score: 0 }, { node: 'node-b', score: 0 }, { node: 'node-a', score: 0 }]);
    });

    it('falls back to the hash order when the preferred node is gone', () => {
      const ad = anAd({ preferredNodeSelectors: [prefer(100, { edge: 'true' })] });
      const e = elect(aSnapshot({ l2Advertisements: [ad], nodes: [aNode('node-a', { edge: 'true' }), aNode('node-b'), aNode('node-c')], liveSpeakers: new Set(['node-b', 'node-c']) }), aService());
      expect(outcome(e)).to.equal('node-c');
    });
  });

  describe('interfaces', () => {
    const interfacesOf = (ads: L2Advertisement[], excludeInterfaces: RegExp[] = []): unknown => {
      const e = elect(aSnapshot({ l2Advertisements: ads, excludeInterfaces }), aService());
      return e.kind === 'owner' ? e.interfaces : e.reason;
    };

    it('announces on every interface when the advertisement names none', () => {
      expect(interfacesOf([anAd()])).to.deep.equal({ choice: { kind: 'all' }, exclude: [] });
    });

    it('takes the union of the interfaces of the advertisements selecting the owner', () => {
      const ads = [anAd({ name: 'x', interfaces: { kind: 'only', names: ['eth1'] } }), anAd({ name: 'y', interfaces: { kind: 'only', names: ['bond0', 'eth1'] } })];
      expect(interfacesOf(ads)).to.deep.equal({ choice: { kind: 'only', names: ['bond0', 'eth1'] }, exclude: [] });
    });

    it('widens to every interface when one selecting advertisement names none', () => {
      const ads = [anAd({ name: 'x', interfaces: { kind: 'only', names: ['eth1'] } }), anAd({ name: 'y' })];
      expect(interfacesOf(ads, [/^veth/])).to.deep.equal({ choice: { kind: 'all' }, exclude: [/^veth/] });
    });

    it('ignores the interfaces of advertisements that do not select the owner', () => {
      const ads = [anAd({ name: 'x', interfaces: { kind: 'only', names: ['eth1'] } }), anAd({ name: 'y', nodeSelectors: [sel({ role: 'none' })] })];
      expect(interfacesOf(ads)).to.deep.equal({ choice: { kind: 'only', names: ['eth1'] }, exclude: [] });
    });
  });

  describe('owned addresses', () => {
    it('gives a node the addresses it won, widening interfaces for a shared IP', () => {
      const only = (n: string) => ({ choice: { kind: 'only', names: [n] } as const, exclude: [] });
      const won = (service: string, owner: string, ips: string[], iface: string): Election => ({
        kind: 'owner', service: serviceKey('default', service), ips: ips.map(ip), owner, interfaces: only(iface), ranking: [],
      });
      const elections: Election[] = [
        won('a', 'node-a', ['192.0.2.1', '2001:db8::1'], 'eth0'),
        won('b', 'node-a', ['192.0.2.1'], 'eth1'),
        won('c', 'node-b', ['192.0.2.2'], 'eth0'),
        { kind: 'none', service: serviceKey('default', 'd'), reason: 'no-eligible-node' },
      ];
      expect([...ownedAddresses(elections, 'node-a')]).to.deep.equal([
        ['192.0.2.1', { choice: { kind: 'only', names: ['eth0', 'eth1'] }, exclude: [] }],
        ['2001:db8::1', only('eth0')],
      ]);
    });
  });
});
