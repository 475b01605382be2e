// bench/k8s-scale: N LoadBalancer Services (default 10 000) through a real kube-apiserver + etcd.
// Each Service has an EndpointSlice with one ready endpoint on node-1.
// Measures: time from the first create until every Service has its address (controller running);
// controller cold start over N allocated Services (time to ready, and the writes it makes: target
// 0); peak RSS (VmHWM) of the controller and of a speaker that renders and applies frr.conf to a
// real FRR 10.3 (in a namespace, from the test chroot) for all N addresses.
//
//   npm run bench:k8s -- [--services 10000] [--concurrency 32] [--no-speaker]
//
// IPv6 addresses (2001:db8:1::/112): documentation IPv4 ranges hold only 768 addresses. Services are
// single-stack IPv6 with allocateLoadBalancerNodePorts false (NodePorts would run out at 2 768).

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { kubeClient, type KubeClient, type WireObject } from '../../src/k8s/client.ts';
import { startControlPlane } from '../../e2e/cluster/control-plane.ts';
import { installCrds } from '../../e2e/k8s/crds-helpers.ts';
import { BarelbProcess, imageRuntime } from '../../e2e/harness/barelb.ts';
import { Teardown } from '../../e2e/harness/cleanup.ts';
import { FrrInstance } from '../../e2e/harness/frr.ts';
import { ensureFrrRoot, frrRoot } from '../../e2e/harness/frr-root.ts';
import { buildLan } from '../../e2e/harness/lan.ts';

const { values } = parseArgs({ options: { services: { type: 'string', default: '10000' }, concurrency: { type: 'string', default: '32' }, 'no-speaker': { type: 'boolean', default: false }, sources: { type: 'boolean', default: false } } });
const N = Number(values.services);
const CONCURRENCY = Number(values.concurrency);
const SYSTEM = 'barelb-system';
const NS = 'scale';
const CONTROLLER_METRICS = '127.0.0.1:19471';

const log = (msg: string) => process.stdout.write(`[k8s-scale ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const peakRssMb = (pid: number): number => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m?.[1] === undefined ? Number.NaN : Math.round(Number(m[1]) / 1024);
};

async function bounded<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await task(items[next++] as T);
  }));
}

const service = (i: number): WireObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: `svc-${i}`, namespace: NS },
  spec: { type: 'LoadBalancer', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'], allocateLoadBalancerNodePorts: false, ports: [{ port: 80, protocol: 'TCP' }], selector: { app: `svc-${i}` } },
});

const endpointSlice = (i: number): WireObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `svc-${i}-1`, namespace: NS, labels: { 'kubernetes.io/service-name': `svc-${i}`, 'endpointslice.kubernetes.io/managed-by': 'bench' } },
  addressType: 'IPv6',
  endpoints: [{ addresses: [`fd00:1::${(i + 1).toString(16)}`], nodeName: 'node-1', conditions: { ready: true } }],
  ports: [{ port: 80, protocol: 'TCP' }],
});

async function countAllocated(api: KubeClient): Promise<number> {
  const list = await api.list(`/api/v1/namespaces/${NS}/services`);
  return list.items.filter((s) => {
    const ingress = ((s['status'] as WireObject | undefined)?.['loadBalancer'] as WireObject | undefined)?.['ingress'];
    return Array.isArray(ingress) && ingress.length > 0;
  }).length;
}

async function metricSum(address: string, name: string): Promise<number> {
  const text = await (await fetch(`http://${address}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith(name)).reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

async function waitReady(address: string, budgetMs: number): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < budgetMs) {
    const ok = await fetch(`http://${address}/readyz`).then((r) => r.ok, () => false);
    if (ok) return performance.now() - t0;
    await sleep(50);
  }
  throw new Error(`${address} not ready within ${budgetMs} ms`);
}

