// BGP convergence benchmark (issue 3): with N prefixes already advertised, the time from one new
// Service manifest in local mode to its prefix in the upstream router's BGP table, against MetalLB's
// way of applying the same change (whole frr.conf + frr-reload.py --reload); and the time to
// advertise N prefixes from cold. Needs root (namespaces, the FRR chroot of e2e/). IPv6 /128s from
// 2001:db8::/32: a 10,000-address IPv4 pool does not fit in the documentation ranges.
// Usage: npm run bench:bgp -- [--n 100,1000,10000] [--trials 20] [--baseline-trials N]
//        [--cold-n 10000 | --no-cold] [--out FILE]

import { cpus, release, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Teardown, forceCleanupSync, installExitHandlers } from '../../e2e/harness/cleanup.ts';
import { ensureFrrRoot } from '../../e2e/harness/frr-root.ts';
import { waitFor } from '../../e2e/harness/frr.ts';
import { summarize, type Summary } from '../stats.ts';
import { BaselineRenderer } from './baseline-render.ts';
import { coldStart, type ColdResult } from './cold.ts';
import { frrVersion, labQuiet, prefixesFrom, readAllocations, reloadLikeMetalLB, startLab, waitForPrefixCount, type Lab } from './lab.ts';
import { POOL_V6, SERVICE_NAMESPACE, writeBaseServices } from './manifests.ts';
import { loadAverage } from './quiet.ts';
import { barelbTrial, baselineTexts, baselineTrial, floorTrial, type BarelbSample, type BaselineSample, type FloorSample } from './trials.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100,1000,10000' },
    trials: { type: 'string', default: '20' },
    'baseline-trials': { type: 'string' },
    'cold-n': { type: 'string' },
    'no-cold': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

const int = (name: string, text: string | undefined, min: number, max: number): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max}`);
  return n;
};
const ns = [...new Set((values.n ?? '').split(',').map((t) => int('n', t, 1, 20_000)))].sort((a, b) => a - b);
const trials = int('trials', values.trials, 1, 200);
const baselineTrials = values['baseline-trials'] === undefined ? trials : int('baseline-trials', values['baseline-trials'], 0, 200);
const coldN = values['no-cold'] ? null : values['cold-n'] === undefined ? (ns.includes(10_000) ? 10_000 : null) : int('cold-n', values['cold-n'], 1, 20_000);
if (process.getuid?.() !== 0) throw new Error('bench/bgp-convergence needs root: it creates network namespaces and runs FRR');

const progress = (text: string): void => void process.stderr.write(`[bench:bgp ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
const round = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);
/** Per-trial limit: generous, so a slow machine still finishes, and a hang still ends. */
const trialTimeout = (n: number): number => 30_000 + n * 10;

type NResult = {
  readonly n: number;
  readonly barelb: Summary;
  readonly barelbWithdraw: Summary;
  /**
   * barelb's part that the baseline also has: the applier starting on the rendered config (plan,
   * vtysh batch) → prefix at the router. From the speaker's log (its start = 'applied' - its ms).
   */
  readonly barelbApplyPath: Summary | null;
  readonly baseline: Summary | null;
  readonly baselineWithdraw: Summary | null;
  readonly baselineReload: Summary | null;
  /** One vtysh command on the baseline node → router: FRR's own floor. */
  readonly floor: Summary | null;
  /** Medians of the log timeline (ms after the manifest was written). */
  readonly timeline: { allocated: number; batchSent: number; applied: number; applyMs: number } | null;
  readonly samples: { readonly barelb: readonly BarelbSample[]; readonly baseline: readonly BaselineSample[]; readonly floor: readonly FloorSample[] };
};

/** Adds base Services up to `n` and waits until the router holds all `n` from both nodes. */
async function grow(lab: Lab, renderer: BaselineRenderer, from: number, n: number): Promise<void> {
  progress(`N=${n}: writing Services ${from}..${n - 1}`);
  writeBaseServices(lab.dir, n, from);
  const t = performance.now();
  await waitFor(() => [...readAllocations(lab.dir).keys()].filter((k) => k.startsWith(`${SERVICE_NAMESPACE}/svc-`)).length === n, trialTimeout(n) * 2, { intervalMs: 250, what: `${n} Services allocated` });
  await waitForPrefixCount(lab.router, lab.node.ipv6, n, trialTimeout(n) * 2);
  progress(`N=${n}: barelb has all ${n} prefixes at the router (${((performance.now() - t) / 1000).toFixed(1)} s after the files were written)`);
  await reloadLikeMetalLB(lab.baselineFrr, await renderer.render(null), trialTimeout(n) * 4);
  await waitForPrefixCount(lab.router, lab.baseline.ipv6, n, trialTimeout(n) * 2);
  progress(`N=${n}: baseline node has all ${n} prefixes at the router`);
  await labQuiet(lab, 60_000);
}

