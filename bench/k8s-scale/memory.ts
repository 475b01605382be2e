// Where memory goes at N Services, in one process and without an API server: the k8s controller
// store (or the speaker's, with the BGP handler over an FRR stand-in that accepts every batch)
// over a fake client that lists N settled Services as the API server returns them (the speaker
// also gets one EndpointSlice per Service), a first round and a second, then the live heap after a
// full GC. For the real processes' peak RSS, see run.ts; this shows where it goes and is quick.
// With --burst, the controller starts over none and N Services arrive as watch events, 32 at a
// time, each status write coming back as a MODIFIED event (as from the API server): the creation
// burst of run.ts, where the controller's peak is.
// Usage: node --expose-gc [V8 flags] bench/k8s-scale/memory.ts [--services 10000] [--speaker | --burst]

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import { Controller } from '../../src/controller/loop.ts';
import { ok } from '../../src/core/result.ts';
import { controllerPaths, k8sControllerStore } from '../../src/k8s/controller-store.ts';
import { k8sSpeakerStore, speakerPaths } from '../../src/k8s/speaker-store.ts';
import { Applier } from '../../src/speaker/bgp/apply/applier.ts';
import { ApplyQueue } from '../../src/speaker/bgp/apply/apply-queue.ts';
import type { FrrPort } from '../../src/speaker/bgp/apply/frr-port.ts';
import { systemClock } from '../../src/speaker/bgp/apply/hooks.ts';
import { bgpHandler } from '../../src/speaker/bgp/handler.ts';
import { Speaker } from '../../src/speaker/loop.ts';
import { EventRecorder } from '../../src/k8s/events.ts';
import { FakeKube } from '../../src/k8s/fake-client.ts';
import type { WatchEvent, WireObject } from '../../src/k8s/client.ts';
import { createLogger } from '../../src/log/logger.ts';
import { controllerMetrics } from '../../src/metrics/controller-metrics.ts';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '10000' },
    speaker: { type: 'boolean', default: false },
    burst: { type: 'boolean', default: false },
    existing: { type: 'string', default: '0' },
    rate: { type: 'string', default: '0' },
  },
});
const N = Number(values.services);
/** --burst: Services already allocated when the burst starts, and new Services per second (0: 32 per millisecond). */
const EXISTING = Number(values.existing);
const RATE = Number(values.rate);
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

