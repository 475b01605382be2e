import { expect } from 'chai';
import { parseInput } from '../../api/input.ts';
import type { ServiceKey } from '../../api/model.ts';
import { electL2 } from './elections.ts';
import { ip } from './testing.ts';

const meta = (name: string, namespace = 'barelb-system') => ({ name, namespace });
const objects = [
  { apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: meta('l2'), spec: { addresses: ['192.0.2.0/28'] } },
  { apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: meta('bgp'), spec: { addresses: ['198.51.100.0/28'] } },
  { apiVersion: 'barelb.io/v1beta1', kind: 'L2Advertisement', metadata: meta('l2'), spec: { ipAddressPools: ['l2'] } },
  ...['node-a', 'node-b', 'node-c'].map((name) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } })),
  ...['web', 'api', 'db'].map((name) => ({ apiVersion: 'v1', kind: 'Service', metadata: meta(name, 'shop'), spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } })),
  { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { ...meta('web-1', 'shop'), labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'], nodeName: 'node-a' }] },
  { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { ...meta('web-2', 'shop'), labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.2'], conditions: { ready: false }, nodeName: 'node-b' }] },
  { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { ...meta('api-1', 'other'), labels: { 'kubernetes.io/service-name': 'api' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.3'], nodeName: 'node-a' }] },
];

describe('L2 elections from a view', () => {
  const input = parseInput(objects);
  const allocations = new Map<ServiceKey, readonly ReturnType<typeof ip>[]>([
    ['shop/web' as ServiceKey, [ip('192.0.2.10')]],
    ['shop/api' as ServiceKey, [ip('192.0.2.1')]],
    ['shop/db' as ServiceKey, [ip('198.51.100.1')]],
  ]);

  it('elects every allocated Service an L2Advertisement applies to, in key order, with endpoints from its own slices', () => {
    const out = electL2({ input, allocations, liveSpeakers: null, ignoreExcludeLB: false, excludeInterfaces: [] });
    expect(out.map((e) => (e.kind === 'owner' ? `${e.service} ${e.owner}` : `${e.service} none: ${e.reason}`))).to.deep.equal([
      'shop/api none: no-serving-endpoint', // its slice is in another namespace
      'shop/web node-c',
    ]);
  });

  it('counts only live speakers when heartbeats say who is alive', () => {
    const out = electL2({ input, allocations, liveSpeakers: new Set(['node-a']), ignoreExcludeLB: false, excludeInterfaces: [] });
    expect(out.find((e) => e.service === 'shop/web')).to.include({ kind: 'owner', owner: 'node-a' });
  });

  it('elects nothing for a Service without addresses', () => {
    expect(electL2({ input, allocations: new Map(), liveSpeakers: null, ignoreExcludeLB: false, excludeInterfaces: [] })).to.deep.equal([]);
  });
});
