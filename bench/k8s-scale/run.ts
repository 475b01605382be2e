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
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { kubeClient } from '../../src/k8s/client.ts';
import { startControlPlane } from '../../e2e/cluster/control-plane.ts';
import { installCrds } from '../../e2e/k8s/crds-helpers.ts';
import { BarelbProcess, imageRuntime } from '../../e2e/harness/barelb.ts';
import { Teardown } from '../../e2e/harness/cleanup.ts';
import { FrrInstance } from '../../e2e/harness/frr.ts';
import { ensureFrrRoot, frrRoot } from '../../e2e/harness/frr-root.ts';
import { buildLan } from '../../e2e/harness/lan.ts';
import { CONTROLLER_METRICS, NS, SPEAKER_METRICS, SYSTEM, countAllocated, createServices, createSpeakerObjects, logger, metricSum, peakRssMb, pool, sleep, waitReady } from './fixtures.ts';

const { values } = parseArgs({ options: { services: { type: 'string', default: '10000' }, concurrency: { type: 'string', default: '32' }, 'no-speaker': { type: 'boolean', default: false }, sources: { type: 'boolean', default: false } } });
const N = Number(values.services);
const CONCURRENCY = Number(values.concurrency);
const log = logger('k8s-scale');
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
    await api.create(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/ipaddresspools`, pool());

    const controllerArgs = ['controller', '--kubeconfig', cp.kubeconfigPath, '--namespace', SYSTEM, '--no-leader-elect', '--metrics-address', CONTROLLER_METRICS];
    let controller = BarelbProcess.start(controllerArgs, { label: 'controller', ...how });
    teardown.defer(async () => void (await controller.stop()));
    await waitReady(CONTROLLER_METRICS, 60_000);

    log(`creating ${N} Services (${CONCURRENCY} at a time)`);
    const t0 = performance.now();
    await createServices(api, N, CONCURRENCY, (created) => log(`  created ${created}/${N} (${((performance.now() - t0) / 1000).toFixed(1)} s)`));
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
      await createSpeakerObjects(api);
      const inNs = ['ip', 'netns', 'exec', n1.ns.name, 'chroot', frrRoot()];
      const t1 = performance.now();
      const speaker = BarelbProcess.start([
        'speaker', '--kubeconfig', cp.kubeconfigPath, '--namespace', SYSTEM, '--node', 'node-1', '--no-l2',
        '--vtysh', [...inNs, '/usr/bin/vtysh'].join(' '), '--frr-reload', [...inNs, '/usr/lib/frr/frr-reload.py'].join(' '),
        '--frr-root', frrRoot(), '--frr-pathspace', frr.name, '--metrics-address', SPEAKER_METRICS,
      ], { label: 'speaker', ...how });
      teardown.defer(async () => void (await speaker.stop()));
      const readyMs2 = await waitReady(SPEAKER_METRICS, 600_000);
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
