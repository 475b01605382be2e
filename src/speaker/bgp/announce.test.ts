import { expect } from 'chai';
import { communityText } from '../../api/model.ts';
import { announceForNode, excludeBalancersLabel, type NodeAnnouncement } from './announce.ts';
import { aNode, aPeer, aPool, anAdvertisement, aSnapshot, matchLabels, web, type SnapshotSpec } from './builders.ts';

const all = anAdvertisement({ name: 'all' });
const peer = aPeer();

/** Each Service IP as "ip: announced" or "ip: <reason>". */
const outcomes = (n: NodeAnnouncement): string[] => n.ips.map((e) => `${e.ip}: ${e.announced ? 'announced' : e.reason}`);

type Row = { readonly name: string; readonly spec: SnapshotSpec; readonly node?: string; readonly want: readonly string[] };

function itDecides(rows: readonly Row[]): void {
  for (const row of rows) {
    it(row.name, () => {
      expect(outcomes(announceForNode(aSnapshot({ peers: [peer], ...row.spec }), row.node ?? 'node-1'))).to.deep.equal(row.want);
    });
  }
}

describe('announceForNode: whether a node announces a Service IP', () => {
  describe('pools and advertisements', () => {
    itDecides([
      { name: 'announces an IP of a pool with an advertisement when the Service has a ready endpoint', spec: { ads: [all], services: [web] }, want: ['203.0.113.10: announced'] },
      { name: 'does not announce an IP outside every pool (ipNotAllowed)', spec: { ads: [all], services: [{ ...web, ips: ['198.51.100.1'] }] }, want: ['198.51.100.1: ipNotAllowed'] },
      { name: 'does not announce when the pool has no BGP advertisement (notOwner)', spec: { ads: [anAdvertisement({ pools: ['other'] })], services: [web] }, want: ['203.0.113.10: notOwner'] },
      { name: "does not announce when no advertisement's nodeSelectors take the node (notOwner)", spec: { ads: [anAdvertisement({ nodeSelectors: [matchLabels({ rack: 'b' })] })], services: [web] }, want: ['203.0.113.10: notOwner'] },
      { name: "announces from a node the advertisement's nodeSelectors take", spec: { ads: [anAdvertisement({ nodeSelectors: [matchLabels({ rack: 'a' })] })], services: [web], nodes: [aNode('node-1', { rack: 'a' })] }, want: ['203.0.113.10: announced'] },
      { name: "does not announce when no advertisement's serviceSelectors match the Service (noMatchingAdvertisement)", spec: { ads: [anAdvertisement({ serviceSelectors: [matchLabels({ app: 'db' })] })], services: [{ ...web, labels: { app: 'web' } }] }, want: ['203.0.113.10: noMatchingAdvertisement'] },
      { name: 'gives every IP of a Service the same decision', spec: { ads: [all], services: [{ name: 'dual', families: ['ipv4', 'ipv6'], ips: ['2001:db8:100::5', '203.0.113.5'], endpoints: [] }] }, want: ['203.0.113.5: noEndpoints', '2001:db8:100::5: noEndpoints'] },
      { name: 'needs every IP of a Service in one pool (MetalLB poolFor)', spec: { pools: [aPool({ name: 'blue', cidrs: ['203.0.113.0/24'] }), aPool({ name: 'green', cidrs: ['2001:db8:100::/64'] })], ads: [anAdvertisement({ pools: ['blue', 'green'] })], services: [{ name: 'dual', ips: ['203.0.113.5', '2001:db8:100::5'] }] }, want: ['203.0.113.5: ipNotAllowed', '2001:db8:100::5: ipNotAllowed'] },
    ]);
  });

  describe('LOCAL_PREF conflicts between the advertisements that match', () => {
    const lp = (name: string, localPref: number | null, extra: Parameters<typeof anAdvertisement>[0] = {}) => anAdvertisement({ name, localPref, ...extra });
    itDecides([
      { name: 'does not announce when two matching advertisements set different LOCAL_PREFs for the same peers (conflictingAdvertisements)', spec: { ads: [lp('a', 100, { serviceSelectors: [matchLabels({})] }), lp('b', 200, { serviceSelectors: [matchLabels({ app: 'web' })] })], services: [{ ...web, labels: { app: 'web' } }] }, want: ['203.0.113.10: conflictingAdvertisements'] },
      { name: 'announces when the LOCAL_PREFs are equal', spec: { ads: [lp('a', 100), lp('b', 100, { communities: ['1:1'] })], services: [web] }, want: ['203.0.113.10: announced'] },
      { name: 'announces when the advertisements name disjoint peers', spec: { ads: [lp('a', 100, { peers: ['peer-a'] }), lp('b', 200, { peers: ['peer-b'] })], services: [web] }, want: ['203.0.113.10: announced'] },
      { name: 'announces when the prefix lengths differ for the family of every IP', spec: { ads: [lp('a', 100), lp('b', 200, { aggregationLength: 24 })], services: [web] }, want: ['203.0.113.10: announced'] },
      { name: 'ignores a conflicting advertisement that does not match the Service', spec: { ads: [lp('a', 100), lp('b', 200, { serviceSelectors: [matchLabels({ app: 'db' })] })], services: [web] }, want: ['203.0.113.10: announced'] },
    ]);
  });

  describe('the node', () => {
    itDecides([
      { name: 'does not announce from a node whose network is unavailable (nodeNetworkUnavailable)', spec: { ads: [all], services: [web], nodes: [aNode('node-1', {}, true)] }, want: ['203.0.113.10: nodeNetworkUnavailable'] },
      { name: 'does not announce from a node labeled exclude-from-external-load-balancers (nodeLabeledExcludeBalancers)', spec: { ads: [all], services: [web], nodes: [aNode('node-1', { [excludeBalancersLabel]: '' })] }, want: ['203.0.113.10: nodeLabeledExcludeBalancers'] },
      { name: 'announces from an excluded node with ignoreExcludeLB', spec: { ads: [all], services: [web], nodes: [aNode('node-1', { [excludeBalancersLabel]: 'true' })], ignoreExcludeLB: true }, want: ['203.0.113.10: announced'] },
      { name: 'treats a node missing from the snapshot as a node without labels', spec: { ads: [all], services: [web], nodes: [] }, want: ['203.0.113.10: announced'] },
      { name: 'reports the network before the endpoints when both stop the announcement', spec: { ads: [all], services: [{ ...web, endpoints: [] }], nodes: [aNode('node-1', {}, true)] }, want: ['203.0.113.10: nodeNetworkUnavailable'] },
    ]);
  });

  describe('endpoints', () => {
    const local = { ...web, localSelector: { app: 'web' } };
    itDecides([
      { name: 'does not announce a Service without a ready endpoint anywhere (noEndpoints)', spec: { ads: [all], services: [{ ...web, endpoints: [{ node: 'node-2', ready: false, serving: false }] }] }, want: ['203.0.113.10: noEndpoints'] },
      { name: 'does not announce a Service without EndpointSlices (noEndpoints)', spec: { ads: [all], services: [{ ...web, endpoints: [] }] }, want: ['203.0.113.10: noEndpoints'] },
      { name: 'counts a terminating endpoint that is still serving', spec: { ads: [all], services: [{ ...web, endpoints: [{ node: 'node-2', ready: false, serving: true }] }] }, want: ['203.0.113.10: announced'] },
      { name: 'does not count a ready endpoint without addresses', spec: { ads: [all], services: [{ ...web, endpoints: [{ node: 'node-1', addresses: [] }] }] }, want: ['203.0.113.10: noEndpoints'] },
      { name: 'announces a Cluster Service from a node without local endpoints', spec: { ads: [all], services: [{ ...web, endpoints: [{ node: 'node-2' }] }] }, want: ['203.0.113.10: announced'] },
      { name: 'does not announce a Local Service from a node without a ready local endpoint (noLocalEndpoints)', spec: { ads: [all], services: [{ ...local, endpoints: [{ node: 'node-2' }, { node: 'node-1', ready: false, serving: false }] }] }, want: ['203.0.113.10: noLocalEndpoints'] },
      { name: 'announces a Local Service from a node with a ready local endpoint', spec: { ads: [all], services: [{ ...local, endpoints: [{ node: 'node-2' }, { node: 'node-1' }] }] }, want: ['203.0.113.10: announced'] },
      { name: 'does not count an endpoint without a nodeName as local', spec: { ads: [all], services: [{ ...local, endpoints: [{ node: null }] }] }, want: ['203.0.113.10: noLocalEndpoints'] },
    ]);
  });
});