/** The image's way (dist/ under the Dockerfile's environment and node flags), built first; `--sources` runs src/*.ts with Node's defaults, for comparison. */
function runtime(): { readonly built: boolean; readonly nodeArgs: readonly string[]; readonly env: Readonly<Record<string, string>>; readonly label: string } {
  if (values.sources === true) return { built: false, nodeArgs: [], env: {}, label: 'sources (src/*.ts), Node defaults' };
  log('building dist/ (npm run build), as the image does');
  execFileSync(process.execPath, [join(import.meta.dirname, '../../node_modules/typescript/bin/tsc'), '-p', join(import.meta.dirname, '../../tsconfig.build.json')], { stdio: 'inherit' });
  const image = imageRuntime();
  const env = Object.entries(image.env).map(([k, v]) => `${k}=${v}`).join(' ');
  return { ...image, label: `build (dist/), ${env} node ${image.nodeArgs.join(' ')} (as Dockerfile.speaker)` };
}

async function main(): Promise<void> {
  const teardown = new Teardown();
  const run = runtime();
  const how = { built: run.built, nodeArgs: run.nodeArgs, env: run.env };
  // Ctrl-C: stop what was started (apiserver, etcd, barelb, FRR, namespaces) before exiting.
  process.once('SIGINT', () => void teardown.run().finally(() => process.exit(130)));
  const result: Record<string, unknown> = { services: N, machine: { host: hostname(), cpu: cpus()[0]?.model, cores: cpus().length }, date: new Date().toISOString(), node: process.version, runtime: run.label };
  try {
    log(`starting kube-apiserver + etcd (binaries cached in /var/cache/barelb)`);
    const cp = await startControlPlane();
    teardown.defer(() => cp.stop());
    const api = kubeClient(cp.kubeConfig);
    await installCrds(cp.kubeConfig);
    for (const ns of [SYSTEM, NS]) await api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await api.create(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/ipaddresspools`, { apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'scale', namespace: SYSTEM }, spec: { addresses: ['2001:db8:1::/112'] } });

    const controllerArgs = ['controller', '--kubeconfig', cp.kubeconfigPath, '--namespace', SYSTEM, '--no-leader-elect', '--metrics-address', CONTROLLER_METRICS];
    let controller = BarelbProcess.start(controllerArgs, { label: 'controller', ...how });
    teardown.defer(async () => void (await controller.stop()));
    await waitReady(CONTROLLER_METRICS, 60_000);

    log(`creating ${N} Services (${CONCURRENCY} at a time)`);
    const t0 = performance.now();
    let created = 0;
    await bounded(Array.from({ length: N }, (_, i) => i), CONCURRENCY, async (i) => {
      await api.create(`/api/v1/namespaces/${NS}/services`, service(i));
      // One ready endpoint on node-1: like MetalLB, barelb announces no Service without one.
      await api.create(`/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`, endpointSlice(i));
      created += 1;
      if (created % 1000 === 0) log(`  created ${created}/${N} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    });
    const createdMs = performance.now() - t0;
    let allocated = 0;
    for (let i = 0; i < 1200 && allocated < N; i++) {
      allocated = await countAllocated(api);
      if (i % 5 === 0) log(`  ${allocated}/${N} have an address (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      if (allocated < N) await sleep(1000);
    }
    const allAllocatedMs = performance.now() - t0;
    result['create'] = { createdSeconds: +(createdMs / 1000).toFixed(1), allAllocatedSeconds: +(allAllocatedMs / 1000).toFixed(1), allocated };
    result['controllerPeakRssMbDuringCreate'] = peakRssMb(controller.pid);
    log(`all ${allocated} allocated ${(allAllocatedMs / 1000).toFixed(1)} s after the first create (creates took ${(createdMs / 1000).toFixed(1)} s); controller peak RSS ${String(result['controllerPeakRssMbDuringCreate'])} MB`);

    log('controller cold start over the allocated Services');
    await controller.stop();
    controller = BarelbProcess.start(controllerArgs, { label: 'controller-restart', ...how });
    const readyMs = await waitReady(CONTROLLER_METRICS, 300_000);
    await sleep(10_000);
    const writes = await metricSum(CONTROLLER_METRICS, 'barelb_k8s_writes_total');
    const byTarget = (await (await fetch(`http://${CONTROLLER_METRICS}/metrics`)).text()).split('\n').filter((l) => l.startsWith('barelb_k8s_writes_total'));
    if (writes > 0) log(`writes after the restart, by target:\n${byTarget.join('\n')}\n${controller.logTail(5)}`);
    result['coldStart'] = { readySeconds: +(readyMs / 1000).toFixed(2), statusWritesIn10s: writes, peakRssMb: peakRssMb(controller.pid) };
    log(`ready after ${(readyMs / 1000).toFixed(2)} s; ${writes} writes in the 10 s after; peak RSS ${peakRssMb(controller.pid)} MB`);

    if (!values['no-speaker']) {
      log('speaker with real FRR 10.3 for all addresses');
      await ensureFrrRoot();
      const lan = await buildLan(1);
      teardown.defer(() => lan.destroy());
      const n1 = lan.nodes[0];
      if (n1 === undefined) throw new Error('no node');
      const frr = await FrrInstance.start({ netns: n1.ns, config: 'frr defaults traditional\n', daemons: [] });
      teardown.defer(() => frr.stop());
      await api.create('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } } });
      await api.create(`/apis/barelb.io/v1beta2/namespaces/${SYSTEM}/bgppeers`, { apiVersion: 'barelb.io/v1beta2', kind: 'BGPPeer', metadata: { name: 'router', namespace: SYSTEM }, spec: { myASN: 64512, peerASN: 64500, peerAddress: '2001:db8::1' } });
      await api.create(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/bgpadvertisements`, { apiVersion: 'barelb.io/v1beta1', kind: 'BGPAdvertisement', metadata: { name: 'all', namespace: SYSTEM }, spec: {} });
      const inNs = ['ip', 'netns', 'exec', n1.ns.name, 'chroot', frrRoot()];
      const t1 = performance.now();
      const speaker = BarelbProcess.start([
        'speaker', '--kubeconfig', cp.kubeconfigPath, '--namespace', SYSTEM, '--node', 'node-1', '--no-l2',
        '--vtysh', [...inNs, '/usr/bin/vtysh'].join(' '), '--frr-reload', [...inNs, '/usr/lib/frr/frr-reload.py'].join(' '),
        '--frr-root', frrRoot(), '--frr-pathspace', frr.name, '--metrics-address', '127.0.0.1:19472',
      ], { label: 'speaker', ...how });
      teardown.defer(async () => void (await speaker.stop()));
      const readyMs2 = await waitReady('127.0.0.1:19472', 600_000);
      const countNetworks = async () => (await frr.vtysh(['-c', 'show running-config'])).stdout.split('\n').filter((l) => l.trim().startsWith('network 2001:db8:1:')).length;
      let networks = await countNetworks();
      for (let i = 0; i < 300 && networks < N; i++) {
        await sleep(1000);
        networks = await countNetworks();
      }
      const allInFrrMs = performance.now() - t1;
      if (networks < N) log(`speaker log tail:\n${speaker.logTail(15)}`);
      result['speaker'] = { readySeconds: +(readyMs2 / 1000).toFixed(1), allInFrrSeconds: +(allInFrrMs / 1000).toFixed(1), networksInFrr: networks, peakRssMb: peakRssMb(speaker.pid) };
      log(`speaker ready after ${(readyMs2 / 1000).toFixed(1)} s; FRR holds ${networks} networks after ${(allInFrrMs / 1000).toFixed(1)} s; peak RSS ${peakRssMb(speaker.pid)} MB`);
    }
  } finally {
    await teardown.run();
  }
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  // Date and time: two runs on one day must not overwrite each other.
  const file = join(dir, `${new Date().toISOString().slice(0, 16).replace(':', '-')}-${N}${run.built ? '' : '-sources'}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`results: ${file}`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

await main();
