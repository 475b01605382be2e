import { expect } from 'chai';
import { aMetalLB, noteRows, objectRows, run, type Manifest } from './testing.ts';

const out = 'barelb-system';
const ref = (kind: string, name: string): string => `${kind}/metallb-system/${name}`;

type Row = {
  readonly name: string;
  readonly input: Manifest;
  readonly apiVersion: string;
  readonly spec: unknown;
  readonly notes: readonly [string, string][];
};

const selector = { matchLabels: { rack: 'a' }, matchExpressions: [{ key: 'zone', operator: 'In', values: ['x'] }] };

const rows: readonly Row[] = [
  {
    name: 'carries an IPAddressPool over field by field',
    input: aMetalLB('IPAddressPool', 'p', { addresses: ['192.0.2.0/28', '192.0.2.100 - 192.0.2.110'], autoAssign: false, avoidBuggyIPs: true, serviceAllocation: { priority: 50, namespaces: ['a'], namespaceSelectors: [selector], serviceSelectors: [selector] } }),
    apiVersion: 'barelb.io/v1beta1',
    spec: { addresses: ['192.0.2.0/28', '192.0.2.100 - 192.0.2.110'], autoAssign: false, avoidBuggyIPs: true, serviceAllocation: { priority: 50, namespaces: ['a'], namespaceSelectors: [selector], serviceSelectors: [selector] } },
    notes: [],
  },
  {
    name: 'carries an L2Advertisement over, preferred nodes included',
    input: aMetalLB('L2Advertisement', 'l2', { ipAddressPools: ['p'], ipAddressPoolSelectors: [selector], nodeSelectors: [selector], interfaces: ['eth0'], serviceSelectors: [selector], preferredNodeSelectors: [{ weight: 10, preference: selector }] }),
    apiVersion: 'barelb.io/v1beta1',
    spec: { ipAddressPools: ['p'], ipAddressPoolSelectors: [selector], nodeSelectors: [selector], interfaces: ['eth0'], serviceSelectors: [selector], preferredNodeSelectors: [{ weight: 10, preference: selector }] },
    notes: [],
  },
  {
    name: 'carries a BGPAdvertisement over',
    input: aMetalLB('BGPAdvertisement', 'b', { aggregationLength: 24, aggregationLengthV6: 64, localPref: 150, communities: ['NO_ADVERTISE', 'large:1:2:3'], ipAddressPools: ['p'], peers: ['tor'], nodeSelectors: [selector] }),
    apiVersion: 'barelb.io/v1beta1',
    spec: { aggregationLength: 24, aggregationLengthV6: 64, localPref: 150, communities: ['NO_ADVERTISE', 'large:1:2:3'], ipAddressPools: ['p'], peers: ['tor'], nodeSelectors: [selector] },
    notes: [],
  },
  {
    name: 'carries a v1beta2 BGPPeer over with every v1beta2 field',
    input: aMetalLB('BGPPeer', 'tor', { myASN: 64512, dynamicASN: 'external', localASN: 64000, interface: 'eth1', sourceAddress: '10.0.0.5', peerPort: 1179, holdTime: '90s', keepaliveTime: '30s', connectTime: '5s', routerID: '10.0.0.5', nodeSelectors: [selector], password: 'pw', bfdProfile: 'fast', enableGracefulRestart: true, ebgpMultiHop: true, vrf: 'red', dualStackAddressFamily: true }),
    apiVersion: 'barelb.io/v1beta2',
    spec: { myASN: 64512, dynamicASN: 'external', localASN: 64000, interface: 'eth1', sourceAddress: '10.0.0.5', peerPort: 1179, holdTime: '90s', keepaliveTime: '30s', connectTime: '5s', routerID: '10.0.0.5', nodeSelectors: [selector], password: 'pw', bfdProfile: 'fast', enableGracefulRestart: true, ebgpMultiHop: true, vrf: 'red', dualStackAddressFamily: true },
    notes: [],
  },
  {
    name: 'writes a v1beta1 BGPPeer as v1beta2 with the same fields',
    input: aMetalLB('BGPPeer', 'old', { myASN: 64512, peerASN: 64513, peerAddress: '10.0.0.1', holdTime: '9s', keepaliveTime: '3s', ebgpMultiHop: true }, 'v1beta1'),
    apiVersion: 'barelb.io/v1beta2',
    spec: { myASN: 64512, peerASN: 64513, peerAddress: '10.0.0.1', holdTime: '9s', keepaliveTime: '3s', ebgpMultiHop: true },
    notes: [['peer-v1beta1', 'apiVersion']],
  },
  {
    name: 'drops the port 0 of a v1beta1 BGPPeer, which meant the default',
    input: aMetalLB('BGPPeer', 'old', { myASN: 64512, peerASN: 64513, peerAddress: '10.0.0.1', peerPort: 0 }, 'v1beta1'),
    apiVersion: 'barelb.io/v1beta2',
    spec: { myASN: 64512, peerASN: 64513, peerAddress: '10.0.0.1' },
    notes: [['peer-v1beta1', 'apiVersion'], ['peer-v1beta1', 'spec.peerPort']],
  },
  {
    name: 'leaves out a v1beta2-only field of a v1beta1 BGPPeer, which the API server pruned',
    input: aMetalLB('BGPPeer', 'old', { myASN: 64512, peerASN: 64513, peerAddress: '10.0.0.1', vrf: 'red' }, 'v1beta1'),
    apiVersion: 'barelb.io/v1beta2',
    spec: { myASN: 64512, peerASN: 64513, peerAddress: '10.0.0.1' },
    notes: [['unknown-field', 'spec.vrf'], ['peer-v1beta1', 'apiVersion']],
  },
  {
    name: 'drops disableMP, which has no effect',
    input: aMetalLB('BGPPeer', 'tor', { myASN: 64512, peerASN: 64513, peerAddress: '10.0.0.1', disableMP: true }),
    apiVersion: 'barelb.io/v1beta2',
    spec: { myASN: 64512, peerASN: 64513, peerAddress: '10.0.0.1' },
    notes: [['no-effect-field', 'spec.disableMP']],
  },
  {
    name: 'lets the passwordSecret follow the peer when it named MetalLB\'s namespace',
    input: aMetalLB('BGPPeer', 'tor', { myASN: 64512, peerASN: 64513, peerAddress: '10.0.0.1', passwordSecret: { name: 's', namespace: 'metallb-system' } }),
    apiVersion: 'barelb.io/v1beta2',
    spec: { myASN: 64512, peerASN: 64513, peerAddress: '10.0.0.1', passwordSecret: { name: 's' } },
    notes: [['secret-not-found', 'spec.passwordSecret']],
  },
  {
    name: 'leaves out misspelled fields, also nested ones, naming each',
    input: aMetalLB('IPAddressPool', 'p', { adresses: ['192.0.2.0/28'], addresses: ['192.0.2.16/28'], serviceAllocation: { priorty: 1, serviceSelectors: [{ matchLabel: { a: 'b' } }] } }),
    apiVersion: 'barelb.io/v1beta1',
    spec: { addresses: ['192.0.2.16/28'], serviceAllocation: { serviceSelectors: [{}] } },
    notes: [['unknown-field', 'spec.adresses'], ['unknown-field', 'spec.serviceAllocation.priorty'], ['unknown-field', 'spec.serviceAllocation.serviceSelectors[0].matchLabel']],
  },
  {
    name: 'keeps values of the wrong type as written, for barelb plan to report',
    input: aMetalLB('BFDProfile', 'b', { receiveInterval: 'fast', echoMode: 'yes' }),
    apiVersion: 'barelb.io/v1beta1',
    spec: { receiveInterval: 'fast', echoMode: 'yes' },
    notes: [],
  },
  {
    name: 'carries a Community over',
    input: aMetalLB('Community', 'c', { communities: [{ name: 'NO_ADVERTISE', value: '65535:65282' }] }),
    apiVersion: 'barelb.io/v1beta1',
    spec: { communities: [{ name: 'NO_ADVERTISE', value: '65535:65282' }] },
    notes: [],
  },
];