const slice = (i: number): WireObject => ({
  metadata: { name: `svc-${i}-abcde`, namespace: 'scale', uid: `uid-slice-${i}`, resourceVersion: String(200000 + i), labels: { 'kubernetes.io/service-name': `svc-${i}`, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
  addressType: 'IPv6',
  endpoints: [{ addresses: [`fd00:1::${hex(i)}`], nodeName: 'node-1', conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', namespace: 'scale', name: `svc-${i}-pod`, uid: `uid-pod-${i}` } }],
  ports: [{ name: '', port: 80, protocol: 'TCP' }],
});

report('start');
const client = new FakeKube();
const list = (items: WireObject[], kind: string, apiVersion = 'v1') => ({ items: items.map((o) => ({ kind, apiVersion, ...o })), resourceVersion: '1' });
/** Settled: its status holds the counters the controller computes for N allocated Services (so it writes none). */
const pool = { metadata: { name: 'scale', namespace: SYSTEM, resourceVersion: '1' }, spec: { addresses: ['2001:db8:1::/112'] }, status: { assignedIPv4: 0, assignedIPv6: N, availableIPv4: 0, availableIPv6: 65536 - N } };
const fixtures: Record<string, () => ReturnType<typeof list>> = {
  services: () => list(Array.from({ length: N }, (_, i) => service(i)), 'Service'),
  endpointslices: () => list(Array.from({ length: N }, (_, i) => slice(i)), 'EndpointSlice', 'discovery.k8s.io/v1'),
  namespaces: () => list([{ metadata: { name: 'scale' } }], 'Namespace'),
  nodes: () => list([{ metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } }, status: { addresses: [{ type: 'InternalIP', address: '2001:db8::11' }] } }], 'Node'),
  pools: () => list([pool], 'IPAddressPool', 'barelb.io/v1beta1'),
  bgppeers: () => list([{ metadata: { name: 'router', namespace: SYSTEM }, spec: { myASN: 64512, peerASN: 64500, peerAddress: '2001:db8::1' } }], 'BGPPeer', 'barelb.io/v1beta2'),
  bgpadvertisements: () => list([{ metadata: { name: 'all', namespace: SYSTEM }, spec: {} }], 'BGPAdvertisement', 'barelb.io/v1beta1'),
};
/** A client whose watches are fed by the harness, and whose status writes come back as MODIFIED events. */
class BurstKube extends FakeKube {
  readonly streams = new Map<string, (e: WatchEvent) => void>();
  readonly services = new Map<string, WireObject>();
  override watch(path: string, _rv: string, onEvent: (e: WatchEvent) => void, signal: AbortSignal): Promise<void> {
    this.streams.set(path, onEvent);
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }
  override async patch(path: string, body: WireObject): Promise<WireObject> {
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/?]+)(\/status)?/.exec(path);
    const key = m === null ? undefined : `${m[1]}/${m[2]}`;
    const current = key === undefined ? undefined : this.services.get(key);
    if (key === undefined || current === undefined) return {};
    const meta = current['metadata'] as WireObject;
    const next: WireObject = m?.[3] === undefined
      ? { ...current, metadata: { ...meta, annotations: { ...(meta['annotations'] as WireObject | undefined), ...((body['metadata'] as WireObject)['annotations'] as WireObject) }, resourceVersion: String(Number(meta['resourceVersion']) + 1) } }
      : { ...current, status: body['status'], metadata: { ...meta, resourceVersion: String(Number(meta['resourceVersion']) + 1) } };
    // Like the API server: a write that changes nothing bumps no resourceVersion and sends no event.
    const strip = (o: WireObject) => JSON.stringify({ ...o, metadata: { ...(o['metadata'] as WireObject), resourceVersion: '' } });
    if (strip(next) === strip(current)) return JSON.parse(JSON.stringify(current)) as WireObject;
    this.services.set(key, next);
    setImmediate(() => this.streams.get('/api/v1/services')?.({ type: 'MODIFIED', object: JSON.parse(JSON.stringify(next)) as WireObject }));
    return JSON.parse(JSON.stringify(next)) as WireObject;
  }
  override async create(): Promise<WireObject> {
    return {};
  }
}

if (values.burst) {
  const burst = new BurstKube();
  const existing = Array.from({ length: EXISTING }, (_, i) => service(N + i));
  for (const o of existing) burst.services.set(`scale/${String((o['metadata'] as WireObject)['name'])}`, o);
  for (const p of Object.keys(controllerPaths(SYSTEM))) {
    burst.lists.push(p === 'pools' ? fixtures['pools']!() : p === 'namespaces' ? fixtures['namespaces']!() : p === 'services' ? list(existing, 'Service') : list([], 'Unused'));
  }
  const logger = createLogger('controller', 'warn');
  const events = new EventRecorder({ client: burst, controller: 'barelb.io/controller', instance: 'bench', now: Date.now, onError: () => undefined });
  const store = k8sControllerStore({ client: burst, namespace: SYSTEM, logger, clock: { sleep: () => new Promise<void>(() => undefined) }, now: Date.now, events });
  const controller = new Controller({ store, logger, metrics: controllerMetrics(new Registry()), options: { loadBalancerClass: null } });
  const stop = new AbortController();
  const running = controller.run(stop.signal);
  while (!controller.status.ready) await new Promise((r) => setTimeout(r, 20));
  report(`ready over ${EXISTING} Services`);
  const t0 = performance.now();
  const step = RATE > 0 ? 1 : 32;
  for (let i = 0; i < N; i += step) {
    if (RATE > 0) {
      const due = t0 + (i * 1000) / RATE;
      if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
    }
    for (let j = i; j < Math.min(N, i + step); j++) {
      const fresh = service(j);
      const { status: _none, ...created } = fresh;
      const obj = { kind: 'Service', apiVersion: 'v1', ...created, metadata: { ...(created['metadata'] as WireObject), annotations: {} } };
      burst.services.set(`scale/svc-${j}`, obj);
      burst.streams.get('/api/v1/services')?.({ type: 'ADDED', object: JSON.parse(JSON.stringify(obj)) as WireObject });
    }
    if (RATE === 0) await new Promise((r) => setTimeout(r, 1));
  }
  const allocated = () => [...burst.services.values()].filter((o) => Array.isArray(((o['status'] as WireObject | undefined)?.['loadBalancer'] as WireObject | undefined)?.['ingress'])).length - EXISTING;
  while (allocated() < N && performance.now() - t0 < 300_000) await new Promise((r) => setTimeout(r, 100));
  process.stdout.write(`${allocated()}/${N} allocated ${((performance.now() - t0) / 1000).toFixed(1)} s after the first event\n`);
  await new Promise((r) => setTimeout(r, 1000));
  report('after the burst');
  stop.abort();
  await running;
  process.exit(0);
}

