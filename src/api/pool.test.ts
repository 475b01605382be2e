import { expect } from 'chai';
import { parseAddressEntry } from './pool.ts';
import { aNamespace, aPool, itReportsEach, parseClean, ref } from './test-builders.ts';

const blue = ref('IPAddressPool', 'blue');

describe('IPAddressPool validation', () => {
  itReportsEach([
    { name: 'rejects a pool without spec', objects: [{ apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'blue', namespace: 'barelb-system' } }], object: blue, field: 'spec', message: 'is required' },
    { name: 'rejects a pool without addresses', objects: [aPool({ spec: { addresses: undefined } })], object: blue, field: 'spec.addresses', message: 'is required' },
    { name: 'rejects an empty address list', objects: [aPool({ spec: { addresses: [] } })], object: blue, field: 'spec.addresses', message: 'pool has no prefixes defined' },
    { name: 'rejects a CIDR with a too long prefix', objects: [aPool({ spec: { addresses: ['192.0.2.0/24', '198.51.100.0/33'] } })], object: blue, field: 'spec.addresses[1]', message: '"198.51.100.0/33" is not a CIDR (prefix length must be 0..32)' },
    { name: 'rejects a plain address that is neither CIDR nor range', objects: [aPool({ spec: { addresses: ['192.0.2.1'] } })], object: blue, field: 'spec.addresses[0]', message: 'missing "/prefix-length"' },
    { name: 'rejects a range with a bad end', objects: [aPool({ spec: { addresses: ['192.0.2.1-192.0.2.300'] } })], object: blue, field: 'spec.addresses[0]', message: 'not a range: end' },
    { name: 'rejects a range whose start is after its end', objects: [aPool({ spec: { addresses: ['192.0.2.9-192.0.2.1'] } })], object: blue, field: 'spec.addresses[0]', message: 'start is after end' },
    { name: 'rejects a range mixing IP families', objects: [aPool({ spec: { addresses: ['192.0.2.1-2001:db8::1'] } })], object: blue, field: 'spec.addresses[0]', message: 'different IP families' },
    { name: 'rejects a non-string address entry', objects: [aPool({ spec: { addresses: [42] } })], object: blue, field: 'spec.addresses[0]', message: 'must be a string' },
    { name: 'rejects overlapping entries within one pool', objects: [aPool({ spec: { addresses: ['192.0.2.0/24', '192.0.2.10-192.0.2.20'] } })], object: blue, field: 'spec.addresses[1]', message: '"192.0.2.10-192.0.2.20" overlaps "192.0.2.0/24" (spec.addresses[0] of the same pool)' },
    {
      name: 'rejects overlaps across pools naming both pools and entries',
      objects: [aPool({ spec: { addresses: ['192.0.2.0/25'] } }), aPool({ name: 'red', spec: { addresses: ['10.0.0.0/8', '192.0.2.64/26'] } })],
      object: ref('IPAddressPool', 'red'),
      field: 'spec.addresses[1]',
      message: '"192.0.2.64/26" overlaps "192.0.2.0/25" (spec.addresses[0] of IPAddressPool "blue")',
    },
    { name: 'rejects two pools with the same name', objects: [aPool(), aPool({ namespace: 'other', spec: { addresses: ['10.0.0.0/24'] } })], object: 'IPAddressPool/other/blue', field: 'metadata.name', message: 'duplicate IPAddressPool name "blue"' },
    { name: 'rejects a negative priority', objects: [aPool({ spec: { serviceAllocation: { priority: -1 } } })], object: blue, field: 'spec.serviceAllocation.priority', message: 'out of range (must be 0..' },
    { name: 'rejects a duplicate namespace', objects: [aPool({ spec: { serviceAllocation: { namespaces: ['a', 'b', 'a'] } } })], object: blue, field: 'spec.serviceAllocation.namespaces[2]', message: 'duplicate definition in spec.serviceAllocation.namespaces' },
    {
      name: 'rejects a duplicate namespace selector',
      objects: [aPool({ spec: { serviceAllocation: { namespaceSelectors: [{ matchLabels: { team: 'a' } }, { matchLabels: { team: 'a' } }] } } })],
      object: blue,
      field: 'spec.serviceAllocation.namespaceSelectors[1]',
      message: 'duplicate definition',
    },
    {
      name: 'rejects a duplicate service selector',
      objects: [aPool({ spec: { serviceAllocation: { serviceSelectors: [{ matchLabels: { app: 'x' } }, { matchLabels: { app: 'x' } }] } } })],
      object: blue,
      field: 'spec.serviceAllocation.serviceSelectors[1]',
      message: 'duplicate definition',
    },
    { name: 'rejects a non-boolean avoidBuggyIPs', objects: [aPool({ spec: { avoidBuggyIPs: 'yes' } })], object: blue, field: 'spec.avoidBuggyIPs', message: 'must be true or false' },
    { name: 'rejects a pool name that is not a DNS name', objects: [aPool({ name: 'Blue Pool' })], object: 'IPAddressPool/barelb-system/Blue Pool', field: 'metadata.name', message: 'not a valid object name' },
  ]);

  it('summarises a range into the minimal CIDRs in address order', () => {
    const got = parseAddressEntry(' 192.0.2.1 - 192.0.2.6 ');
    expect(got.ok && got.value.map((c) => c.text)).to.deep.equal(['192.0.2.1/32', '192.0.2.2/31', '192.0.2.4/31', '192.0.2.6/32']);
  });

  it('normalises host bits of a CIDR and keeps configured order', () => {
    const { config } = parseClean([aPool({ spec: { addresses: ['198.51.100.7/24', '2001:DB8::1/64'] } })]);
    expect(config.pools[0]?.cidrs.map((c) => c.text)).to.deep.equal(['198.51.100.0/24', '2001:db8::/64']);
  });

  it('defaults autoAssign to true, avoidBuggyIPs to false and serviceAllocation to null', () => {
    const pool = parseClean([aPool()]).config.pools[0];
    expect(pool).to.include({ name: 'blue', autoAssign: true, avoidBuggyIPs: false, serviceAllocation: null });
  });

  it('resolves namespaceSelectors against the Namespaces of the input', () => {
    const { config } = parseClean([
      aPool({ spec: { serviceAllocation: { priority: 5, namespaces: ['fixed'], namespaceSelectors: [{ matchLabels: { team: 'a' } }] } } }),
      aNamespace('alpha', { team: 'a' }),
      aNamespace('beta', { team: 'b' }),
    ]);
    const allocation = config.pools[0]?.serviceAllocation;
    expect(allocation?.priority).to.equal(5);
    expect([...(allocation?.namespaces ?? [])].sort()).to.deep.equal(['alpha', 'fixed']);
  });

  it('has no namespace criteria when neither namespaces nor selectors are given', () => {
    const { config } = parseClean([aPool({ spec: { serviceAllocation: { priority: 1 } } })]);
    expect(config.pools[0]?.serviceAllocation?.namespaces).to.equal(null);
  });

  it('sorts pools by name', () => {
    const { config } = parseClean([aPool({ name: 'zeta', spec: { addresses: ['10.0.0.0/24'] } }), aPool({ name: 'alpha' })]);
    expect(config.pools.map((p) => p.name)).to.deep.equal(['alpha', 'zeta']);
  });
});