/** The first address of the pool nobody holds: what the controller hands the next Service. */
function nextFree(lab: Lab, n: number): string {
  const held = new Set([...readAllocations(lab.dir).values()].flat());
  const base = POOL_V6.slice(0, POOL_V6.indexOf('::') + 2);
  for (let i = 0; i <= n + 1; i += 1) {
    const ip = `${base}${i === 0 ? '' : i.toString(16)}`;
    if (!held.has(ip)) return ip;
  }
  throw new Error('no free address');
}

async function measureN(lab: Lab, renderer: BaselineRenderer, n: number, seq: { next: number }): Promise<NResult> {
  const b: BarelbSample[] = [];
  const m: BaselineSample[] = [];
  const fl: FloorSample[] = [];
  const rounds = Math.max(trials, baselineTrials);
  // Interleaved, so drift in the machine's load hits both sides alike.
  for (let i = 0; i < rounds; i += 1) {
    if (i < trials) {
      const s = await barelbTrial(lab, seq.next++, trialTimeout(n), i === 0);
      b.push(s);
      progress(`N=${n} barelb   ${i + 1}/${trials}: ${s.ms.toFixed(1)} ms (allocated +${s.allocatedAt ?? '?'}, batch sent +${s.batchSentAt ?? '?'}, applied +${s.appliedAt ?? '?'} ms; withdraw ${s.withdrawMs.toFixed(0)} ms)`);
    }
    if (i < baselineTrials) {
      const ip = nextFree(lab, n);
      const texts = await baselineTexts(renderer, seq.next++, ip);
      const s = await baselineTrial(lab, texts, `${ip}/128`, trialTimeout(n) * 4, i === 0);
      m.push(s);
      progress(`N=${n} baseline ${i + 1}/${baselineTrials}: ${s.ms.toFixed(1)} ms (frr-reload.py ran ${s.reloadMs.toFixed(0)} ms; withdraw ${s.withdrawMs.toFixed(0)} ms)`);
      const tag = /^route-map (barelb-tag-\d+) permit/m.exec(texts.without)?.[1];
      const routerBgp = /^router bgp \d+$/m.exec(texts.without)?.[0];
      if (tag === undefined || routerBgp === undefined) throw new Error('the rendered config has no origination route-map or router bgp');
      const f = await floorTrial(lab, routerBgp, tag, `${ip}/128`, trialTimeout(n));
      fl.push(f);
      progress(`N=${n} floor    ${i + 1}/${baselineTrials}: ${f.ms.toFixed(1)} ms (one vtysh command, which ran ${f.vtyshMs.toFixed(0)} ms)`);
    }
  }
  const med = (xs: (number | null)[]): number => summarize(xs.filter((x): x is number => x !== null)).p50;
  const full = b.filter((s) => s.allocatedAt !== null && s.batchSentAt !== null && s.appliedAt !== null && s.applyMs !== null);
  return {
    n,
    barelb: summarize(b.map((s) => s.ms)),
    barelbWithdraw: summarize(b.map((s) => s.withdrawMs)),
    barelbApplyPath: full.length === 0 ? null : summarize(full.map((s) => s.ms - ((s.appliedAt ?? 0) - (s.applyMs ?? 0)))),
    baseline: m.length === 0 ? null : summarize(m.map((s) => s.ms)),
    baselineWithdraw: m.length === 0 ? null : summarize(m.map((s) => s.withdrawMs)),
    baselineReload: m.length === 0 ? null : summarize(m.map((s) => s.reloadMs)),
    floor: fl.length === 0 ? null : summarize(fl.map((s) => s.ms)),
    timeline: full.length === 0 ? null : {
      allocated: med(full.map((s) => s.allocatedAt)),
      batchSent: med(full.map((s) => s.batchSentAt)),
      applied: med(full.map((s) => s.appliedAt)),
      applyMs: med(full.map((s) => s.applyMs)),
    },
    samples: {
      barelb: b.map((s) => ({ ...s, ms: round(s.ms) ?? 0, withdrawMs: round(s.withdrawMs) ?? 0 })),
      baseline: m.map((s) => ({ ms: round(s.ms) ?? 0, reloadMs: round(s.reloadMs) ?? 0, withdrawMs: round(s.withdrawMs) ?? 0 })),
      floor: fl.map((s) => ({ ms: round(s.ms) ?? 0, vtyshMs: round(s.vtyshMs) ?? 0 })),
    },
  };
}

