// ARP responder benchmark: one speaker (local mode, as in e2e/l2) answering for a Service address;
// from the client namespace, reply latency p50/p99 as arping measures it (kernel timestamps) and
// as a raw-socket client in Node sees it, then the reply rate the speaker sustains under offered
// loads stepping up until it answers fewer than 99% of requests. Needs root. Documentation ranges only.
// Usage: node bench/arp-responder/run.ts [--count N] [--json]

import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Teardown, forceCleanupSync, installExitHandlers } from '../../e2e/harness/cleanup.ts';
import type { Netns } from '../../e2e/harness/netns.ts';
import { run, runOk } from '../../e2e/harness/run.ts';
import { WEB_IP } from '../../e2e/l2/scenario.ts';
import { startScenario } from '../../e2e/l2/setup.ts';
import { summarize, type Summary } from '../stats.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE = `${ROOT}node_modules/.bin/node`;
const CLIENT = `${ROOT}bench/arp-responder/client.ts`;
const RATES = [1_000, 5_000, 10_000, 20_000, 30_000, 40_000, 60_000, 80_000] as const;
const RATE_MS = 2_000;

const { values } = parseArgs({ options: { count: { type: 'string', default: '2000' }, json: { type: 'boolean', default: false } } });
const count = Number(values.count);
if (!Number.isInteger(count) || count < 10 || count > 100_000) throw new Error('--count must be 10..100000');
if (process.getuid?.() !== 0) throw new Error('bench/arp-responder needs root: it creates network namespaces');

/** arping (Habets) -c COUNT, one request every 2 ms: its reply times in µs. */
async function arpingLatency(client: Netns): Promise<{ samples: number[]; lost: number }> {
  const r = await client.exec('arping', ['-c', String(count), '-W', '0.002', '-i', 'eth0', WEB_IP], { timeoutMs: count * 10 + 30_000 });
  const samples = [...r.stdout.matchAll(/time=([\d.]+) (usec|msec|sec)/g)].map((m) => Number(m[1]) * (m[2] === 'usec' ? 1 : m[2] === 'msec' ? 1_000 : 1_000_000));
  return { samples, lost: count - samples.length };
}

async function client<T>(ns: Netns, args: readonly string[], timeoutMs: number): Promise<T> {
  const r = await runOk('ip', ['netns', 'exec', ns.name, NODE, CLIENT, ...args], { timeoutMs });
  return JSON.parse(r.stdout.trim()) as T;
}

type RateRow = { offeredPerSecond: number; sent: number; sendErrors: number; replies: number; answeredShare: number; repliesPerSecond: number };

async function main(): Promise<void> {
  installExitHandlers();
  const teardown = new Teardown();
  let out: { arping: Summary & { lost: number }; raw: Summary & { lost: number }; rates: RateRow[]; sustainedPerSecond: number; maxRepliesPerSecond: number } | null = null;
  try {
    const { lab } = await startScenario(teardown, { nodes: 1, logLevel: 'info' });
    await run('ip', ['netns', 'exec', lab.client.name, 'arping', '-c', '200', '-W', '0.001', '-i', 'eth0', WEB_IP], { timeoutMs: 30_000 }); // warm-up (JIT)
    const arping = await arpingLatency(lab.client);
    const raw = await client<{ samplesUs: number[]; lost: number }>(lab.client, ['latency', 'eth0', WEB_IP, String(count)], count * 60 + 30_000);
    const rates: RateRow[] = [];
    for (const perSecond of RATES) {
      const r = await client<{ sent: number; sendErrors: number; replies: number }>(lab.client, ['rate', 'eth0', WEB_IP, String(perSecond), String(RATE_MS)], RATE_MS + 30_000);
      rates.push({ offeredPerSecond: perSecond, ...r, answeredShare: r.sent === 0 ? 0 : r.replies / r.sent, repliesPerSecond: (r.replies * 1000) / RATE_MS });
      if (!values.json) process.stderr.write(`offered ${perSecond}/s: sent ${r.sent}, answered ${r.replies}\n`);
    }
    const sustained = rates.filter((r) => r.answeredShare >= 0.99 && r.sent >= 0.95 * (r.offeredPerSecond * RATE_MS) / 1000);
    out = {
      arping: { ...summarize(arping.samples), lost: arping.lost },
      raw: { ...summarize(raw.samplesUs), lost: raw.lost },
      rates,
      sustainedPerSecond: Math.max(0, ...sustained.map((r) => r.offeredPerSecond)),
      maxRepliesPerSecond: Math.max(...rates.map((r) => r.repliesPerSecond)),
    };
  } finally {
    await teardown.run().catch((e: unknown) => process.stderr.write(`teardown: ${String(e)}\n`));
    forceCleanupSync();
  }
  const host = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', kernel: os.release(), node: process.version };
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ host, ...out }, null, 2)}\n`);
    return;
  }
  if (out === null) return;
  const us = (s: Summary & { lost: number }) => `p50 ${s.p50.toFixed(0)} µs, p99 ${s.p99.toFixed(0)} µs, max ${s.max.toFixed(0)} µs (${s.n} replies, ${s.lost} lost)`;
  process.stdout.write(`ARP responder: one speaker, client and node on one bridge (veth); host ${host.cpus} x ${host.cpu}, kernel ${host.kernel}, node ${host.node}\n\n`);
  process.stdout.write(`reply latency, arping (kernel timestamps): ${us(out.arping)}\n`);
  process.stdout.write(`reply latency, raw-socket client in Node:  ${us(out.raw)}\n\n`);
  process.stdout.write('offered/s   sent   answered   answered/s\n');
  for (const r of out.rates) process.stdout.write(`${String(r.offeredPerSecond).padStart(9)} ${String(r.sent).padStart(7)} ${(100 * r.answeredShare).toFixed(1).padStart(8)}% ${r.repliesPerSecond.toFixed(0).padStart(11)}\n`);
  process.stdout.write(`\nsustained (≥ 99% answered): ${out.sustainedPerSecond}/s; most answered: ${out.maxRepliesPerSecond.toFixed(0)}/s\n`);
}

await main();
