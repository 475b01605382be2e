import { expect } from 'chai';
import { parseInput } from './input.ts';
import { aBFDProfile, aBGPAdvertisement, aCommunity, aNode, aPeer, aPool, expectError, itReportsEach, parseClean, ref } from './test-builders.ts';

const ad = ref('BGPAdvertisement', 'bgp');
const adB = ref('BGPAdvertisement', 'bgp-b');
const v6Pool = aPool({ name: 'v6', spec: { addresses: ['2001:db8::/120'] } });

describe('BGPAdvertisement validation', () => {
  itReportsEach([
    { name: 'rejects aggregationLength 0', objects: [aBGPAdvertisement({ spec: { aggregationLength: 0 } })], object: ad, field: 'spec.aggregationLength', message: 'must be 1..32' },
    { name: 'rejects aggregationLength above 32', objects: [aBGPAdvertisement({ spec: { aggregationLength: 33 } })], object: ad, field: 'spec.aggregationLength', message: 'must be 1..32' },
    { name: 'rejects aggregationLengthV6 above 128', objects: [aBGPAdvertisement({ spec: { aggregationLengthV6: 129 } })], object: ad, field: 'spec.aggregationLengthV6', message: 'must be 1..128' },
    {
      name: 'rejects an aggregation shorter than a pool prefix it applies to',
      objects: [aPool({ spec: { addresses: ['192.0.2.0/26'] } }), aBGPAdvertisement({ spec: { aggregationLength: 24 } })],
      object: ad,
      field: 'spec.aggregationLength',
      message: 'aggregation length 24 is shorter than /26 of "192.0.2.0/26" (spec.addresses[0] of IPAddressPool "blue")',
    },
    {
      name: 'rejects an IPv6 aggregation shorter than an IPv6 pool prefix',
      objects: [v6Pool, aBGPAdvertisement({ spec: { aggregationLengthV6: 64 } })],
      object: ad,
      field: 'spec.aggregationLengthV6',
      message: 'shorter than /120',
    },
    { name: 'rejects serviceSelectors with a non-default aggregation', objects: [aBGPAdvertisement({ spec: { aggregationLength: 24, serviceSelectors: [{ matchLabels: { a: 'b' } }] } })], object: ad, field: 'spec.serviceSelectors', message: 'default aggregation lengths' },
    { name: 'rejects a community with a number out of range', objects: [aBGPAdvertisement({ spec: { communities: ['65536:1'] } })], object: ad, field: 'spec.communities[0]', message: '"65536" must be a number 0..65535', transient: false },
    { name: 'rejects a large community with a bad part', objects: [aBGPAdvertisement({ spec: { communities: ['large:1:x:3'] } })], object: ad, field: 'spec.communities[0]', message: 'must be a number 0..4294967295', transient: false },
    { name: 'reports an unknown alias as transient', objects: [aBGPAdvertisement({ spec: { communities: ['no-such-alias'] } })], object: ad, field: 'spec.communities[0]', message: 'neither a community value nor a known Community alias', transient: true },
    { name: 'rejects a duplicate community', objects: [aBGPAdvertisement({ spec: { communities: ['65000:1', '65000:1'] } })], object: ad, field: 'spec.communities[1]', message: 'duplicate community' },
    { name: 'rejects an alias that duplicates a literal', objects: [aCommunity(), aBGPAdvertisement({ spec: { communities: ['65535:65281', 'no-export'] } })], object: ad, field: 'spec.communities[1]', message: 'duplicate community "no-export"' },
    { name: 'rejects more than 63 communities', objects: [aBGPAdvertisement({ spec: { communities: Array.from({ length: 64 }, (_, i) => `65000:${i}`) } })], object: ad, field: 'spec.communities', message: 'at most 63' },
    { name: 'rejects a duplicate pool name', objects: [aBGPAdvertisement({ spec: { ipAddressPools: ['blue', 'blue'] } })], object: ad, field: 'spec.ipAddressPools[1]', message: 'duplicate definition' },
    { name: 'rejects a duplicate peer name', objects: [aBGPAdvertisement({ spec: { peers: ['p', 'p'] } })], object: ad, field: 'spec.peers[1]', message: 'duplicate definition' },
    { name: 'rejects a duplicate node selector', objects: [aBGPAdvertisement({ spec: { nodeSelectors: [{ matchLabels: { a: 'b' } }, { matchLabels: { a: 'b' } }] } })], object: ad, field: 'spec.nodeSelectors[1]', message: 'duplicate definition' },
    { name: 'rejects a localPref above 32 bits', objects: [aBGPAdvertisement({ spec: { localPref: 2 ** 32 } })], object: ad, field: 'spec.localPref', message: 'out of range' },
    {
      name: 'rejects two identical advertisements',
      objects: [aBGPAdvertisement({ spec: { localPref: 100 } }), aBGPAdvertisement({ name: 'bgp-b', spec: { localPref: 100 } })],
      object: adB,
      field: 'spec',
      message: 'duplicate definition of bgpadvertisements: same spec as BGPAdvertisement "bgp"',
    },
    {
      name: 'rejects different localPref for the same pool, peers and nodes',
      objects: [aPool(), aBGPAdvertisement({ spec: { localPref: 100 } }), aBGPAdvertisement({ name: 'bgp-b', spec: { localPref: 200, communities: ['65000:1'] } })],
      object: adB,
      field: 'spec.localPref',
      message: 'localPref 200 conflicts with localPref 100 of BGPAdvertisement "bgp" for IPAddressPool "blue"',
    },
    {
      name: 'rejects an IPv6 pool announced to a peer with BFD echo mode',
      objects: [v6Pool, aPeer({ spec: { bfdProfile: 'fast' } }), aBFDProfile({ spec: { echoMode: true } }), aBGPAdvertisement()],
      object: ad,
      field: 'spec',
      message: 'BFD echo mode does not work with IPv6',
    },
  ]);
});

