import { expect } from 'chai';
import fc from 'fast-check';
import { parseInput, type ParsedInput } from './input.ts';
import { aBFDProfile, aBGPAdvertisement, aCommunity, aNamespace, aNode, aPeer, aPool, aService, anL2Advertisement, expectError, parseClean, ref, type Manifest } from './test-builders.ts';
import { canonicalJson } from './wire.ts';

describe('parseInput dispatch', () => {
  it('accepts every kind under metallb.io as under barelb.io', () => {
    const metallb = (m: Manifest): Manifest => ({ ...m, apiVersion: String(m['apiVersion']).replace('barelb.io', 'metallb.io') });
    const parsed = parseClean([aPool(), anL2Advertisement(), aBGPAdvertisement(), aPeer(), aBFDProfile(), aCommunity()].map(metallb));
    expect(parsed.config.pools).to.have.length(1);
    expect(parsed.config.l2Advertisements).to.have.length(1);
    expect(parsed.config.bgpAdvertisements).to.have.length(1);
    expect(parsed.config.bgpPeers).to.have.length(1);
    expect(parsed.config.bfdProfiles).to.have.length(1);
    expect(parsed.config.communities.size).to.equal(1);
    expect(parsed.warnings).to.deep.equal([]);
  });

  it('flattens a v1 List, also nested', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [aPool(), { apiVersion: 'v1', kind: 'List', items: [aService()] }] };
    const parsed = parseClean([list]);
    expect(parsed.config.pools.map((p) => p.name)).to.deep.equal(['blue']);
    expect(parsed.services.map((s) => s.key)).to.deep.equal(['default/web']);
  });

  it('ignores kinds it does not read with a warning', () => {
    const parsed = parseClean([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'y' } }, { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'k' } }]);
    expect(parsed.warnings).to.deep.equal([
      { object: 'Deployment/y/x', field: 'kind', message: 'ignored: not a kind barelb reads' },
      { object: 'Service/k', field: 'kind', message: 'ignored: not a kind barelb reads' },
    ]);
  });

  const rows = [
    { name: 'rejects an unsupported version of a barelb kind', objects: [aPool({ apiVersion: 'barelb.io/v1' })], object: ref('IPAddressPool', 'blue'), field: 'apiVersion', message: '"barelb.io/v1" is not supported for IPAddressPool; use barelb.io/v1beta1 or metallb.io/v1beta1' },
    { name: 'rejects a barelb kind under a foreign group', objects: [aPeer({ apiVersion: 'example.com/v1beta2' })], object: ref('BGPPeer', 'peer-a'), field: 'apiVersion', message: 'is not supported for BGPPeer' },
    { name: 'rejects a known kind without apiVersion', objects: [{ kind: 'Node', metadata: { name: 'n' } }], object: 'Node/n', field: 'apiVersion', message: 'is required' },
    { name: 'rejects an unsupported EndpointSlice version', objects: [{ apiVersion: 'discovery.k8s.io/v1beta1', kind: 'EndpointSlice', metadata: { name: 'e', namespace: 'd' } }], object: 'EndpointSlice/d/e', field: 'apiVersion', message: 'use discovery.k8s.io/v1' },
    { name: 'rejects an object without kind', objects: [{ apiVersion: 'v1', metadata: { name: 'x' } }], object: '(no kind)/x', field: 'kind', message: 'is required' },
    { name: 'rejects an object without metadata.name', objects: [{ apiVersion: 'barelb.io/v1beta1', kind: 'BFDProfile', metadata: { namespace: 'barelb-system' } }], object: 'BFDProfile/barelb-system/(unnamed)', field: 'metadata.name', message: 'is required' },
    { name: 'rejects an object without metadata', objects: [{ apiVersion: 'v1', kind: 'Namespace' }], object: 'Namespace/(unnamed)', field: 'metadata', message: 'is required' },
    { name: 'rejects a document that is not an object', objects: ['IPAddressPool'], object: '(document)', field: '', message: 'is not a Kubernetes object: "IPAddressPool"' },
    { name: 'rejects a spec that is not an object', objects: [{ ...aPeer(), spec: [1] }], object: ref('BGPPeer', 'peer-a'), field: 'spec', message: 'must be an object, not a list' },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expectError(parseInput(row.objects), row);
    });
  }

  it('skips empty documents silently', () => {
    const parsed = parseInput([null, undefined, aPool()]);
    expect(parsed.errors).to.deep.equal([]);
    expect(parsed.warnings).to.deep.equal([]);
  });

  it('warns about unknown spec fields', () => {
    const parsed = parseInput([aPeer({ spec: { peerAdress: '1.2.3.4' } })]);
    expect(parsed.warnings).to.deep.equal([{ object: ref('BGPPeer', 'peer-a'), field: 'spec.peerAdress', message: 'unknown field, ignored' }]);
  });
});

