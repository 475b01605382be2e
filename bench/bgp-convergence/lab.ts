// The benchmark lab: the e2e segment with a router and two nodes. Node 1 runs barelb (controller and
// speaker in local mode, the speaker driving node 1's FRR); node 2's FRR is driven the way MetalLB
// does it (the whole frr.conf written, then frr-reload.py --reload), with the config barelb renders.
// Both peer over IPv6 with the router, whose bgpd logs every UPDATE it receives (router-log.ts).
// Everything is registered with the caller's Teardown; namespaces and PIDs are also tracked for
// the exit handlers, so a crash or Ctrl-C still removes them.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BarelbProcess } from '../../e2e/harness/barelb.ts';
import { Teardown, tracked } from '../../e2e/harness/cleanup.ts';
import { FrrInstance, waitFor } from '../../e2e/harness/frr.ts';
import { frrRoot, inRoot } from '../../e2e/harness/frr-root.ts';
import { ROUTER_IPV4, ROUTER_IPV6, buildLan, type Lan, type LanNode } from '../../e2e/harness/lan.ts';
import { run, describeFailure } from '../../e2e/harness/run.ts';
import { NODE_AS, NODE_NAME, ROUTER_AS, configManifests } from './manifests.ts';
import { namespacePids, waitForQuiet } from './quiet.ts';
import { RouterLog } from './router-log.ts';

export const BASELINE_HOSTNAME = 'node-2';

function routerConfig(nodes: readonly LanNode[]): string {
  return [
    'frr defaults traditional',
    'log timestamp precision 3',
    'debug bgp updates in',
    `router bgp ${ROUTER_AS}`,
    ` bgp router-id ${ROUTER_IPV4}`,
    ' no bgp ebgp-requires-policy',
    ' no bgp default ipv4-unicast',
    ...nodes.flatMap((n) => [` neighbor ${n.ipv6} remote-as ${NODE_AS}`, ` neighbor ${n.ipv6} timers connect 1`]),
    ' address-family ipv6 unicast',
    ...nodes.map((n) => `  neighbor ${n.ipv6} activate`),
    ' exit-address-family',
    'exit',
    '',
  ].join('\n');
}

export type Lab = {
  readonly lan: Lan;
  readonly router: FrrInstance;
  readonly routerLog: RouterLog;
  /** Node 1: barelb's. */
  readonly node: LanNode;
  nodeFrr: FrrInstance;
  /** Node 2: the baseline's. */
  readonly baseline: LanNode;
  readonly baselineFrr: FrrInstance;
  /** The local-mode directory. */
  readonly dir: string;
  readonly controller: BarelbProcess;
  speaker: BarelbProcess;
};

export const speakerArgs = (lab: Pick<Lab, 'dir' | 'node'>, frr: FrrInstance): string[] => [
  'speaker', '--local', lab.dir, '--node', NODE_NAME, '--no-l2', '--log-level', 'info', '--hostname', NODE_NAME,
  '--vtysh', `ip netns exec ${lab.node.ns.name} chroot ${frrRoot()} /usr/bin/vtysh`,
  '--frr-reload', `ip netns exec ${lab.node.ns.name} chroot ${frrRoot()} /usr/lib/frr/frr-reload.py`,
  '--frr-root', frrRoot(), '--frr-pathspace', frr.name,
];

/** Starts a speaker for node 1; its stop is registered with `teardown`. */
export function startSpeaker(lab: Pick<Lab, 'dir' | 'node'>, frr: FrrInstance, teardown: Teardown): BarelbProcess {
  const s = BarelbProcess.start(speakerArgs(lab, frr), { label: 'speaker1' });
  teardown.defer(async () => void (await s.stop()));
  return s;
}

/** A node FRR with no configuration (the speaker gives it everything). */
export async function startNodeFrr(node: LanNode, teardown: Teardown): Promise<FrrInstance> {
  const f = await FrrInstance.start({ netns: node.ns, config: 'frr defaults traditional\n', daemons: [], timeoutMs: 60_000 });
  teardown.defer(() => f.stop());
  return f;
}

