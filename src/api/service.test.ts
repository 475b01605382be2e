import { expect } from 'chai';
import { parseInput } from './input.ts';
import type { ServiceInput } from './model.ts';
import { aService, type ServiceOverrides } from './test-builders.ts';

function service(o: ServiceOverrides = {}): ServiceInput {
  const parsed = parseInput([aService(o)]);
  expect(parsed.errors).to.deep.equal([]);
  const svc = parsed.services[0];
  if (svc === undefined) throw new Error('no service parsed');
  return svc;
}

describe('Service families', () => {
  const rows: ReadonlyArray<{ name: string; spec: Record<string, unknown>; want: readonly string[] }> = [
    { name: 'takes the family of a single clusterIP', spec: { clusterIPs: ['fd00::10'] }, want: ['ipv6'] },
    { name: 'takes both families of dual clusterIPs, primary first', spec: { clusterIPs: ['fd00::10', '10.96.0.10'] }, want: ['ipv6', 'ipv4'] },
    { name: 'falls back to spec.clusterIP', spec: { clusterIPs: undefined, clusterIP: '10.96.0.1' }, want: ['ipv4'] },
    { name: 'falls back to spec.ipFamilies without clusterIPs', spec: { clusterIPs: undefined, ipFamilies: ['IPv6', 'IPv4'] }, want: ['ipv6', 'ipv4'] },
    { name: 'ignores a headless clusterIP', spec: { clusterIPs: ['None'], ipFamilies: ['IPv6'] }, want: ['ipv6'] },
    { name: 'defaults to IPv4', spec: { clusterIPs: undefined }, want: ['ipv4'] },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(service({ spec: row.spec }).families).to.deep.equal(row.want);
    });
  }
});

describe('Service requests', () => {
  const rows: ReadonlyArray<{ name: string; o: ServiceOverrides; want: Readonly<Record<string, unknown>> }> = [
    { name: 'reads spec.loadBalancerIP', o: { spec: { loadBalancerIP: '192.0.2.5' } }, want: { requestedIPs: ['192.0.2.5'], requestError: null } },
    { name: 'reads two IPs of the loadBalancerIPs annotation with spaces', o: { annotations: { 'metallb.io/loadBalancerIPs': '192.0.2.5, 2001:db8::5' } }, want: { requestedIPs: ['192.0.2.5', '2001:db8::5'], requestError: null } },
    { name: 'rejects both loadBalancerIP and the annotation', o: { spec: { loadBalancerIP: '192.0.2.5' }, annotations: { 'barelb.io/loadBalancerIPs': '192.0.2.6' } }, want: { requestError: 'spec.loadBalancerIP: spec.loadBalancerIP and the barelb.io/loadBalancerIPs annotation are mutually exclusive' } },
    { name: 'rejects an unparseable loadBalancerIP naming the field', o: { spec: { loadBalancerIP: '192.0.2.500' } }, want: { requestError: 'spec.loadBalancerIP: "192.0.2.500" is not an IP address' } },
    { name: 'rejects an unparseable annotation entry naming the annotation', o: { annotations: { 'metallb.io/loadBalancerIPs': '192.0.2.5,bad' } }, want: { requestError: 'metadata.annotations["metallb.io/loadBalancerIPs"]: "bad" is not an IP address' } },
    { name: 'rejects two requested IPs of one family', o: { annotations: { 'metallb.io/loadBalancerIPs': '192.0.2.5,192.0.2.6' } }, want: { requestError: 'metadata.annotations["metallb.io/loadBalancerIPs"]: two addresses of the same IP family; a dual-stack request needs one IPv4 and one IPv6' } },
    { name: 'rejects three requested IPs', o: { annotations: { 'metallb.io/loadBalancerIPs': '192.0.2.5,2001:db8::1,192.0.2.6' } }, want: { requestError: 'metadata.annotations["metallb.io/loadBalancerIPs"]: 3 addresses given; at most 2 (one per IP family)' } },
    { name: 'rejects RequireDualStack with one clusterIP', o: { spec: { ipFamilyPolicy: 'RequireDualStack' } }, want: { ipFamilyPolicy: 'RequireDualStack', requestError: 'spec.ipFamilyPolicy: RequireDualStack needs two clusterIPs; the Service has 1' } },
    { name: 'defaults ipFamilyPolicy to SingleStack', o: {}, want: { ipFamilyPolicy: 'SingleStack', requestError: null } },
    { name: 'rejects an unknown ipFamilyPolicy', o: { spec: { ipFamilyPolicy: 'Whatever' } }, want: { ipFamilyPolicy: 'SingleStack', requestError: 'spec.ipFamilyPolicy: "Whatever" is not one of SingleStack, PreferDualStack, RequireDualStack' } },
    { name: 'rejects an unknown port protocol', o: { spec: { ports: [{ port: 53, protocol: 'ICMP' }] } }, want: { requestError: 'spec.ports[0].protocol: "ICMP" is not TCP, UDP or SCTP' } },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(service(row.o)).to.deep.include(row.want);
    });
  }
});