describe('parseInput reports every error at once', () => {
  it('lists the errors of all objects, sorted by object then field', () => {
    const parsed = parseInput([
      aPool({ name: 'red', spec: { addresses: ['10.0.0.0/33', 'x'], autoAssign: 'no' } }),
      aPeer({ spec: { myASN: 0, peerPort: 0, password: 'a b' } }),
      aBFDProfile({ spec: { detectMultiplier: 1 } }),
    ]);
    expect(parsed.errors.map((e) => `${e.object} ${e.field}`)).to.deep.equal([
      'BFDProfile/barelb-system/fast spec.detectMultiplier',
      'BGPPeer/barelb-system/peer-a spec.myASN',
      'BGPPeer/barelb-system/peer-a spec.password',
      'BGPPeer/barelb-system/peer-a spec.peerPort',
      'IPAddressPool/barelb-system/red spec.addresses[0]',
      'IPAddressPool/barelb-system/red spec.addresses[1]',
      'IPAddressPool/barelb-system/red spec.autoAssign',
    ]);
  });
});

describe('label selectors', () => {
  const pool = (selector: unknown): Manifest => aPool({ spec: { serviceAllocation: { serviceSelectors: [selector] } } });
  const field = 'spec.serviceAllocation.serviceSelectors[0]';
  const rows = [
    { name: 'rejects an unknown operator', selector: { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['b'] }] }, field: `${field}.matchExpressions[0].operator`, message: 'use one of In, NotIn, Exists, DoesNotExist' },
    { name: 'rejects In without values', selector: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, field: `${field}.matchExpressions[0].values`, message: 'operator In needs at least one value' },
    { name: 'rejects Exists with values', selector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['b'] }] }, field: `${field}.matchExpressions[0].values`, message: 'operator Exists takes no values' },
    { name: 'rejects an expression without key', selector: { matchExpressions: [{ operator: 'Exists' }] }, field: `${field}.matchExpressions[0].key`, message: 'is required' },
    { name: 'rejects a label key with a space', selector: { matchLabels: { 'my app': 'x' } }, field: `${field}.matchLabels.my app`, message: 'label key "my app" is invalid' },
    { name: 'rejects a label key with an upper-case prefix', selector: { matchLabels: { 'Example.com/app': 'x' } }, field: `${field}.matchLabels.Example.com/app`, message: 'invalid prefix' },
    { name: 'rejects a label value with a newline', selector: { matchLabels: { app: 'x\n' } }, field: `${field}.matchLabels.app`, message: 'label value "x\\n" is invalid' },
    { name: 'rejects a label value longer than 63', selector: { matchExpressions: [{ key: 'a', operator: 'In', values: ['v'.repeat(64)] }] }, field: `${field}.matchExpressions[0].values[0]`, message: 'is invalid' },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expectError(parseInput([pool(row.selector)]), { object: ref('IPAddressPool', 'blue'), field: row.field, message: row.message });
    });
  }
});

describe('Nodes, Namespaces and EndpointSlices', () => {
  it('reads node labels, NetworkUnavailable and IP addresses', () => {
    const status = { conditions: [{ type: 'NetworkUnavailable', status: 'True' }], addresses: [{ type: 'InternalIP', address: '192.0.2.10' }, { type: 'Hostname', address: 'n1' }] };
    const { nodes } = parseClean([aNode('n1', { zone: 'a' }, status), aNode('n0')]);
    expect(nodes).to.deep.equal([
      { name: 'n0', labels: {}, networkUnavailable: false, addresses: [] },
      { name: 'n1', labels: { zone: 'a' }, networkUnavailable: true, addresses: ['192.0.2.10'] },
    ]);
  });

  it('reads namespaces sorted by name', () => {
    expect(parseClean([aNamespace('b'), aNamespace('a', { x: 'y' })]).namespaces).to.deep.equal([{ name: 'a', labels: { x: 'y' } }, { name: 'b', labels: {} }]);
  });

  it('reads endpoint readiness with Kubernetes defaults', () => {
    const slice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-abc', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'web' } },
      endpoints: [{ addresses: ['10.1.0.5'], nodeName: 'n1' }, { addresses: ['10.1.0.6'], conditions: { ready: false, serving: true } }],
    };
    expect(parseClean([slice]).endpointSlices).to.deep.equal([
      {
        namespace: 'shop',
        name: 'web-abc',
        serviceName: 'web',
        endpoints: [
          { hasAddress: true, ready: true, serving: true, nodeName: 'n1' },
          { hasAddress: true, ready: false, serving: true, nodeName: null },
        ],
      },
    ]);
  });
});

