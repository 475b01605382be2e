import { expect } from 'chai';
import { aLegacyConfigMap, aService, noteRows, objectRows, run, type Manifest } from './testing.ts';

const cm = 'ConfigMap/metallb-system/config';
const out = 'barelb-system';
const v1 = 'barelb.io/v1beta1';
const v2 = 'barelb.io/v1beta2';

type Row = {
  readonly name: string;
  readonly config: Manifest | string;
  readonly objects: readonly [unknown, unknown, string, unknown][];
  /** Notes other than legacy-converted, which every readable ConfigMap gets. */
  readonly notes: readonly [string, string][];
};

const rows: readonly Row[] = [
  {
    name: 'turns a layer2 pool into an IPAddressPool and an L2Advertisement naming it',
    config: { 'address-pools': [{ name: 'default', protocol: 'layer2', addresses: ['192.168.1.240-192.168.1.250'] }] },
    objects: [
      [v1, 'IPAddressPool', `${out}/default`, { addresses: ['192.168.1.240-192.168.1.250'] }],
      [v1, 'L2Advertisement', `${out}/l2advertisement1`, { ipAddressPools: ['default'] }],
    ],
    notes: [],
  },
  {
    name: 'gives a bgp pool without advertisements the default one (/32 to every peer)',
    config: { 'address-pools': [{ name: 'default', protocol: 'bgp', addresses: ['192.168.10.0/24'], 'avoid-buggy-ips': true, 'auto-assign': false }] },
    objects: [
      [v1, 'IPAddressPool', `${out}/default`, { addresses: ['192.168.10.0/24'], avoidBuggyIPs: true, autoAssign: false }],
      [v1, 'BGPAdvertisement', `${out}/bgpadvertisement1`, { ipAddressPools: ['default'] }],
    ],
    notes: [],
  },
  {
    name: 'writes one BGPAdvertisement per bgp-advertisements entry, renaming the keys',
    config: {
      'address-pools': [{
        name: 'default', protocol: 'bgp', addresses: ['198.51.100.0/24'],
        'bgp-advertisements': [{ 'aggregation-length': 32, 'aggregation-length-v6': 128, localpref: 100, communities: ['no-advertise'] }, { 'aggregation-length': 24 }],
      }],
      'bgp-communities': { 'no-advertise': '65535:65282', 'a-first': '64512:1' },
    },
    objects: [
      [v1, 'IPAddressPool', `${out}/default`, { addresses: ['198.51.100.0/24'] }],
      [v1, 'BGPAdvertisement', `${out}/bgpadvertisement1`, { ipAddressPools: ['default'], aggregationLength: 32, aggregationLengthV6: 128, localPref: 100, communities: ['no-advertise'] }],
      [v1, 'BGPAdvertisement', `${out}/bgpadvertisement2`, { ipAddressPools: ['default'], aggregationLength: 24 }],
      [v1, 'Community', `${out}/communities`, { communities: [{ name: 'a-first', value: '64512:1' }, { name: 'no-advertise', value: '65535:65282' }] }],
    ],
    notes: [],
  },
  {
    name: 'writes peers as v1beta2 BGPPeers, with the 90s hold time MetalLB used when none is set',
    config: {
      peers: [
        { 'peer-address': '10.0.0.1', 'peer-asn': 64501, 'my-asn': 64500, 'node-selectors': [{ 'match-labels': { rack: 'frontend' }, 'match-expressions': [{ key: 'network-speed', operator: 'NotIn', values: ['slow'] }] }] },
        { 'peer-address': '10.0.0.2', 'peer-asn': 64501, 'my-asn': 64500, 'peer-port': 0, 'hold-time': '120s', 'keepalive-time': '30s', 'router-id': '10.0.0.100', 'source-address': '10.0.0.5', password: 'pw', 'ebgp-multihop': true },
      ],
    },
    objects: [
      [v2, 'BGPPeer', `${out}/peer1`, { peerAddress: '10.0.0.1', peerASN: 64501, myASN: 64500, nodeSelectors: [{ matchLabels: { rack: 'frontend' }, matchExpressions: [{ key: 'network-speed', operator: 'NotIn', values: ['slow'] }] }], holdTime: '90s' }],
      [v2, 'BGPPeer', `${out}/peer2`, { peerAddress: '10.0.0.2', peerASN: 64501, myASN: 64500, holdTime: '120s', keepaliveTime: '30s', routerID: '10.0.0.100', sourceAddress: '10.0.0.5', password: 'pw', ebgpMultiHop: true }],
    ],
    notes: [['legacy-default', 'data.config.peers[0].hold-time']],
  },
  {
    name: 'writes BFD profiles and makes invalid names valid, following the references',
    config: {
      'bfd-profiles': [{ name: 'Full_BFD', 'receive-interval': 280, 'transmit-interval': 270, 'echo-interval': 62, 'echo-mode': false, 'passive-mode': true, 'minimum-ttl': 254, 'detect-multiplier': 5 }],
      peers: [{ 'peer-address': '10.0.0.1', 'peer-asn': 64501, 'my-asn': 64500, 'hold-time': '9s', 'bfd-profile': 'Full_BFD' }],
    },
    objects: [
      [v1, 'BFDProfile', `${out}/full-bfd`, { receiveInterval: 280, transmitInterval: 270, echoInterval: 62, echoMode: false, passiveMode: true, minimumTtl: 254, detectMultiplier: 5 }],
      [v2, 'BGPPeer', `${out}/peer1`, { peerAddress: '10.0.0.1', peerASN: 64501, myASN: 64500, holdTime: '9s', bfdProfile: 'full-bfd' }],
    ],
    notes: [['name-changed', 'data.config.bfd-profiles[0].name']],
  },
  {
    name: 'converts a pool with an unknown protocol without an advertisement, and says so',
    config: { 'address-pools': [{ name: 'my-l2-space', protocol: 'l2', addresses: ['192.168.11.0/24'] }] },
    objects: [[v1, 'IPAddressPool', `${out}/my-l2-space`, { addresses: ['192.168.11.0/24'] }]],
    notes: [['legacy-invalid', 'data.config.address-pools[0].protocol']],
  },
  {
    name: 'leaves out BGP advertisements of a layer2 pool, which MetalLB rejected',
    config: { 'address-pools': [{ name: 'l2', protocol: 'layer2', addresses: ['192.168.11.0/24'], 'bgp-advertisements': [{ 'aggregation-length': 24 }] }] },
    objects: [
      [v1, 'IPAddressPool', `${out}/l2`, { addresses: ['192.168.11.0/24'] }],
      [v1, 'L2Advertisement', `${out}/l2advertisement1`, { ipAddressPools: ['l2'] }],
    ],
    notes: [['legacy-invalid', 'data.config.address-pools[0].bgp-advertisements']],
  },
  {
    name: 'reports unknown keys and pre-0.7 spellings instead of guessing',
    config: { 'address-pools': [{ name: 'old', protocol: 'bgp', cidr: ['198.51.100.0/24'] }], protocol: 'bgp' },
    objects: [
      [v1, 'IPAddressPool', `${out}/old`, {}],
      [v1, 'BGPAdvertisement', `${out}/bgpadvertisement1`, { ipAddressPools: ['old'] }],
    ],
    notes: [['unknown-field', 'data.config.address-pools[0].cidr'], ['unknown-field', 'data.config.protocol']],
  },
  {
    name: 'reports peer autodiscovery, which has no barelb equivalent',
    config: { 'peer-autodiscovery': { 'from-labels': [{ 'peer-address': 'example.com/peer' }] } },
    objects: [],
    notes: [['no-equivalent', 'data.config.peer-autodiscovery']],
  },
  {
    name: 'leaves out entries MetalLB rejected: a pool without a name, a non-list, a non-entry',
    config: { 'address-pools': [{ protocol: 'layer2', addresses: ['192.0.2.0/24'] }, 'junk'], peers: { 'peer-address': '10.0.0.1' }, 'bgp-communities': ['x'] },
    objects: [],
    notes: [
      ['legacy-invalid', 'data.config.address-pools[0].name'],
      ['legacy-invalid', 'data.config.address-pools[1]'],
      ['legacy-invalid', 'data.config.bgp-communities'],
      ['legacy-invalid', 'data.config.peers'],
    ],
  },
];

