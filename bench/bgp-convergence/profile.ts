// Where one Service change spends its time inside barelb, stage by stage, in one process and
// without FRR: the controller's half (load the directory, parse, allocate, encode + write the state
// file, dry-run render) and the speaker's half (load again, parse, decide, render, plan the diff
// against the previous config, build the vtysh batch). No root needed.
// Usage: node bench/bgp-convergence/profile.ts [--n 100,1000,10000] [--repeat 5] [--json]

import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseInput } from '../../src/api/input.ts';
import { dryRunRender } from '../../src/controller/dry-run.ts';
import { reconcile, type Allocations } from '../../src/controller/reconcile.ts';
import { announceForNode } from '../../src/speaker/bgp/announce.ts';
import { batchLines } from '../../src/speaker/bgp/apply/batch.ts';
import type { FrrConfig } from '../../src/speaker/bgp/apply/frr-config.ts';
import { readConfig } from '../../src/speaker/bgp/apply/normalise.ts';
import { planApply } from '../../src/speaker/bgp/apply/plan.ts';
import { renderFrrConfig } from '../../src/speaker/bgp/render.ts';
import { loadLocalSnapshot } from '../../src/store/local-source.ts';
import { ManifestCache } from '../../src/store/manifest-files.ts';
import { encodeState, writeState } from '../../src/store/state-file.ts';
import { summarize } from '../stats.ts';
import { NODE_NAME, configManifests, serviceManifest, trialIndex, trialName, writeBaseServices } from './manifests.ts';

export const STAGES = [
  'controller: load dir', 'controller: parse', 'controller: allocate', 'controller: state write', 'controller: dry-run render',
  'speaker: load dir', 'speaker: parse', 'speaker: announce', 'speaker: render', 'speaker: plan diff',
] as const;
export type Stage = (typeof STAGES)[number];

async function timed<T>(out: Map<Stage, number>, stage: Stage, f: () => T | Promise<T>): Promise<T> {
  const t = performance.now();
  const v = await f();
  out.set(stage, performance.now() - t);
  return v;
}

/** One new Service through both halves; returns ms per stage. */
async function oneChange(dir: string, caches: { controller: ManifestCache; speaker: ManifestCache }, held: Allocations, previousConf: FrrConfig, i: number): Promise<Map<Stage, number>> {
  const t = new Map<Stage, number>();
  writeFileSync(join(dir, `${trialName(i)}.yaml`), serviceManifest(trialName(i), trialIndex(i)));
  const snap = await timed(t, 'controller: load dir', () => loadLocalSnapshot(dir, caches.controller));
  const parsed = await timed(t, 'controller: parse', () => parseInput(snap.manifests.objects));
  const r = await timed(t, 'controller: allocate', () => reconcile(parsed.config.pools, parsed.services, held, new Map(), { loadBalancerClass: null }));
  await timed(t, 'controller: state write', () => writeState(dir, encodeState(r.plan, r.allocations)));
  await timed(t, 'controller: dry-run render', () => dryRunRender(parsed, r.allocations));
  const snap2 = await timed(t, 'speaker: load dir', () => loadLocalSnapshot(dir, caches.speaker));
  const parsed2 = await timed(t, 'speaker: parse', () => parseInput(snap2.manifests.objects));
  const allocations = new Map([...(snap2.state?.allocations ?? new Map())].map(([k, a]) => [k, a.ips]));
  const node = await timed(t, 'speaker: announce', () => announceForNode({ config: parsed2.config, services: parsed2.services, allocations, nodes: parsed2.nodes, endpointSlices: parsed2.endpointSlices, options: { ignoreExcludeLB: false } }, NODE_NAME));
  const text = await timed(t, 'speaker: render', () => renderFrrConfig({ config: parsed2.config, node, hostname: NODE_NAME, logLevel: 'informational', secretPasswords: new Map(), extraConfig: null }));
  if (!text.ok) throw new Error(`render failed: ${text.error.message}`);
  const lines = await timed(t, 'speaker: plan diff', () => batchLines(planApply(previousConf, readConfig(text.value)).steps));
  if (lines.length === 0) throw new Error(`the new Service ${trialName(i)} changed nothing`);
  unlinkSync(join(dir, `${trialName(i)}.yaml`));
  return t;
}

export async function profile(n: number, repeat: number): Promise<Record<Stage, ReturnType<typeof summarize>>> {
  const dir = mkdtempSync(join(tmpdir(), 'barelb-bench-profile-'));
  try {
    writeFileSync(join(dir, 'config.yaml'), configManifests('192.0.2.11', '2001:db8::1'));
    writeBaseServices(dir, n);
    // Each process keeps its own cache of decoded files, warmed by its first load.
    const caches = { controller: new ManifestCache(), speaker: new ManifestCache() };
    const snap = await loadLocalSnapshot(dir, caches.controller);
    await loadLocalSnapshot(dir, caches.speaker);
    const parsed = parseInput(snap.manifests.objects);
    if (parsed.errors.length > 0) throw new Error(`invalid manifests: ${JSON.stringify(parsed.errors.slice(0, 3))}`);
    const r = reconcile(parsed.config.pools, parsed.services, new Map(), new Map(), { loadBalancerClass: null });
    await writeState(dir, encodeState(r.plan, r.allocations));
    const allocations = new Map([...r.allocations].map(([k, a]) => [k, a.ips]));
    const node = announceForNode({ config: parsed.config, services: parsed.services, allocations, nodes: parsed.nodes, endpointSlices: parsed.endpointSlices, options: { ignoreExcludeLB: false } }, NODE_NAME);
    const conf = renderFrrConfig({ config: parsed.config, node, hostname: NODE_NAME, logLevel: 'informational', secretPasswords: new Map(), extraConfig: null });
    if (!conf.ok) throw new Error(conf.error.message);
    // The applier keeps what FRR runs already parsed: only the desired text is read per change.
    const running = readConfig(conf.value);
    const samples = new Map<Stage, number[]>(STAGES.map((s) => [s, []]));
    for (let i = 0; i < repeat; i += 1) {
      const t = await oneChange(dir, caches, r.allocations, running, i);
      for (const [s, ms] of t) samples.get(s)?.push(ms);
    }
    return Object.fromEntries(STAGES.map((s) => [s, summarize(samples.get(s) ?? [])])) as Record<Stage, ReturnType<typeof summarize>>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { n: { type: 'string', default: '100,1000,10000' }, repeat: { type: 'string', default: '5' }, json: { type: 'boolean', default: false } } });
  const ns = (values.n ?? '').split(',').map(Number);
  const repeat = Number(values.repeat);
  if (ns.some((n) => !Number.isInteger(n) || n < 1 || n > 20_000) || !Number.isInteger(repeat) || repeat < 1 || repeat > 100) throw new Error('--n: 1..20000 each; --repeat: 1..100');
  const out: Record<string, unknown> = {};
  for (const n of ns) {
    const p = await profile(n, repeat);
    out[n] = p;
    if (!values.json) {
      process.stdout.write(`N = ${n} (median of ${repeat}, ms)\n`);
      let total = 0;
      for (const s of STAGES) {
        total += p[s].p50;
        process.stdout.write(`  ${s.padEnd(28)} ${p[s].p50.toFixed(1).padStart(8)}\n`);
      }
      process.stdout.write(`  ${'sum'.padEnd(28)} ${total.toFixed(1).padStart(8)}\n`);
    }
  }
  if (values.json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}