const paths = values.speaker ? Object.keys(speakerPaths(SYSTEM)) : Object.keys(controllerPaths(SYSTEM));
for (const p of paths) client.lists.push(fixtures[p]?.() ?? list([], 'Unused'));
report(`${N} Services${values.speaker ? ' + EndpointSlices' : ''} listed (fake)`);
const logger = createLogger(values.speaker ? 'speaker' : 'controller', 'warn');
const clock = { sleep: () => new Promise<void>(() => undefined) };
const stop = new AbortController();

if (values.speaker) {
  /** FRR stand-in: takes every batch; its running config is the last file written. */
  let written = '';
  const port: FrrPort = {
    runBatch: () => Promise.resolve(ok({ warnings: [] })),
    runExec: () => Promise.resolve(ok({ warnings: [] })),
    showRunning: () => Promise.resolve(ok(written)),
    reload: (text) => { written = text; return Promise.resolve(ok({ warnings: [] })); },
    writeConfigFile: (text) => { written = text; return Promise.resolve(ok(undefined)); },
  };
  let applied = 0;
  const applier = new Applier({ port, clock: systemClock, logger });
  const queue = new ApplyQueue({ applier, clock: systemClock, logger, onEvent: (e) => void (e.type === 'applied' && (applied += 1)) });
  const queueDone = queue.run(stop.signal);
  const handler = bgpHandler({ hostname: 'node-1', logLevel: 'informational', ignoreExcludeLB: false, sink: queue, logger });
  const store = k8sSpeakerStore({ client, namespace: SYSTEM, logger, clock });
  const speaker = new Speaker({ node: 'node-1', store, handlers: [handler], logger });
  const running = speaker.run(stop.signal);
  while (applied === 0) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500));
  report(`applied (${written.split('\n').filter((l) => l.includes('network ')).length} networks)`);
  store.set.poke();
  await new Promise((r) => setTimeout(r, 1500));
  report('after a second round');
  stop.abort();
  await Promise.all([running, queueDone]);
} else {
  const events = { record: () => undefined, flushed: async () => undefined } as never;
  const store = k8sControllerStore({ client, namespace: SYSTEM, logger, clock, now: Date.now, events });
  const controller = new Controller({ store, logger, metrics: controllerMetrics(new Registry()), options: { loadBalancerClass: null } });
  const running = controller.run(stop.signal);
  while (!controller.status.ready) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 200));
  report('after first round (ready)');
  process.stdout.write(`status writes: ${client.writes.length} (a settled cluster: 0 expected)${client.writes.length === 0 ? '' : `: ${client.writes.map((w) => w.path).join(' ')}`}\n`);
  store.set.poke();
  await new Promise((r) => setTimeout(r, 1000));
  report('after a second round');
  stop.abort();
  await running;
}