describe('migrate: the legacy ConfigMap', () => {
  for (const row of rows) {
    it(row.name, () => {
      const r = run([aLegacyConfigMap(row.config)]);
      expect(objectRows(r)).to.deep.equal(row.objects);
      const notes = noteRows(r).filter(([code]) => code !== 'legacy-converted');
      expect(notes).to.deep.equal(row.notes.map(([code, field]) => [code, cm, field]));
      expect(noteRows(r)).to.deep.include(['legacy-converted', cm, 'data.config']);
    });
  }

  it('renames the pool in the address-pool annotation of the Services that name it', () => {
    const config = { 'address-pools': [{ name: 'Production_Public', protocol: 'layer2', addresses: ['203.0.113.0/28'] }] };
    const r = run([aService('shop', { 'metallb.universe.tf/address-pool': 'Production_Public' }), aLegacyConfigMap(config)]);
    const service = r.objects[0] as { metadata: { annotations: Record<string, string> } };
    expect(service.metadata.annotations).to.deep.equal({ 'barelb.io/address-pool': 'production-public' });
    expect(noteRows(r)).to.deep.include(['name-changed', 'Service/default/shop', 'metadata.annotations["metallb.universe.tf/address-pool"]']);
  });

  it('numbers generated names past the names the input already uses', () => {
    const taken = { apiVersion: 'metallb.io/v1beta1', kind: 'L2Advertisement', metadata: { name: 'l2advertisement1', namespace: 'metallb-system' }, spec: {} };
    const r = run([taken, aLegacyConfigMap({ 'address-pools': [{ name: 'a', protocol: 'layer2', addresses: ['192.0.2.0/28'] }] })]);
    expect(objectRows(r).map((o) => o[2])).to.deep.equal([`${out}/l2advertisement1`, `${out}/a`, `${out}/l2advertisement2`]);
  });

  it('gives two names that sanitise alike different object names', () => {
    const r = run([aLegacyConfigMap({ 'bfd-profiles': [{ name: 'Fast_1' }, { name: 'fast 1' }] })]);
    expect(objectRows(r).map((o) => o[2])).to.deep.equal([`${out}/fast-1`, `${out}/fast-1-2`]);
  });

  it('passes an unreadable MetalLB ConfigMap through and says nothing was converted', () => {
    const broken = aLegacyConfigMap('address-pools: [unclosed\n');
    const r = run([broken]);
    expect(r.objects).to.deep.equal([broken]);
    expect(noteRows(r)).to.deep.equal([['legacy-unreadable', cm, 'data.config']]);
    expect(r.incomplete).to.equal(true);
  });

  it('leaves other ConfigMaps with a config key alone', () => {
    const other = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config', namespace: 'my-app' }, data: { config: 'peers: 3\nlog: debug\n' } };
    const r = run([other]);
    expect(r.objects).to.deep.equal([other]);
    expect(r.notes).to.deep.equal([]);
  });

  it('converts a ConfigMap with any name (Helm called it metallb-config) when its config is MetalLB\'s', () => {
    const r = run([aLegacyConfigMap({ 'address-pools': [{ name: 'p', protocol: 'layer2', addresses: ['192.0.2.0/28'] }] }, 'metallb-config')]);
    expect(objectRows(r).map((o) => o[1])).to.deep.equal(['IPAddressPool', 'L2Advertisement']);
  });
});
