// The benchmark's local-mode directory: one node, one IPv6 BGP session to the router, one IPv6 pool
// in 2001:db8::/32 (a 10,000-address IPv4 pool cannot fit in the three documentation /24s), and N
// single-stack IPv6 Services with externalTrafficPolicy Cluster, each with a ready EndpointSlice.
// Cluster IPs and endpoint addresses appear in manifests only; nothing configures them anywhere.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROUTER_AS = 64500;
export const NODE_AS = 64512;
export const NODE_NAME = 'node-1';
/** 65,536 addresses: room for 10,000 Services plus the trial ones. */
export const POOL_V6 = '2001:db8:100::/112';
export const SERVICE_NAMESPACE = 'bench';
/** Base Services are written this many to a file (multi-document YAML). */
export const SERVICES_PER_FILE = 100;

export function configManifests(nodeIPv4: string, routerIPv6: string): string {
  return [
    `apiVersion: barelb.io/v1beta1
kind: IPAddressPool
metadata: {name: bench, namespace: barelb-system}
spec: {addresses: ["${POOL_V6}"]}`,
    `apiVersion: barelb.io/v1beta2
kind: BGPPeer
metadata: {name: router-v6, namespace: barelb-system}
spec: {myASN: ${NODE_AS}, peerASN: ${ROUTER_AS}, peerAddress: "${routerIPv6}", connectTime: 1s}`,
    `apiVersion: barelb.io/v1beta1
kind: BGPAdvertisement
metadata: {name: all, namespace: barelb-system}
spec: {}`,
    `apiVersion: v1
kind: Node
metadata: {name: ${NODE_NAME}, labels: {kubernetes.io/hostname: ${NODE_NAME}}}
status: {addresses: [{type: InternalIP, address: ${nodeIPv4}}]}`,
  ].join('\n---\n') + '\n';
}

/** Cluster IPs stay in manifests; fd00::/8 keeps them apart from the pool. */
const hex = (i: number): string => `${Math.floor(i / 65_536).toString(16)}:${(i % 65_536).toString(16)}`;
const clusterIP = (i: number): string => `fd00::${hex(i + 1)}`;

/** One Service and its EndpointSlice (two YAML documents). `i` must be unique across the run. */
export function serviceManifest(name: string, i: number): string {
  return `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${SERVICE_NAMESPACE}, creationTimestamp: "2026-01-01T00:00:00Z"}
spec: {type: LoadBalancer, externalTrafficPolicy: Cluster, ipFamilies: [IPv6], clusterIPs: ["${clusterIP(i)}"], selector: {app: ${name}}, ports: [{port: 80, protocol: TCP}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ${name}-1, namespace: ${SERVICE_NAMESPACE}, labels: {kubernetes.io/service-name: ${name}}}
addressType: IPv6
endpoints: [{addresses: ["fd01::${hex(i + 1)}"], nodeName: ${NODE_NAME}, conditions: {ready: true}}]
`;
}

export const baseName = (i: number): string => `svc-${String(i).padStart(5, '0')}`;
export const trialName = (i: number): string => `trial-${String(i).padStart(3, '0')}`;
/** Trial Services get indexes past every base Service, so cluster IPs never collide. */
export const trialIndex = (i: number): number => 100_000 + i;

/**
 * Writes base Services `from`..`n`-1 as `base-XXXX.yaml` files of SERVICES_PER_FILE Services each
 * (a file holding some of them is rewritten whole).
 */
export function writeBaseServices(dir: string, n: number, from = 0): void {
  for (let start = Math.floor(from / SERVICES_PER_FILE) * SERVICES_PER_FILE; start < n; start += SERVICES_PER_FILE) {
    const docs: string[] = [];
    for (let i = start; i < Math.min(n, start + SERVICES_PER_FILE); i += 1) docs.push(serviceManifest(baseName(i), i));
    writeFileSync(join(dir, `base-${String(start / SERVICES_PER_FILE).padStart(4, '0')}.yaml`), docs.join('---\n'));
  }
}