describe('BGPAdvertisement LOCAL_PREF compatibility', () => {
  const pool = aPool({ spec: { addresses: ['192.0.2.0/24'] } });
  const rows = [
    { name: 'different aggregation for every family of the pool', a: { localPref: 100, aggregationLength: 32 }, b: { localPref: 200, aggregationLength: 28 }, nodes: [] },
    { name: 'disjoint peer lists', a: { localPref: 100, peers: ['p1'] }, b: { localPref: 200, peers: ['p2'] }, nodes: [] },
    { name: 'disjoint node sets', a: { localPref: 100, nodeSelectors: [{ matchLabels: { rack: '1' } }] }, b: { localPref: 200, nodeSelectors: [{ matchLabels: { rack: '2' } }] }, nodes: [aNode('n1', { rack: '1' }), aNode('n2', { rack: '2' })] },
    { name: 'service selectors (checked per Service at runtime)', a: { localPref: 100 }, b: { localPref: 200, serviceSelectors: [{ matchLabels: { app: 'x' } }] }, nodes: [] },
  ];
  for (const row of rows) {
    it(`accepts different localPref with ${row.name}`, () => {
      const parsed = parseInput([pool, aBGPAdvertisement({ spec: row.a }), aBGPAdvertisement({ name: 'bgp-b', spec: row.b }), ...row.nodes]);
      expect(parsed.errors.filter((e) => e.field === 'spec.localPref')).to.deep.equal([]);
    });
  }

  it('rejects different localPref when node selectors are set but no Nodes are known', () => {
    const a = { localPref: 100, nodeSelectors: [{ matchLabels: { rack: '1' } }] };
    const b = { localPref: 200, nodeSelectors: [{ matchLabels: { rack: '2' } }] };
    expectError(parseInput([pool, aBGPAdvertisement({ spec: a }), aBGPAdvertisement({ name: 'bgp-b', spec: b })]), { object: adB, field: 'spec.localPref', message: 'conflicts' });
  });
});

describe('BGPAdvertisement model', () => {
  it('applies to every pool when it names and selects none', () => {
    const { config } = parseClean([aPool(), v6Pool, aBGPAdvertisement()]);
    expect(config.bgpAdvertisements[0]).to.deep.include({ pools: ['blue', 'v6'], aggregationLength: 32, aggregationLengthV6: 128, localPref: null, peers: { kind: 'all' } });
  });

  it('resolves pools by name and by label selector, each once', () => {
    const objects = [aPool({ labels: { tier: 'gold' } }), v6Pool, aPool({ name: 'red', spec: { addresses: ['10.0.0.0/24'] } }), aBGPAdvertisement({ spec: { ipAddressPools: ['blue', 'v6'], ipAddressPoolSelectors: [{ matchLabels: { tier: 'gold' } }] } })];
    expect(parseClean(objects).config.bgpAdvertisements[0]?.pools).to.deep.equal(['blue', 'v6']);
  });

  it('warns about unknown pool and peer names and ignores them', () => {
    const parsed = parseClean([aPool(), aBGPAdvertisement({ spec: { ipAddressPools: ['nope'], peers: ['ghost'] } })]);
    expect(parsed.config.bgpAdvertisements[0]?.pools).to.deep.equal([]);
    expect(parsed.warnings.map((w) => `${w.field}: ${w.message}`)).to.deep.equal([
      'spec.ipAddressPools[0]: no IPAddressPool named "nope"; ignored',
      'spec.peers[0]: no BGPPeer named "ghost"; nothing is announced to it',
    ]);
  });

  it('resolves community aliases through Community objects and parses literals', () => {
    const { config } = parseClean([aCommunity(), aBGPAdvertisement({ spec: { communities: ['no-export', '65000:7', 'large:1:2:3'] } })]);
    expect(config.bgpAdvertisements[0]?.communities).to.deep.equal([
      { kind: 'standard', high: 65535, low: 65281 },
      { kind: 'standard', high: 65000, low: 7 },
      { kind: 'large', a: 1, b: 2, c: 3 },
    ]);
  });
});
