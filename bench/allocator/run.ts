// Allocator benchmark: cost per operation at 1k, 10k and 100k Services, to show it is flat
// in the number of addresses in use. In-memory only (no traffic), so the benchmarking range
// 198.18.0.0/15 (RFC 2544) and the documentation prefix 2001:db8::/32 (RFC 3849) are used.
// Usage: node bench/allocator/run.ts [--json]

import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { serviceKey, type Pool, type ServiceInput } from '../../src/api/model.ts';
import { parseCidr, type Cidr } from '../../src/net/cidr.ts';
import type { Family, IP } from '../../src/net/ip.ts';
import { Allocator } from '../../src/ipam/allocator.ts';
import { planAllocations } from '../../src/ipam/plan.ts';
import { LinearScanAllocator } from './linear-baseline.ts';

const sizes = [1_000, 10_000, 100_000] as const;
const options = { loadBalancerClass: null };

function cidr(text: string): Cidr {
  const r = parseCidr(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

const pool = (text: string): Pool => ({ name: 'bench', labels: {}, cidrs: [cidr(text)], autoAssign: true, avoidBuggyIPs: false, serviceAllocation: null });
const pools: Readonly<Record<Family, readonly Pool[]>> = { ipv4: [pool('198.18.0.0/15')], ipv6: [pool('2001:db8::/64')] };

function services(n: number, family: Family, tag: string): ServiceInput[] {
  return Array.from({ length: n }, (_, i) => {
    const name = `${tag}-${String(i).padStart(6, '0')}`;
    return {
      key: serviceKey('bench', name), namespace: 'bench', name, labels: {}, creationTimestamp: '2024-01-01T00:00:00Z',
      type: 'LoadBalancer', loadBalancerClass: null, families: [family], ipFamilyPolicy: 'SingleStack', requestedIPs: [],
      addressPool: null, sharingKey: null, backendKey: '', externalTrafficPolicy: 'Cluster', selector: {},
      ports: [{ protocol: 'TCP', port: 80 }], ingressIPs: [], requestError: null, deprecatedAnnotations: [],
    };
  });
}

/** `state` keeps what the scenario built alive until the heap is read. */
type Measure = { readonly ms: number; readonly ops: number; readonly state: unknown };

const heapMB = (): number => process.memoryUsage().heapUsed / 2 ** 20;

/** One Service at a time through the controller's entry point. */
function allocateEach(family: Family, n: number): Measure {
  const svcs = services(n, family, 'alloc');
  const alloc = new Allocator(pools[family], options);
  const t0 = performance.now();
  for (const s of svcs) if (alloc.assign(s).state !== 'allocated') throw new Error(`${s.key} not allocated`);
  return { ms: performance.now() - t0, ops: n, state: alloc };
}

/** The restart path: every Service already carries its ingress IP; planAllocations re-claims them all. */
function reclaimAll(family: Family, n: number): Measure {
  const first = planAllocations(pools[family], services(n, family, 'reclaim'), options);
  const held = new Map(first.services.map((d) => [d.key, d.state === 'allocated' ? d.ips : ([] as IP[])]));
  const restarted = services(n, family, 'reclaim').reverse().map((s) => ({ ...s, ingressIPs: held.get(s.key) ?? [] }));
  const t0 = performance.now();
  const again = planAllocations(pools[family], restarted, options);
  const ms = performance.now() - t0;
  if (again.services.some((d) => d.state !== 'allocated' || !d.message.startsWith('kept'))) throw new Error('an IP moved on restart');
  return { ms, ops: n, state: again };
}

/** With n addresses in use, release 1000 scattered Services and allocate 1000 new ones. */
function churn(family: Family, n: number): Measure {
  const alloc = new Allocator(pools[family], options);
  const svcs = services(n, family, 'churn');
  for (const s of svcs) alloc.assign(s);
  const victims = Array.from({ length: 1000 }, (_, i) => svcs[Math.floor((i * n) / 1000)] as ServiceInput);
  const fresh = services(1000, family, 'fresh');
  const t0 = performance.now();
  for (const v of victims) alloc.release(v.key);
  for (const s of fresh) if (alloc.assign(s).state !== 'allocated') throw new Error(`${s.key} not allocated`);
  return { ms: performance.now() - t0, ops: 2000, state: alloc };
}

/** The baseline: the same N allocations by a walk from the start of the pool (MetalLB's algorithm). */
function linearBaseline(n: number): Measure {
  const alloc = new LinearScanAllocator(0xc6120000, 15);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) if (alloc.allocate() === null) throw new Error('baseline pool full');
  return { ms: performance.now() - t0, ops: n, state: alloc };
}

const scenarios: ReadonlyArray<{ readonly name: string; readonly run: (n: number) => Measure; readonly sizes?: readonly number[] }> = [
  { name: 'allocate ipv4 (Allocator.assign, /15)', run: (n) => allocateEach('ipv4', n) },
  { name: 'allocate ipv6 (Allocator.assign, /64)', run: (n) => allocateEach('ipv6', n) },
  { name: 're-claim ipv4 (planAllocations)', run: (n) => reclaimAll('ipv4', n) },
  { name: 're-claim ipv6 (planAllocations)', run: (n) => reclaimAll('ipv6', n) },
  { name: 'churn 1k release+1k assign at N in use', run: (n) => churn('ipv4', n) },
  // Quadratic in N: 100k would take minutes, so the baseline stops at 30k.
  { name: 'baseline: linear scan from pool start', run: linearBaseline, sizes: [1_000, 10_000, 30_000] },
];

type Measured = { readonly ms: number; readonly ops: number; readonly heapUsedMB: number };

/** Median of five runs for the small sizes, where one GC pause would dominate; one run at 100k. */
function measure(run: (n: number) => Measure, n: number): Measured {
  const reps = n >= 100_000 ? 1 : 5;
  const runs: Measured[] = [];
  for (let i = 0; i < reps; i++) {
    const m = run(n);
    // Reading m.state keeps what the run built alive until the heap is read.
    runs.push({ ms: m.ms, ops: m.ops, heapUsedMB: m.state === null ? 0 : heapMB() });
  }
  runs.sort((a, b) => a.ms / a.ops - b.ms / b.ops);
  return runs[Math.floor(reps / 2)] as Measured;
}

/** heapUsedMB: the process's V8 heap in use right after the run, its allocator still alive. */
type Row = { scenario: string; n: number; totalMs: number; usPerOp: number; ratioTo1k: number; heapUsedMB: number };

function main(): void {
  const json = process.argv.includes('--json');
  for (let i = 0; i < 3; i++) for (const s of scenarios) s.run(2_000); // warm up the JIT
  const rows: Row[] = [];
  for (const s of scenarios) {
    let base = 0;
    const ns = s.sizes ?? sizes;
    for (const n of ns) {
      const m = measure(s.run, n);
      const usPerOp = (m.ms * 1000) / m.ops;
      if (n === ns[0]) base = usPerOp;
      rows.push({ scenario: s.name, n, totalMs: m.ms, usPerOp, ratioTo1k: usPerOp / base, heapUsedMB: m.heapUsedMB });
    }
  }
  const cpus = os.cpus();
  const machine = { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, node: process.version, date: new Date().toISOString() };
  if (json) {
    process.stdout.write(`${JSON.stringify({ machine, rows }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${machine.cpu}, ${machine.cores} cores, node ${machine.node}, ${machine.date}\n\n`);
  const head = ['scenario', 'N', 'total ms', 'µs/op', 'per-op / 1k', 'heap used MB'];
  const body = rows.map((r) => [r.scenario, String(r.n), r.totalMs.toFixed(1), r.usPerOp.toFixed(2), r.ratioTo1k.toFixed(2), r.heapUsedMB.toFixed(0)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  for (const line of [head, widths.map((w) => '-'.repeat(w)), ...body]) {
    process.stdout.write(`${line.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')}\n`);
  }
}

main();