describe('EndpointSlice readings', () => {
  const sliceOf = (name: string, endpoints: unknown[]) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'shop', labels: { 'kubernetes.io/service-name': name } },
    endpoints,
  });

  it('keep whether an endpoint has an address, not the addresses', () => {
    const [slice] = parseClean([sliceOf('a', [{ addresses: ['not-an-ip'], nodeName: 'n1' }, { addresses: [], nodeName: 'n1' }, { addresses: ['bad', '10.1.0.7'], nodeName: 'n1' }])]).endpointSlices;
    expect(slice?.endpoints.map((e) => e.hasAddress)).to.deep.equal([false, false, true]);
  });

  it('share one Endpoint per value, and one list for a slice of one endpoint', () => {
    const slices = parseClean([sliceOf('a', [{ addresses: ['10.1.0.5'], nodeName: 'n1' }]), sliceOf('b', [{ addresses: ['10.1.0.6'], nodeName: 'n1' }]), sliceOf('c', [{ addresses: ['10.1.0.8'], nodeName: 'n2' }])]).endpointSlices;
    const [a, b, c] = slices;
    expect(a?.endpoints).to.equal(b?.endpoints);
    expect(a?.endpoints[0]).to.deep.equal({ hasAddress: true, ready: true, serving: true, nodeName: 'n1' });
    expect(a?.endpoints).to.not.equal(c?.endpoints);
    expect(Object.isFrozen(a?.endpoints[0]) && Object.isFrozen(a?.endpoints)).to.equal(true);
  });
});

/** Manifests near the valid ones, so that properties exercise the rules, not only the type checks. */
const manifest: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ name: fc.constantFrom('blue', 'red'), a: fc.constantFrom('192.0.2.0/24', '192.0.2.128/25', '2001:db8::/64', '10.0.0.1-10.0.0.9', 'bad') })
    .map(({ name, a }) => aPool({ name, spec: { addresses: [a] } })),
  fc.record({ name: fc.constantFrom('peer-a', 'peer-b'), ip: fc.constantFrom('198.51.100.1', '198.51.100.2'), asn: fc.constantFrom(64500, 64501, 0), bfd: fc.constantFrom(undefined, 'fast') })
    .map(({ name, ip, asn, bfd }) => aPeer({ name, spec: { peerAddress: ip, myASN: asn, bfdProfile: bfd } })),
  fc.record({ name: fc.constantFrom('bgp', 'bgp-b'), lp: fc.constantFrom(0, 100, 200), c: fc.constantFrom('no-export', '1:1', 'nope') })
    .map(({ name, lp, c }) => aBGPAdvertisement({ name, spec: { localPref: lp, communities: [c] } })),
  fc.constantFrom(aBFDProfile({ spec: { echoMode: true } }), aCommunity(), anL2Advertisement(), aNode('n1', { rack: '1' }), aNamespace('x')),
  fc.record({ name: fc.constantFrom('web', 'db'), ip: fc.constantFrom(undefined, '192.0.2.5', 'x') }).map(({ name, ip }) => aService({ name, spec: { loadBalancerIP: ip } })),
  fc.jsonValue(),
  fc.anything(),
);

const summary = (p: ParsedInput): string => canonicalJson({ ...p, config: { ...p.config, communities: [...p.config.communities] } });

describe('parseInput properties', () => {
  it('never throws on arbitrary values', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.anything(), fc.jsonValue())), (objects) => {
        const parsed = parseInput(objects);
        return Array.isArray(parsed.errors) && Array.isArray(parsed.config.pools);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws when given a single non-array value', () => {
    fc.assert(fc.property(fc.anything(), (v) => Array.isArray(parseInput(v as readonly unknown[]).errors)));
  });

  it('gives the same result whatever the order of the input objects', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(manifest, fc.double({ noNaN: true })), { maxLength: 10 }), (entries) => {
        const original = entries.map(([m]) => m);
        const shuffled = [...entries].sort((a, b) => a[1] - b[1]).map(([m]) => m);
        expect(summary(parseInput(shuffled))).to.equal(summary(parseInput(original)));
      }),
      { numRuns: 300 },
    );
  });
});
