// The manifests of the L2 end-to-end scenario (shared with bench/l2-failover): two pools on the
// lab's segments, an advertisement for all interfaces and one restricted to eth1, and Services
// that each pin an address, with EndpointSlices on chosen nodes.
import type { NodeInput } from '../../src/api/model.ts';
import type { IP } from '../../src/net/ip.ts';
import { rankNodes } from '../../src/speaker/l2/election.ts';
import type { L2LabNode } from '../harness/l2-lab.ts';

export const WEB_IP = '192.0.2.200';
export const WEB6_IP = '2001:db8::200';
export const LOCAL_IP = '192.0.2.201';
export const RESTRICTED_IP = '203.0.113.200';
/** Every address a Service can get: each node holds them all on kube-ipvs0, as kube-proxy IPVS does. */
export const SERVICE_IPS = [WEB_IP, WEB6_IP, LOCAL_IP, RESTRICTED_IP];

export const configManifest = `
apiVersion: barelb.io/v1beta1
kind: IPAddressPool
metadata: {name: lan, namespace: barelb-system}
spec: {addresses: [192.0.2.200-192.0.2.209, 2001:db8::200-2001:db8::209]}
---
apiVersion: barelb.io/v1beta1
kind: IPAddressPool
metadata: {name: lan-eth1, namespace: barelb-system}
spec: {addresses: [203.0.113.200-203.0.113.209]}
---
apiVersion: barelb.io/v1beta1
kind: L2Advertisement
metadata: {name: lan, namespace: barelb-system}
spec: {ipAddressPools: [lan]}
---
apiVersion: barelb.io/v1beta1
kind: L2Advertisement
metadata: {name: eth1-only, namespace: barelb-system}
spec: {ipAddressPools: [lan-eth1], interfaces: [eth1]}
`;

type ServiceSpec = { readonly name: string; readonly ip: string; readonly local?: boolean };

function service(s: ServiceSpec, index: number): string {
  const v6 = s.ip.includes(':');
  return [
    'apiVersion: v1', 'kind: Service', `metadata: {name: ${s.name}, namespace: demo, creationTimestamp: "2026-11-01T10:0${index}:00Z"}`,
    'spec:', '  type: LoadBalancer', `  clusterIPs: ["${v6 ? `2001:db8:ffff::${index + 1}` : `198.51.100.${index + 1}`}"]`,
    `  ipFamilies: [${v6 ? 'IPv6' : 'IPv4'}]`, `  loadBalancerIP: "${s.ip}"`,
    `  externalTrafficPolicy: ${s.local === true ? 'Local' : 'Cluster'}`, `  selector: {app: ${s.name}}`, '  ports: [{port: 9000, protocol: UDP}]',
  ].join('\n');
}

/** One ready endpoint per node in `on`. */
function endpointSlice(s: ServiceSpec, on: readonly L2LabNode[]): string {
  const v6 = s.ip.includes(':');
  const endpoints = on.map((n, i) => `  - {addresses: ["${v6 ? `2001:db8:ffff::1:${i + 1}` : `198.51.100.${100 + i}`}"], conditions: {ready: true}, nodeName: ${n.name}}`);
  return [
    'apiVersion: discovery.k8s.io/v1', 'kind: EndpointSlice', `metadata: {name: ${s.name}-x, namespace: demo, labels: {kubernetes.io/service-name: ${s.name}}}`,
    `addressType: ${v6 ? 'IPv6' : 'IPv4'}`, 'endpoints:', ...endpoints,
  ].join('\n');
}

export const services: readonly ServiceSpec[] = [
  { name: 'web', ip: WEB_IP },
  { name: 'web6', ip: WEB6_IP },
  { name: 'local', ip: LOCAL_IP, local: true },
  { name: 'restricted', ip: RESTRICTED_IP },
];

export const servicesManifest = (): string => services.map(service).join('\n---\n') + '\n';

/** EndpointSlices: every Service everywhere, except `local`, only on `localOn`. */
export function endpointsManifest(nodes: readonly L2LabNode[], localOn: L2LabNode): string {
  return services.map((s) => endpointSlice(s, s.local === true ? [localOn] : nodes)).join('\n---\n') + '\n';
}

/** The nodes in MetalLB's order for `ip` (no preferences: SHA-256 of "node#ip"): who owns it, who is next. */
export function ranking(nodes: readonly L2LabNode[], ip: string): L2LabNode[] {
  const inputs: NodeInput[] = nodes.map((n) => ({ name: n.name, labels: {}, networkUnavailable: false, addresses: [] }));
  return rankNodes([], inputs, ip as IP).map((r) => nodes.find((n) => n.name === r.node) as L2LabNode);
}