describe('Service annotations', () => {
  const rows: ReadonlyArray<{ name: string; annotations: Record<string, string>; want: Readonly<Record<string, unknown>> }> = [
    { name: 'prefers barelb.io/ over metallb.io/', annotations: { 'metallb.io/address-pool': 'old', 'barelb.io/address-pool': 'new' }, want: { addressPool: 'new', deprecatedAnnotations: [] } },
    { name: 'prefers metallb.io/ over metallb.universe.tf/ and still records the deprecated key', annotations: { 'metallb.universe.tf/address-pool': 'oldest', 'metallb.io/address-pool': 'old' }, want: { addressPool: 'old', deprecatedAnnotations: ['metallb.universe.tf/address-pool'] } },
    { name: 'reads metallb.universe.tf/ when it is the only one', annotations: { 'metallb.universe.tf/allow-shared-ip': 'k' }, want: { sharingKey: 'k', deprecatedAnnotations: ['metallb.universe.tf/allow-shared-ip'] } },
    { name: 'keeps an empty sharing key apart from no key', annotations: { 'barelb.io/allow-shared-ip': '' }, want: { sharingKey: '' } },
    { name: 'has no sharing key without the annotation', annotations: {}, want: { sharingKey: null, addressPool: null } },
    { name: 'treats an empty address-pool as none', annotations: { 'barelb.io/address-pool': '' }, want: { addressPool: null } },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(service({ annotations: row.annotations })).to.deep.include(row.want);
    });
  }
});

describe('Service fields', () => {
  it('builds the backend key from the sorted selector for Local', () => {
    const svc = service({ spec: { externalTrafficPolicy: 'Local', selector: { tier: 'web', app: 'shop' } } });
    expect(svc).to.deep.include({ externalTrafficPolicy: 'Local', backendKey: 'app=shop,tier=web' });
  });

  it('has an empty backend key for Cluster', () => {
    expect(service({ spec: { selector: { app: 'shop' } } })).to.deep.include({ externalTrafficPolicy: 'Cluster', backendKey: '' });
  });

  it('defaults the port protocol to TCP and the namespace to default', () => {
    const svc = service({ namespace: null, spec: { ports: [{ port: 53, protocol: 'UDP' }, { port: 80 }] } });
    expect(svc).to.deep.include({ key: 'default/web', namespace: 'default', ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 80 }] });
  });

  it('reads ingress IPs, skipping hostnames and garbage', () => {
    const status = { loadBalancer: { ingress: [{ ip: '192.0.2.9' }, { hostname: 'lb.example' }, { ip: 'nope' }, { ip: '2001:DB8::9' }] } };
    expect(service({ status }).ingressIPs).to.deep.equal(['192.0.2.9', '2001:db8::9']);
  });

  it('reads type, loadBalancerClass, labels and creationTimestamp', () => {
    const svc = service({ labels: { app: 'x' }, spec: { type: 'NodePort', loadBalancerClass: 'barelb.io/lb' } });
    expect(svc).to.deep.include({ type: 'NodePort', loadBalancerClass: 'barelb.io/lb', labels: { app: 'x' }, creationTimestamp: null });
  });

  it('shares the common, immutable parts of readings between Services (memory at 10 000 Services)', () => {
    const [a, b] = parseInput([aService({ name: 'a', spec: { ports: [{ port: 80 }] } }), aService({ name: 'b', spec: { ports: [{ port: 80 }] } })]).services;
    if (a === undefined || b === undefined) throw new Error('expected two Services');
    for (const field of ['families', 'ports', 'requestedIPs', 'deprecatedAnnotations'] as const) {
      expect(a[field], field).to.equal(b[field]);
      expect(Object.isFrozen(a[field]), field).to.equal(true);
    }
    expect(a.ports).to.deep.equal([{ protocol: 'TCP', port: 80 }]);
  });

  it('reports a Service without a name as a ConfigError', () => {
    const parsed = parseInput([{ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'x' }, spec: {} }]);
    expect(parsed.services).to.deep.equal([]);
    expect(parsed.errors).to.deep.equal([{ object: 'Service/x/(unnamed)', field: 'metadata.name', message: 'is required' }]);
  });

  it('sorts services by key', () => {
    const parsed = parseInput([aService({ name: 'b' }), aService({ name: 'a', namespace: 'z' }), aService({ name: 'a' })]);
    expect(parsed.services.map((s) => s.key)).to.deep.equal(['default/a', 'default/b', 'z/a']);
  });
});