function formatTable(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  return [line(head), ...rows.map(line)];
}

const fmt = (x: number | undefined | null): string => (x === undefined || x === null || Number.isNaN(x) ? '-' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);
const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined ? '-' : `${(a / b).toFixed(1)}x`);

function table(results: readonly NResult[], cold: ColdResult | null): string {
  const out = formatTable(
    ['N', 'runs', 'barelb p50', 'barelb p99', 'runs', 'baseline p50', 'baseline p99', 'speedup p50', 'FRR floor p50'],
    results.map((r) => [String(r.n), `${r.barelb.n}`, fmt(r.barelb.p50), fmt(r.barelb.p99), `${r.baseline?.n ?? 0}`, fmt(r.baseline?.p50), fmt(r.baseline?.p99), ratio(r.baseline?.p50, r.barelb.p50), fmt(r.floor?.p50)]),
  );
  out.push('', "where barelb's time goes (p50, ms after the manifest was written; apply path = applier start → router):", '');
  out.push(...formatTable(
    ['N', 'allocated', 'batch sent', 'applied', 'at router', 'apply path p50', 'p99', 'vs baseline p50'],
    results.map((r) => [String(r.n), fmt(r.timeline?.allocated), fmt(r.timeline?.batchSent), fmt(r.timeline?.applied), fmt(r.barelb.p50), fmt(r.barelbApplyPath?.p50), fmt(r.barelbApplyPath?.p99), ratio(r.baseline?.p50, r.barelbApplyPath?.p50)]),
  ));
  if (cold !== null) {
    out.push('', `cold start, ${cold.n} prefixes: speaker start → all at the router ${fmt(cold.totalMs)} (first apply done +${fmt(cold.firstAppliedMs)}, session up +${fmt(cold.establishedMs)}; ${cold.noAfiResets} early session start(s) refused before activate)`);
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  installExitHandlers();
  await ensureFrrRoot();
  const teardown = new Teardown();
  const started = new Date();
  const results: NResult[] = [];
  let cold: ColdResult | null = null;
  let frr = 'unknown';
  const loadBefore = loadAverage();
  try {
    progress('starting the lab: router, two nodes, controller, speaker');
    const lab = await startLab(teardown);
    frr = await frrVersion(lab.router);
    const renderer = new BaselineRenderer(lab.dir);
    await waitFor(async () => (await prefixesFrom(lab.router, lab.node.ipv6)).established, 30_000, { what: 'the session of node 1' });
    const seq = { next: 0 };
    let have = 0;
    for (const n of ns) {
      await grow(lab, renderer, have, n);
      have = n;
      results.push(await measureN(lab, renderer, n, seq));
      const r = results.at(-1);
      if (r !== undefined) progress(`N=${n}: barelb p50 ${r.barelb.p50.toFixed(1)} ms, baseline p50 ${r.baseline?.p50.toFixed(1) ?? '-'} ms`);
    }
    if (coldN !== null) {
      // From cold with every Service in the directory: the largest N, or --cold-n if larger.
      if (coldN > have) await grow(lab, renderer, have, coldN);
      have = Math.max(have, coldN);
      cold = await coldStart(lab, teardown, have, progress);
    }
  } finally {
    progress('tearing down');
    await teardown.run().catch((e: unknown) => progress(`teardown: ${String(e)}`));
    forceCleanupSync();
  }
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), kernel: release(), loadAverageBefore: loadBefore, loadAverageAfter: loadAverage() };
  const report = {
    benchmark: 'bgp-convergence',
    date: started.toISOString(),
    durationS: Math.round((Date.now() - started.getTime()) / 1000),
    machine,
    node: process.version,
    frr,
    options: { n: ns, trials, baselineTrials, coldN, pool: POOL_V6, servicesPerFile: 100 },
    results,
    cold,
  };
  const out = values.out ?? join(dirname(new URL(import.meta.url).pathname), 'results', `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nBGP convergence: one new Service → its prefix in the router's table (${machine.cores} x ${machine.cpu}, ${process.version}, ${frr})\n\n`);
  process.stdout.write(`${table(results, cold)}\n\nresults: ${out}\n`);
}

await main();
