// One trial of each kind. barelb: write one Service manifest into the local directory and time
// until the router logs its prefix from node 1 (controller allocation, state file, speaker render,
// plan and vtysh batch, BGP UPDATE); then delete it and time the withdrawal. Baseline: write the
// whole frr.conf (barelb's rendering, plus that Service) for node 2 and frr-reload.py it, timed
// until the router logs the prefix from node 2; then reload the config without it.

import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BarelbProcess } from '../../e2e/harness/barelb.ts';
import { waitFor } from '../../e2e/harness/frr.ts';
import type { BaselineRenderer } from './baseline-render.ts';
import { labQuiet, readAllocations, reloadLikeMetalLB, routerHas, type Lab } from './lab.ts';
import { SERVICE_NAMESPACE, serviceManifest, trialIndex, trialName } from './manifests.ts';

export type BarelbSample = {
  readonly prefix: string;
  /** Manifest written → prefix in the router's table (ms). */
  readonly ms: number;
  /** Manifest deleted → prefix withdrawn at the router (ms). */
  readonly withdrawMs: number;
  /** From the processes' logs (ms since the manifest was written; null when not found). */
  readonly allocatedAt: number | null;
  readonly batchSentAt: number | null;
  readonly appliedAt: number | null;
  /** vtysh batch duration as the applier reports it (plan → FRR done). */
  readonly applyMs: number | null;
};

export type BaselineSample = {
  /** frr.conf written → prefix in the router's table (ms). */
  readonly ms: number;
  /** The whole frr-reload.py run (it goes on after the prefix is out: second pass, `write`). */
  readonly reloadMs: number;
  /** The reload without the Service → withdrawn at the router (ms). */
  readonly withdrawMs: number;
};

type LogLine = Record<string, unknown>;

const logTime = (l: LogLine): number => (typeof l['time'] === 'string' ? Date.parse(l['time']) : typeof l['time'] === 'number' ? l['time'] : Number.NaN);

function firstAfter(p: BarelbProcess, since: number, match: (l: LogLine) => boolean): LogLine | undefined {
  return p.logLines().find((l) => logTime(l) >= since - 1 && match(l));
}

const v6Prefix = (ip: string): string => `${ip}/128`;

/** The timeline of one change from the controller's and speaker's logs (ms after `t0Wall`). */
function timeline(lab: Lab, t0Wall: number, key: string, prefix: string): Pick<BarelbSample, 'allocatedAt' | 'batchSentAt' | 'appliedAt' | 'applyMs'> {
  const allocated = firstAfter(lab.controller, t0Wall, (l) => l['service'] === key && l['reason'] === 'IPAllocated');
  const sent = firstAfter(lab.speaker, t0Wall, (l) => l['msg'] === 'sending FRR batch' && JSON.stringify(l['commands'] ?? []).includes(` network ${prefix} `));
  const applied = sent === undefined ? undefined : firstAfter(lab.speaker, logTime(sent), (l) => l['msg'] === 'applied FRR config' && l['hash'] === sent['hash']);
  const at = (l: LogLine | undefined): number | null => (l === undefined ? null : logTime(l) - t0Wall);
  return { allocatedAt: at(allocated), batchSentAt: at(sent), appliedAt: at(applied), applyMs: typeof applied?.['ms'] === 'number' ? applied['ms'] : null };
}

export async function barelbTrial(lab: Lab, seq: number, timeoutMs: number, check: boolean): Promise<BarelbSample> {
  const name = trialName(seq);
  const key = `${SERVICE_NAMESPACE}/${name}`;
  const file = join(lab.dir, `${name}.yaml`);
  const peer = lab.node.ipv6;
  lab.routerLog.reset();
  const t0Wall = Date.now();
  const t0 = performance.now();
  writeFileSync(file, serviceManifest(name, trialIndex(seq)));
  let seen;
  try {
    seen = await lab.routerLog.waitFor('announced', peer, null, timeoutMs);
  } catch (e) {
    unlinkSync(file);
    throw e;
  }
  const ms = seen.at - t0;
  const ips = await waitFor(() => readAllocations(lab.dir).get(key), 10_000, { intervalMs: 20, what: `${key} in the state file` });
  const prefix = v6Prefix(ips[0] ?? '');
  if (seen.prefix !== prefix) throw new Error(`the router got ${seen.prefix} from node 1, but ${key} holds ${prefix}`);
  if (check && !(await routerHas(lab.router, prefix, peer))) throw new Error(`${prefix} logged but not in the router's table`);
  lab.routerLog.reset();
  const t1 = performance.now();
  unlinkSync(file);
  const gone = await lab.routerLog.waitFor('withdrawn', peer, prefix, timeoutMs);
  const withdrawMs = gone.at - t1;
  await labQuiet(lab);
  // Read once everything is quiet: every line of the addition is in the logs by now.
  return { prefix, ms, withdrawMs, ...timeline(lab, t0Wall, key, prefix) };
}

