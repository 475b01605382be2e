import { expect } from 'chai';
import { serviceKey } from '../../api/model.ts';
import { aNode, aPeer, anAdvertisement, aSnapshot, matchLabels, web } from './builders.ts';
import { summarizeBGP } from './summary.ts';

describe('summarizeBGP: the cluster-wide view for barelb plan', () => {
  const peers = [aPeer({ name: 'tor-a' }), aPeer({ name: 'tor-b', address: '192.0.2.2', nodeSelectors: [matchLabels({ rack: 'b' })] })];
  const nodes = [aNode('node-2', { rack: 'b' }), aNode('node-1', { rack: 'a' })];

  it('lists per Service each announcing node with its peers, prefixes and attributes', () => {
    const snap = aSnapshot({
      peers,
      nodes,
      ads: [anAdvertisement({ name: 'all', localPref: 100, communities: ['large:1:2:3', '65000:1'] })],
      services: [{ ...web, endpoints: [{ node: 'node-1' }] }],
    });
    expect(summarizeBGP(snap).get(serviceKey('default', 'web'))).to.deep.equal([
      { node: 'node-1', peers: ['tor-a'], prefixes: ['203.0.113.10/32'], localPref: 100, communities: ['65000:1', 'large:1:2:3'] },
      { node: 'node-2', peers: ['tor-a', 'tor-b'], prefixes: ['203.0.113.10/32'], localPref: 100, communities: ['65000:1', 'large:1:2:3'] },
    ]);
  });

  it('groups the prefixes a node sends with the same attributes to the same peers', () => {
    const snap = aSnapshot({
      peers: [aPeer({ name: 'tor-a', dualStackAddressFamily: true })],
      nodes: [aNode('node-1')],
      ads: [anAdvertisement({ name: 'host' }), anAdvertisement({ name: 'agg', aggregationLength: 24, aggregationLengthV6: 64, communities: ['1:1'] })],
      services: [{ name: 'dual', families: ['ipv4', 'ipv6'], ips: ['2001:db8:100::7', '203.0.113.7'] }],
    });
    expect(summarizeBGP(snap).get(serviceKey('default', 'dual'))).to.deep.equal([
      { node: 'node-1', peers: ['tor-a'], prefixes: ['203.0.113.0/24', '2001:db8:100::/64'], localPref: null, communities: ['1:1'] },
      { node: 'node-1', peers: ['tor-a'], prefixes: ['203.0.113.7/32', '2001:db8:100::7/128'], localPref: null, communities: [] },
    ]);
  });

  it('leaves out Services no node announces, and Nodes it does not know', () => {
    const snap = aSnapshot({ peers, nodes: [], ads: [anAdvertisement()], services: [web] });
    expect([...summarizeBGP(snap).keys()]).to.deep.equal([]);
    const none = aSnapshot({ peers, nodes, ads: [anAdvertisement()], services: [{ ...web, endpoints: [] }] });
    expect([...summarizeBGP(none).keys()]).to.deep.equal([]);
  });
});
