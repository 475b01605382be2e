import { expect } from 'chai';
import { parseInput } from '../api/input.ts';
import type { WireObject } from './client.ts';
import { allocationsFromServices } from './service-status.ts';
import { trimObject } from './trim.ts';

const managedFields = [{ manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:ports': {} } } }];
const lastApplied = { 'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"v1","kind":"Service","metadata":{}}' };

const pool: WireObject = {
  apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool',
  metadata: { name: 'web', namespace: 'barelb-system', resourceVersion: '7', managedFields, annotations: { ...lastApplied, team: 'edge' } },
  spec: { addresses: ['192.0.2.0/28', '2001:db8:1::/120'], serviceAllocation: { namespaces: ['shop'] } },
};

const service = (name: string, extra: WireObject = {}): WireObject => ({
  apiVersion: 'v1', kind: 'Service',
  metadata: {
    name, namespace: 'shop', uid: `uid-${name}`, resourceVersion: '11', generation: 3, creationTimestamp: '2026-11-27T01:00:00Z', managedFields,
    labels: { app: name }, annotations: { ...lastApplied, 'barelb.io/allow-shared-ip': 'k', 'metallb.io/address-pool': 'web', 'barelb.io/ip-allocated-from-pool': 'web', 'example.com/owner': 'x' },
    ownerReferences: [{ kind: 'Thing', name: 'x', uid: 'u' }], finalizers: ['service.kubernetes.io/load-balancer-cleanup'],
  },
  spec: {
    type: 'LoadBalancer', clusterIP: '198.51.100.10', clusterIPs: ['198.51.100.10', 'fd00::10'], ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack',
    externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Cluster', healthCheckNodePort: 31000, sessionAffinity: 'None', selector: { app: name },
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }, { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 }],
    allocateLoadBalancerNodePorts: true, ...extra,
  },
  status: {
    loadBalancer: { ingress: [{ ip: '192.0.2.3', ipMode: 'VIP' }, { ip: '2001:db8:1::3', ipMode: 'VIP' }] },
    conditions: [{ type: 'barelb.io/IPAllocated', status: 'True', observedGeneration: 3, lastTransitionTime: '2026-11-27T01:00:01Z', reason: 'IPAllocated', message: 'holds' }],
  },
});

const slice: WireObject = {
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
  metadata: { name: 'web-abc', namespace: 'shop', generateName: 'web-', labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }, annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': 'x' }, managedFields, ownerReferences: [{ kind: 'Service', name: 'web' }] },
  endpoints: [
    { addresses: ['198.51.100.20'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'n1', zone: 'a', hints: { forZones: [{ name: 'a' }] }, targetRef: { kind: 'Pod', name: 'web-1' } },
    { addresses: ['198.51.100.21'], conditions: { ready: false, serving: true, terminating: true }, nodeName: 'n2', targetRef: { kind: 'Pod', name: 'web-2' } },
  ],
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
};

const node = (name: string, unavailable: boolean): WireObject => ({
  apiVersion: 'v1', kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, zone: 'a' }, annotations: { 'node.alpha.kubernetes.io/ttl': '0' }, managedFields },
  spec: { podCIDR: '10.0.0.0/24', taints: [] },
  status: {
    addresses: [{ type: 'InternalIP', address: '192.0.2.10' }, { type: 'Hostname', address: name }],
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ok', lastHeartbeatTime: 't' }, { type: 'NetworkUnavailable', status: unavailable ? 'True' : 'False', reason: 'r' }],
    images: Array.from({ length: 50 }, (_, i) => ({ names: [`registry.example/image-${i}@sha256:${'0'.repeat(64)}`], sizeBytes: 1e8 })),
    nodeInfo: { kubeletVersion: 'v1.35.4' },
  },
});

const all = (): WireObject[] => [
  pool, service('web'), service('api', { loadBalancerIP: '192.0.2.5', loadBalancerClass: 'barelb.io/lb', externalTrafficPolicy: 'Cluster' }), slice, node('n1', false), node('n2', true),
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { tier: 'prod' }, managedFields } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bgp-pw', namespace: 'barelb-system', managedFields }, type: 'kubernetes.io/basic-auth', data: { password: 'c2VjcmV0' } },
];

describe('k8s/trim: what the reflectors keep', () => {
  it('parses to exactly what the full objects parse to', () => {
    const trimmed = parseInput(all().map(trimObject));
    expect(trimmed).to.deep.equal(parseInput(all()));
    expect(trimmed.services.map((x) => [x.name, x.externalTrafficPolicy, x.ingressIPs.length])).to.deep.equal([['api', 'Cluster', 2], ['web', 'Local', 2]]);
    expect(trimmed.endpointSlices[0]?.endpoints.map((x) => [x.nodeName, x.ready, x.serving])).to.deep.equal([['n1', true, true], ['n2', false, true]]);
    expect(trimmed.nodes.map((x) => [x.name, x.networkUnavailable, x.addresses.length])).to.deep.equal([['n1', false, 1], ['n2', true, 1]]);
    expect(trimmed.config.pools.map((x) => x.name)).to.deep.equal(['web']);
  });

  it('gives the same allocations from Service status', () => {
    const pools = parseInput([pool]).config.pools;
    const services = all().filter((o) => o['kind'] === 'Service');
    expect(allocationsFromServices(services.map(trimObject), pools)).to.deep.equal(allocationsFromServices(services, pools));
  });

  it('drops managedFields, kubectl\'s last-applied copy, foreign Service annotations and a Node\'s image list', () => {
    const [p, s, , e, n] = all().map(trimObject);
    const text = JSON.stringify([p, s, e, n]);
    expect(text).not.to.include('managedFields');
    expect(text).not.to.include('last-applied-configuration');
    expect(text).not.to.include('example.com/owner');
    expect(text).not.to.include('images');
    expect(text).not.to.include('targetRef');
    expect(n?.['status']).to.deep.equal({ addresses: node('n1', false)['status'] && (node('n1', false)['status'] as WireObject)['addresses'], conditions: [{ type: 'Ready', status: 'True' }, { type: 'NetworkUnavailable', status: 'False' }] });
    expect((p?.['metadata'] as WireObject)['annotations']).to.deep.equal({ team: 'edge' });
    expect(JSON.stringify(n).length).to.be.lessThan(JSON.stringify(node('n1', false)).length / 5);
  });

  it('keeps of an EndpointSlice its identity, its Service label and its endpoints', () => {
    expect(trimObject(slice)['metadata']).to.deep.equal({ name: 'web-abc', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'web' } });
  });

  it('keeps barelb\'s and MetalLB\'s annotations and the identity fields writes depend on', () => {
    const meta = trimObject(service('web'))['metadata'] as WireObject;
    expect(meta).to.deep.equal({
      name: 'web', namespace: 'shop', uid: 'uid-web', resourceVersion: '11', generation: 3, creationTimestamp: '2026-11-27T01:00:00Z', labels: { app: 'web' },
      annotations: { 'barelb.io/allow-shared-ip': 'k', 'metallb.io/address-pool': 'web', 'barelb.io/ip-allocated-from-pool': 'web' },
    });
  });

  it('leaves an object without managedFields or annotations as it is', () => {
    const o: WireObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } };
    expect(trimObject(o)).to.equal(o);
  });
});
