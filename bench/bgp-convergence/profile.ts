// Where one Service change spends its time inside barelb, stage by stage, in one process and
// without FRR: the controller's half (load the directory, parse, allocate, encode + write the state
// file, dry-run render) and the speaker's half (load the directory and the state file, parse,
// decide, render, plan the diff against the running config, build the vtysh batch). Each half keeps
// the caches its process keeps between changes, and both first handle the base directory; then
// each trial writes one Service, times its pass, and deletes it again (an untimed pass). No root needed.
// Usage: node bench/bgp-convergence/profile.ts [--n 100,1000,10000] [--repeat 5] [--json]

import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ParseCache, parseInput } from '../../src/api/input.ts';
import type { ServiceKey } from '../../src/api/model.ts';
import { dryRunRender } from '../../src/controller/dry-run.ts';
import { pendingIndex, type Allocations } from '../../src/controller/reconcile.ts';
import { Reconciler } from '../../src/controller/reconciler.ts';
import { batchLines } from '../../src/speaker/bgp/apply/batch.ts';
import type { FrrConfig } from '../../src/speaker/bgp/apply/frr-config.ts';
import { ConfigReader } from '../../src/speaker/bgp/apply/config-reader.ts';
import { planApply } from '../../src/speaker/bgp/apply/plan.ts';
import { NodeRenderer } from '../../src/speaker/bgp/render.ts';
import { loadLocalSnapshot } from '../../src/store/local-source.ts';
import { ManifestCache } from '../../src/store/manifest-files.ts';
import { SETTLE_NS } from '../../src/store/file-stamp.ts';
import { StateCache, StateEncoder, writeState } from '../../src/store/state-file.ts';
import { summarize } from '../stats.ts';
import { NODE_NAME, configManifests, serviceManifest, trialIndex, trialName, writeBaseServices } from './manifests.ts';

export const STAGES = [
  'controller: load dir', 'controller: parse', 'controller: allocate', 'controller: state write', 'controller: dry-run render',
  'speaker: load dir', 'speaker: parse', 'speaker: announce', 'speaker: render', 'speaker: plan diff',
] as const;
export type Stage = (typeof STAGES)[number];

type Timer = <T>(stage: Stage, f: () => T | Promise<T>) => Promise<T>;

const untimed: Timer = async (_stage, f) => f();

function timer(out: Map<Stage, number>): Timer {
  return async (stage, f) => {
    const t = performance.now();
    const v = await f();
    out.set(stage, performance.now() - t);
    return v;
  };
}

/** The controller process's work per change, with the state it keeps (src/controller/loop.ts, src/store/local-controller-store.ts). */
class ControllerSide {
  readonly #dir: string;
  readonly #manifests = new ManifestCache();
  readonly #parse = new ParseCache();
  readonly #reconciler = new Reconciler();
  readonly #renderers = new Map<string, NodeRenderer>();
  #allocations: Allocations = new Map();
  #pending = new Map<ServiceKey, string>();
  readonly #encoder = new StateEncoder();
  #written = '';

  constructor(dir: string) {
    this.#dir = dir;
  }

  async change(time: Timer): Promise<void> {
    // It holds the allocations in memory: the state file is not read.
    const snap = await time('controller: load dir', () => loadLocalSnapshot(this.#dir, { manifests: this.#manifests }, false));
    const parsed = await time('controller: parse', () => parseInput(snap.manifests.objects, this.#parse));
    if (parsed.errors.length > 0) throw new Error(`invalid manifests: ${JSON.stringify(parsed.errors.slice(0, 3))}`);
    const r = await time('controller: allocate', () => this.#reconciler.reconcile(parsed.config.pools, parsed.services, this.#allocations, this.#pending, { loadBalancerClass: null }));
    await time('controller: state write', async () => {
      const text = this.#encoder.encode(r.plan, r.allocations);
      if (text !== this.#written) await writeState(this.#dir, text);
      this.#written = text;
    });
    this.#allocations = r.allocations;
    this.#pending = pendingIndex(r.plan);
    const problems = await time('controller: dry-run render', () => dryRunRender(parsed, r.allocations, { ignoreExcludeLB: false }, this.#renderers));
    if (problems.length > 0) throw new Error(`dry run: ${JSON.stringify(problems)}`);
  }
}

/** The speaker process's work per change (src/speaker/loop.ts, bgp/handler.ts, bgp/apply/applier.ts). */
class SpeakerSide {
  readonly #dir: string;
  readonly #caches = { manifests: new ManifestCache(), state: new StateCache() };
  readonly #parse = new ParseCache();
  readonly #renderer = new NodeRenderer();
  readonly #reader = new ConfigReader();
  /** What FRR runs: the applier keeps the last applied config parsed. */
  #running: FrrConfig | null = null;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Returns the vtysh batch. */
  async change(time: Timer): Promise<string[]> {
    const snap = await time('speaker: load dir', () => loadLocalSnapshot(this.#dir, this.#caches));
    const parsed = await time('speaker: parse', () => parseInput(snap.manifests.objects, this.#parse));
    const held = snap.state?.allocations ?? new Map();
    const node = await time('speaker: announce', () => {
      const allocations = new Map([...held].map(([k, a]) => [k, a.ips]));
      return this.#renderer.announce({ config: parsed.config, services: parsed.services, allocations, nodes: parsed.nodes, endpointSlices: parsed.endpointSlices, options: { ignoreExcludeLB: false } }, NODE_NAME);
    });
    const text = await time('speaker: render', () => this.#renderer.render({ config: parsed.config, node, hostname: NODE_NAME, logLevel: 'informational', secretPasswords: new Map(), extraConfig: null }));
    if (!text.ok) throw new Error(`render failed: ${text.error.message}`);
    return time('speaker: plan diff', () => {
      const desired = this.#reader.read(text.value);
      const lines = this.#running === null ? [] : batchLines(planApply(this.#running, desired).steps);
      this.#running = desired;
      return lines;
    });
  }
}

export async function profile(n: number, repeat: number): Promise<Record<Stage, ReturnType<typeof summarize>>> {
  const dir = mkdtempSync(join(tmpdir(), 'barelb-bench-profile-'));
  try {
    writeFileSync(join(dir, 'config.yaml'), configManifests('192.0.2.11', '2001:db8::1'));
    writeBaseServices(dir, n);
    const controller = new ControllerSide(dir);
    const speaker = new SpeakerSide(dir);
    await controller.change(untimed);
    await speaker.change(untimed);
    // In the benchmark the base files are long written when trials run: wait until their stat
    // stamps are trusted, as a running process's would be, and let both halves see them so.
    await new Promise((r) => setTimeout(r, Number(SETTLE_NS / 1_000_000n) + 100));
    await controller.change(untimed);
    await speaker.change(untimed);
    const samples = new Map<Stage, number[]>(STAGES.map((s) => [s, []]));
    for (let i = 0; i < repeat; i += 1) {
      const file = join(dir, `${trialName(i)}.yaml`);
      writeFileSync(file, serviceManifest(trialName(i), trialIndex(i)));
      const t = new Map<Stage, number>();
      await controller.change(timer(t));
      const lines = await speaker.change(timer(t));
      if (!lines.some((l) => l.includes('network '))) throw new Error(`the new Service ${trialName(i)} changed nothing: ${JSON.stringify(lines)}`);
      for (const [s, ms] of t) samples.get(s)?.push(ms);
      unlinkSync(file);
      await controller.change(untimed);
      await speaker.change(untimed);
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