export async function startLab(teardown: Teardown): Promise<Lab> {
  const lan = await buildLan(2);
  teardown.defer(() => lan.destroy());
  const [node, baseline] = lan.nodes as [LanNode, LanNode];
  const router = await FrrInstance.start({ netns: lan.router, config: routerConfig(lan.nodes), daemons: [] });
  teardown.defer(() => router.stop());
  const routerLog = new RouterLog(`${router.runDir}/bgpd.log`);
  teardown.defer(() => routerLog.close());
  const nodeFrr = await startNodeFrr(node, teardown);
  const baselineFrr = await startNodeFrr(baseline, teardown);
  const dir = mkdtempSync(join(tmpdir(), 'barelb-bench-bgp-'));
  tracked.addPath(dir);
  teardown.defer(() => {
    rmSync(dir, { recursive: true, force: true });
    tracked.dropPath(dir);
  });
  writeFileSync(join(dir, 'config.yaml'), configManifests(node.ipv4, ROUTER_IPV6));
  const controller = BarelbProcess.start(['controller', '--local', dir, '--log-level', 'info'], { label: 'controller' });
  teardown.defer(async () => void (await controller.stop()));
  const speaker = startSpeaker({ dir, node }, nodeFrr, teardown);
  return { lan, router, routerLog, node, nodeFrr, baseline, baselineFrr, dir, controller, speaker };
}

/** Waits until barelb's processes and everything in the lab's namespaces are nearly idle (bounded). */
export async function labQuiet(lab: Lab, timeoutMs = 20_000): Promise<boolean> {
  const pids = (): number[] => [lab.controller.pid, lab.speaker.pid, ...[lab.lan.router, lab.node.ns, lab.baseline.ns].flatMap((ns) => namespacePids(ns.name))];
  return waitForQuiet(pids, { timeoutMs });
}

type Summary = { peers?: Record<string, { pfxRcd?: number; state?: string }> };

/** Prefixes the router holds from `peer` (0 when the session is down). */
export async function prefixesFrom(router: FrrInstance, peer: string): Promise<{ count: number; established: boolean }> {
  const s = (await router.showJson('show bgp ipv6 unicast summary json')) as Summary;
  const p = s.peers?.[peer];
  return { count: p?.pfxRcd ?? 0, established: p?.state === 'Established' };
}

export async function waitForPrefixCount(router: FrrInstance, peer: string, n: number, timeoutMs: number): Promise<void> {
  await waitFor(async () => (await prefixesFrom(router, peer)).count === n, timeoutMs, { intervalMs: 250, what: `${n} prefixes from ${peer} at the router` });
}

/** Whether the router's table has `prefix` with a path from `peer` (a check, not a timing). */
export async function routerHas(router: FrrInstance, prefix: string, peer: string): Promise<boolean> {
  const json = (await router.showJson(`show bgp ipv6 unicast ${prefix} json`)) as { paths?: { peer?: { peerId?: string } }[] };
  return (json.paths ?? []).some((p) => p.peer?.peerId === peer);
}

/** The allocations the controller wrote, by Service key. */
export function readAllocations(dir: string): Map<string, string[]> {
  try {
    const json = JSON.parse(readFileSync(join(dir, '.barelb/state.json'), 'utf8')) as { services?: Record<string, { ips: string[] }> };
    return new Map(Object.entries(json.services ?? {}).map(([k, v]) => [k, v.ips]));
  } catch {
    return new Map();
  }
}

/** The file the baseline writes, as FRR sees it (MetalLB's shared /etc/frr/frr.conf). */
export const baselineConfigPath = (frr: FrrInstance): string => `/etc/frr/${frr.name}/frr.conf`;

/**
 * MetalLB's way: write the whole frr.conf, then `frr-reload.py --reload --overwrite` it (its
 * reloader also runs `--test` first and waits out a 3 s debounce; neither is counted here).
 */
export async function reloadLikeMetalLB(frr: FrrInstance, text: string, timeoutMs: number): Promise<void> {
  const path = baselineConfigPath(frr);
  writeFileSync(inRoot(path), text, { mode: 0o640 });
  const r = await frr.netns.exec('chroot', [frrRoot(), '/usr/lib/frr/frr-reload.py', '--reload', '--overwrite', '-N', frr.name, '--stdout', path], { timeoutMs });
  if (r.exitCode !== 0) throw new Error(`frr-reload.py failed: ${describeFailure(r).slice(0, 2000)}`);
}

export async function frrVersion(frr: FrrInstance): Promise<string> {
  const r = await run('chroot', [frrRoot(), '/usr/lib/frr/bgpd', '--version']);
  return (r.stdout.split('\n')[0] ?? '').trim() || (await frr.show('show version')).split('\n')[0]?.trim() || 'unknown';
}
