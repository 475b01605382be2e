import { expect } from 'chai';
import { aPool, anL2Advertisement, itReportsEach, parseClean, ref } from './test-builders.ts';

const l2 = ref('L2Advertisement', 'l2');

describe('L2Advertisement validation', () => {
  itReportsEach([
    { name: 'rejects a duplicate pool name', objects: [anL2Advertisement({ spec: { ipAddressPools: ['a', 'a'] } })], object: l2, field: 'spec.ipAddressPools[1]', message: 'duplicate definition' },
    { name: 'rejects a duplicate pool selector', objects: [anL2Advertisement({ spec: { ipAddressPoolSelectors: [{ matchLabels: { a: 'b' } }, { matchLabels: { a: 'b' } }] } })], object: l2, field: 'spec.ipAddressPoolSelectors[1]', message: 'duplicate definition' },
    { name: 'rejects a duplicate node selector', objects: [anL2Advertisement({ spec: { nodeSelectors: [{}, {}] } })], object: l2, field: 'spec.nodeSelectors[1]', message: 'duplicate definition' },
    { name: 'rejects a duplicate interface', objects: [anL2Advertisement({ spec: { interfaces: ['eth0', 'eth0'] } })], object: l2, field: 'spec.interfaces[1]', message: 'duplicate definition' },
    { name: 'rejects an interface name with a space', objects: [anL2Advertisement({ spec: { interfaces: ['eth 0'] } })], object: l2, field: 'spec.interfaces[0]', message: 'whitespace' },
    { name: 'rejects an interface name with a newline', objects: [anL2Advertisement({ spec: { interfaces: ['eth0\n'] } })], object: l2, field: 'spec.interfaces[0]', message: 'control characters' },
    { name: 'rejects an interface name longer than 15', objects: [anL2Advertisement({ spec: { interfaces: ['enp0s31f6abcdefg'] } })], object: l2, field: 'spec.interfaces[0]', message: 'at most 15' },
    { name: 'rejects a preference weight of 0', objects: [anL2Advertisement({ spec: { preferredNodeSelectors: [{ weight: 0, preference: {} }] } })], object: l2, field: 'spec.preferredNodeSelectors[0].weight', message: 'must be 1..100' },
    { name: 'rejects a preference weight above 100', objects: [anL2Advertisement({ spec: { preferredNodeSelectors: [{ weight: 101, preference: {} }] } })], object: l2, field: 'spec.preferredNodeSelectors[0].weight', message: 'must be 1..100' },
    { name: 'rejects a preference without weight', objects: [anL2Advertisement({ spec: { preferredNodeSelectors: [{ preference: {} }] } })], object: l2, field: 'spec.preferredNodeSelectors[0].weight', message: 'is required' },
    { name: 'rejects two L2Advertisements of one name', objects: [anL2Advertisement(), anL2Advertisement({ namespace: 'other' })], object: 'L2Advertisement/other/l2', field: 'metadata.name', message: 'duplicate L2Advertisement name' },
  ]);
});

describe('L2Advertisement model', () => {
  it('announces every pool on all interfaces from every node by default', () => {
    const { config } = parseClean([aPool(), anL2Advertisement()]);
    expect(config.l2Advertisements[0]).to.deep.equal({ name: 'l2', pools: ['blue'], nodeSelectors: [], interfaces: { kind: 'all' }, serviceSelectors: [], preferredNodeSelectors: [] });
  });

  it('keeps interfaces, weights and selectors as configured', () => {
    const spec = { interfaces: ['eth0', 'bond0.10'], preferredNodeSelectors: [{ weight: 50, preference: { matchLabels: { zone: 'a' } } }], serviceSelectors: [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }] };
    const ad = parseClean([aPool(), anL2Advertisement({ spec })]).config.l2Advertisements[0];
    expect(ad?.interfaces).to.deep.equal({ kind: 'only', names: ['eth0', 'bond0.10'] });
    expect(ad?.preferredNodeSelectors).to.deep.equal([{ weight: 50, preference: { matchLabels: { zone: 'a' }, matchExpressions: [] } }]);
    expect(ad?.serviceSelectors).to.deep.equal([{ matchLabels: {}, matchExpressions: [{ key: 'app', operator: 'Exists', values: [] }] }]);
  });
});