describe('migrate: metallb.io custom resources', () => {
  for (const row of rows) {
    it(row.name, () => {
      const r = run([row.input]);
      const name = String((row.input['metadata'] as Manifest)['name']);
      expect(objectRows(r)).to.deep.equal([[row.apiVersion, row.input['kind'], `${out}/${name}`, row.spec]]);
      expect(noteRows(r)).to.deep.equal(row.notes.map(([code, field]) => [code, ref(String(row.input['kind']), name), field]));
    });
  }

  it('keeps labels and annotations, drops what the API server wrote and the last-applied copy', () => {
    const input = {
      ...aMetalLB('IPAddressPool', 'p', { addresses: ['192.0.2.0/28'] }),
      metadata: {
        name: 'p', namespace: 'metallb-system', labels: { tier: 'public' }, uid: 'u', resourceVersion: '1', generation: 2, creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{}],
        annotations: { note: 'keep', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      },
      status: { assignedIPv4: 1 },
    };
    const r = run([input]);
    expect(r.objects).to.deep.equal([{ apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p', namespace: out, labels: { tier: 'public' }, annotations: { note: 'keep' } }, spec: { addresses: ['192.0.2.0/28'] } }]);
    expect(r.notes).to.deep.equal([]);
  });

  it('drops owner references and finalizers, which would tie the object to MetalLB', () => {
    const input = { ...aMetalLB('Community', 'c', { communities: [] }), metadata: { name: 'c', namespace: 'metallb-system', ownerReferences: [{ kind: 'MetalLB', name: 'metallb' }], finalizers: ['x'] } };
    const r = run([input]);
    expect(noteRows(r)).to.deep.equal([['metadata-dropped', ref('Community', 'c'), 'metadata.finalizers'], ['metadata-dropped', ref('Community', 'c'), 'metadata.ownerReferences']]);
    expect(r.objects[0]?.['metadata']).to.deep.equal({ name: 'c', namespace: out });
  });

  it('writes the configuration into the namespace given with --namespace', () => {
    const r = run([aMetalLB('IPAddressPool', 'p', { addresses: ['192.0.2.0/28'] })], 'lb');
    expect(objectRows(r)[0]?.[2]).to.equal('lb/p');
    expect(r.summary.targetNamespace).to.equal('lb');
  });

  it('reports top-level fields that are not part of a Kubernetes object', () => {
    const r = run([{ ...aMetalLB('BFDProfile', 'b', {}), specs: {} }]);
    expect(noteRows(r)).to.deep.equal([['unknown-field', ref('BFDProfile', 'b'), 'specs']]);
    expect(r.objects[0]).to.not.have.property('specs');
  });
});