/** `withIt` and `without` are the baseline node's whole frr.conf with and without the trial Service. */
export async function baselineTrial(lab: Lab, texts: { withIt: string; without: string }, prefix: string, timeoutMs: number, check: boolean): Promise<BaselineSample> {
  const peer = lab.baseline.ipv6;
  lab.routerLog.reset();
  const t0 = performance.now();
  const reload = reloadLikeMetalLB(lab.baselineFrr, texts.withIt, timeoutMs).then(() => performance.now() - t0);
  // A failed reload must not leave the wait hanging until its timeout.
  const seen = await Promise.race([lab.routerLog.waitFor('announced', peer, prefix, timeoutMs), reload.then(() => lab.routerLog.waitFor('announced', peer, prefix, 10_000))]);
  const ms = seen.at - t0;
  const reloadMs = await reload;
  if (check && !(await routerHas(lab.router, prefix, peer))) throw new Error(`${prefix} logged but not in the router's table`);
  await labQuiet(lab);
  lab.routerLog.reset();
  const t1 = performance.now();
  await reloadLikeMetalLB(lab.baselineFrr, texts.without, timeoutMs);
  const gone = await lab.routerLog.waitFor('withdrawn', peer, prefix, timeoutMs);
  const withdrawMs = gone.at - t1;
  await labQuiet(lab);
  return { ms, reloadMs, withdrawMs };
}

export type FloorSample = {
  /** One `vtysh -c … network P route-map …` started → prefix in the router's table (ms). */
  readonly ms: number;
  /** That vtysh run alone (process start to exit). */
  readonly vtyshMs: number;
};

/**
 * FRR's own floor, whatever drives it: the same one-line change typed into vtysh on the baseline
 * node (which runs the same config), with no planning, rendering or file at all.
 */
export async function floorTrial(lab: Lab, routerBgp: string, tagRouteMap: string, prefix: string, timeoutMs: number): Promise<FloorSample> {
  const peer = lab.baseline.ipv6;
  const configure = (line: string) => lab.baselineFrr.vtysh(['-d', 'bgpd', '-c', 'configure terminal', '-c', routerBgp, '-c', 'address-family ipv6 unicast', '-c', line], { timeoutMs });
  lab.routerLog.reset();
  const t0 = performance.now();
  const ran = configure(`network ${prefix} route-map ${tagRouteMap}`).then((r) => {
    if (r.exitCode !== 0) throw new Error(`vtysh: ${r.stdout}${r.stderr}`);
    return performance.now() - t0;
  });
  const seen = await Promise.race([lab.routerLog.waitFor('announced', peer, prefix, timeoutMs), ran.then(() => lab.routerLog.waitFor('announced', peer, prefix, 10_000))]);
  const ms = seen.at - t0;
  const vtyshMs = await ran;
  lab.routerLog.reset();
  const undo = await configure(`no network ${prefix} route-map ${tagRouteMap}`);
  if (undo.exitCode !== 0) throw new Error(`vtysh: ${undo.stdout}${undo.stderr}`);
  await lab.routerLog.waitFor('withdrawn', peer, prefix, timeoutMs);
  await labQuiet(lab);
  return { ms, vtyshMs };
}

/** The whole frr.conf with and without one extra Service at `ip` (rendered before the clock starts). */
export async function baselineTexts(renderer: BaselineRenderer, seq: number, ip: string): Promise<{ withIt: string; without: string }> {
  const without = await renderer.render(null);
  const withIt = await renderer.render({ name: trialName(seq), index: trialIndex(seq), ip });
  return { withIt, without };
}
