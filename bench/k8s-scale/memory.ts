// Where the controller's memory goes at N Services, in one process and without an API server:
// the k8s controller store over a fake client that lists N settled Services (as the API server
// returns them), one Controller round, then live heap after a full GC, stage by stage.
// Usage: node --expose-gc bench/k8s-scale/memory.ts [--services 10000]

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import { Controller } from '../../src/controller/loop.ts';
import { k8sControllerStore } from '../../src/k8s/controller-store.ts';
import { FakeKube } from '../../src/k8s/fake-client.ts';
import type { WireObject } from '../../src/k8s/client.ts';
import { createLogger } from '../../src/log/logger.ts';
import { controllerMetrics } from '../../src/metrics/controller-metrics.ts';

const { values } = parseArgs({ options: { services: { type: 'string', default: '10000' } } });
const N = Number(values.services);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const mb = (n: number) => (n / 1e6).toFixed(1);
const report = (stage: string) => {
  gc();
  const m = process.memoryUsage();
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0) * 1024;
  process.stdout.write(`${stage.padEnd(30)} heapUsed ${mb(m.heapUsed).padStart(6)}  heapTotal ${mb(m.heapTotal).padStart(6)}  external ${mb(m.external).padStart(5)}  rss ${mb(m.rss).padStart(6)}  peak ${mb(hwm).padStart(6)} MB\n`);
};

const SYSTEM = 'barelb-system';
const hex = (i: number) => (i + 1).toString(16);
/** A Service as the API server returns it once barelb allocated it (no managedFields: dropped by the reflector). */
const service = (i: number): WireObject => ({
  metadata: {
    name: `svc-${i}`, namespace: 'scale', uid: `0b8f3a1c-5d2e-4f6a-9b7c-${i.toString().padStart(12, '0')}`, resourceVersion: String(100000 + i),
    creationTimestamp: '2026-11-27T01:00:00Z', annotations: { 'barelb.io/ip-allocated-from-pool': 'scale' },
  },
  spec: {
    ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }], selector: { app: `svc-${i}` }, clusterIP: `fd02::${hex(i)}`, clusterIPs: [`fd02::${hex(i)}`],
    type: 'LoadBalancer', sessionAffinity: 'None', externalTrafficPolicy: 'Cluster', ipFamilies: ['IPv6'], ipFamilyPolicy: 'SingleStack',
    allocateLoadBalancerNodePorts: false, internalTrafficPolicy: 'Cluster',
  },
  status: {
    loadBalancer: { ingress: [{ ip: `2001:db8:1::${hex(i)}`, ipMode: 'VIP' }] },
    conditions: [{ type: 'barelb.io/IPAllocated', status: 'True', observedGeneration: 0, lastTransitionTime: '2026-11-27T01:00:01Z', reason: 'IPAllocated', message: `holds 2001:db8:1::${hex(i)} from pool "scale"` }],
  },
});

report('start');
const client = new FakeKube();
const list = (items: WireObject[], kind: string, apiVersion = 'v1') => ({ items: items.map((o) => ({ kind, apiVersion, ...o })), resourceVersion: '1' });
const pool = { apiVersion: 'barelb.io/v1beta1', metadata: { name: 'scale', namespace: SYSTEM, resourceVersion: '1' }, spec: { addresses: ['2001:db8:1::/112'] } };
const services = Array.from({ length: N }, (_, i) => service(i));
report(`${N} Services built`);
const paths = ['services', 'namespaces', 'nodes', 'secrets', 'pools', 'l2advertisements', 'bgpadvertisements', 'bgppeers', 'bfdprofiles', 'communities'];
for (const p of paths) {
  client.lists.push(p === 'services' ? list(services, 'Service') : p === 'pools' ? list([pool], 'IPAddressPool', 'barelb.io/v1beta1') : p === 'namespaces' ? list([{ metadata: { name: 'scale' } }], 'Namespace') : list([], 'X'));
}
services.length = 0;
const logger = createLogger('controller', 'warn');
const events = { record: () => undefined, flushed: async () => undefined } as never;
const store = k8sControllerStore({ client, namespace: SYSTEM, logger, clock: { sleep: () => new Promise(() => undefined) }, now: Date.now, events });
const controller = new Controller({ store, logger, metrics: controllerMetrics(new Registry()), options: { loadBalancerClass: null } });
const stop = new AbortController();
const running = controller.run(stop.signal);
while (!controller.status.ready) await new Promise((r) => setTimeout(r, 50));
await new Promise((r) => setTimeout(r, 200));
report('after first round (ready)');
process.stdout.write(`status writes: ${client.writes.length} (a settled cluster: 0 expected)\n`);
store.set.poke();
await new Promise((r) => setTimeout(r, 1000));
report('after a second round');
stop.abort();
await running;
