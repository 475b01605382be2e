// What run.ts and speaker-ab.ts share: the Services and EndpointSlices they create, the cluster
// objects a speaker needs, and the small helpers around them.
import { readFileSync } from 'node:fs';
import type { KubeClient, WireObject } from '../../src/k8s/client.ts';

export const SYSTEM = 'barelb-system';
export const NS = 'scale';
export const CONTROLLER_METRICS = '127.0.0.1:19471';
export const SPEAKER_METRICS = '127.0.0.1:19472';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const logger = (tag: string) => (msg: string): void => void process.stdout.write(`[${tag} ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** VmHWM of a process in MB (NaN once it is gone). */
export const peakRssMb = (pid: number): number => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m?.[1] === undefined ? Number.NaN : Math.round(Number(m[1]) / 1024);
};

export async function bounded<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await task(items[next++] as T);
  }));
}

export const service = (i: number): WireObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: `svc-${i}`, namespace: NS },
  spec: { type: 'LoadBalancer', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'], allocateLoadBalancerNodePorts: false, ports: [{ port: 80, protocol: 'TCP' }], selector: { app: `svc-${i}` } },
});

export const endpointSlice = (i: number): WireObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `svc-${i}-1`, namespace: NS, labels: { 'kubernetes.io/service-name': `svc-${i}`, 'endpointslice.kubernetes.io/managed-by': 'bench' } },
  addressType: 'IPv6',
  endpoints: [{ addresses: [`fd00:1::${(i + 1).toString(16)}`], nodeName: 'node-1', conditions: { ready: true } }],
  ports: [{ port: 80, protocol: 'TCP' }],
});

/** The pool the controller allocates from: the IPv4 documentation ranges hold only 768 addresses. */
export const pool = (): WireObject => ({ apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'scale', namespace: SYSTEM }, spec: { addresses: ['2001:db8:1::/112'] } });

/** node-1, a BGP peer (the FRR instance's own address stands in for a router) and an advertisement of every pool. */
export async function createSpeakerObjects(api: KubeClient): Promise<void> {
  await api.create('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } } });
  await api.create(`/apis/barelb.io/v1beta2/namespaces/${SYSTEM}/bgppeers`, { apiVersion: 'barelb.io/v1beta2', kind: 'BGPPeer', metadata: { name: 'router', namespace: SYSTEM }, spec: { myASN: 64512, peerASN: 64500, peerAddress: '2001:db8::1' } });
  await api.create(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/bgpadvertisements`, { apiVersion: 'barelb.io/v1beta1', kind: 'BGPAdvertisement', metadata: { name: 'all', namespace: SYSTEM }, spec: {} });
}

export async function countAllocated(api: KubeClient): Promise<number> {
  const list = await api.list(`/api/v1/namespaces/${NS}/services`);
  return list.items.filter((s) => {
    const ingress = ((s['status'] as WireObject | undefined)?.['loadBalancer'] as WireObject | undefined)?.['ingress'];
    return Array.isArray(ingress) && ingress.length > 0;
  }).length;
}

export async function metricSum(address: string, name: string): Promise<number> {
  const text = await (await fetch(`http://${address}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith(name)).reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

export async function waitReady(address: string, budgetMs: number, gone: () => boolean = () => false): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < budgetMs) {
    if (gone()) throw new Error(`${address}: the process exited before it was ready`);
    const ok = await fetch(`http://${address}/readyz`).then((r) => r.ok, () => false);
    if (ok) return performance.now() - t0;
    await sleep(50);
  }
  throw new Error(`${address} not ready within ${budgetMs} ms`);
}

/** Creates Services 0..n-1 with their EndpointSlices, `limit` at a time, reporting every 1 000. */
export async function createServices(api: KubeClient, n: number, limit: number, progress: (created: number) => void): Promise<void> {
  let created = 0;
  await bounded(Array.from({ length: n }, (_, i) => i), limit, async (i) => {
    await api.create(`/api/v1/namespaces/${NS}/services`, service(i));
    // One ready endpoint on node-1: like MetalLB, barelb announces no Service without one.
    await api.create(`/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`, endpointSlice(i));
    created += 1;
    if (created % 1000 === 0) progress(created);
  });
}