describe('announceForNode: sessions and advertisements', () => {
  const peers = [aPeer({ name: 'tor-b', address: '192.0.2.2' }), aPeer({ name: 'tor-a', address: '192.0.2.1' }), aPeer({ name: 'rack-b', address: '192.0.2.3', nodeSelectors: [matchLabels({ rack: 'b' })] })];

  it('runs the sessions of peers whose nodeSelectors are empty or take the node, sorted by name', () => {
    const n = announceForNode(aSnapshot({ peers, nodes: [aNode('node-1', { rack: 'a' })] }), 'node-1');
    expect(n.sessions.map((p) => p.name)).to.deep.equal(['tor-a', 'tor-b']);
    expect(announceForNode(aSnapshot({ peers, nodes: [aNode('node-1', { rack: 'b' })] }), 'node-1').sessions.map((p) => p.name)).to.deep.equal(['rack-b', 'tor-a', 'tor-b']);
  });

  const advertised = (spec: SnapshotSpec) => {
    const first = announceForNode(aSnapshot({ peers, services: [{ name: 'dual', families: ['ipv4', 'ipv6'], ips: ['203.0.113.77', '2001:db8:100::77'] }], ...spec }), 'node-1').ips;
    return first.flatMap((e) => (e.announced ? e.advertisements : [])).map((a) => ({ ad: a.advertisement, prefix: a.prefix.text, localPref: a.localPref, communities: a.communities.map(communityText), peers: a.peers }));
  };

  it('masks each IP to the aggregation length of its family', () => {
    expect(advertised({ ads: [anAdvertisement({ aggregationLength: 24, aggregationLengthV6: 64 })] }).map((a) => a.prefix)).to.deep.equal(['203.0.113.0/24', '2001:db8:100::/64']);
  });

  it('sorts communities, standard before large, and keeps LOCAL_PREF', () => {
    const [first] = advertised({ ads: [anAdvertisement({ localPref: 120, communities: ['large:1:2:3', '65000:20', '65000:3'] })] });
    expect(first).to.include({ localPref: 120 });
    expect(first?.communities).to.deep.equal(['65000:3', '65000:20', 'large:1:2:3']);
  });

  it('sends to every session on the node when the advertisement names no peer, and to the named ones that run here otherwise', () => {
    const ads = [anAdvertisement({ name: 'to-all' }), anAdvertisement({ name: 'to-b', peers: ['tor-b', 'rack-b', 'nowhere'] })];
    expect(advertised({ ads }).filter((a) => a.prefix === '203.0.113.77/32')).to.deep.equal([
      { ad: 'to-all', prefix: '203.0.113.77/32', localPref: null, communities: [], peers: ['tor-a', 'tor-b'] },
      { ad: 'to-b', prefix: '203.0.113.77/32', localPref: null, communities: [], peers: ['tor-b'] },
    ]);
  });

  it('sends a prefix only to sessions that carry its family', () => {
    const ads = [anAdvertisement({ name: 'to-all' })];
    const v6peer = [...peers, aPeer({ name: 'tor-v6', address: '2001:db8::1' }), aPeer({ name: 'tor-dual', address: '192.0.2.9', dualStackAddressFamily: true }), aPeer({ name: 'tor-if', iface: 'eth1' })];
    expect(advertised({ ads, peers: v6peer }).map((a) => [a.prefix, a.peers])).to.deep.equal([
      ['203.0.113.77/32', ['tor-a', 'tor-b', 'tor-dual', 'tor-if']],
      ['2001:db8:100::77/128', ['tor-dual', 'tor-if', 'tor-v6']],
    ]);
  });

  it('does not depend on the order of peers, advertisements, Services or Nodes', () => {
    const ads = [anAdvertisement({ name: 'x', communities: ['1:1'] }), anAdvertisement({ name: 'y', communities: ['2:2'] })];
    const services = [web, { name: 'api', ips: ['203.0.113.11'] }];
    const a = announceForNode(aSnapshot({ peers, ads, services, nodes: [aNode('node-1'), aNode('node-2')] }), 'node-1');
    const b = announceForNode(aSnapshot({ peers: [...peers].reverse(), ads: [...ads].reverse(), services: [...services].reverse(), nodes: [aNode('node-2'), aNode('node-1')] }), 'node-1');
    expect(a).to.deep.equal(b);
  });
});
