// L2 failover benchmark: the e2e lab (client + three nodes on one bridge, controller and speakers
// in local mode, default heartbeat settings), then repeatedly: SIGKILL the web Service owner's
// speaker (or cut its link), and measure at the client the time to the first reply carried by the
// new owner (UDP probe every 20 ms). The speaker is restarted (link restored) and the address
// returns before the next trial. Needs root, like e2e/l2. Addresses: documentation ranges only.
// Usage: node bench/l2-failover/run.ts [--trials N] [--mode kill|link|both] [--json]

import os from 'node:os';
import { parseArgs } from 'node:util';
import { Teardown, forceCleanupSync, installExitHandlers } from '../../e2e/harness/cleanup.ts';
import type { L2LabNode } from '../../e2e/harness/l2-lab.ts';
import { PROBE_INTERVAL_MS, measureFailover, waitForOwner } from '../../e2e/harness/l2-probe.ts';
import { WEB_IP, ranking } from '../../e2e/l2/scenario.ts';
import { startScenario, type Scenario } from '../../e2e/l2/setup.ts';
import { summarize, type Summary } from '../stats.ts';

const MODES = ['kill', 'link'] as const;
type Mode = (typeof MODES)[number];

const { values } = parseArgs({ options: { trials: { type: 'string', default: '25' }, mode: { type: 'string', default: 'both' }, json: { type: 'boolean', default: false } } });
const trials = Number(values.trials);
if (!Number.isInteger(trials) || trials < 1 || trials > 500) throw new Error('--trials must be 1..500');
const modes: readonly Mode[] = values.mode === 'both' ? MODES : MODES.filter((m) => m === values.mode);
if (modes.length === 0) throw new Error('--mode must be kill, link or both');
if (process.getuid?.() !== 0) throw new Error('bench/l2-failover needs root: it creates network namespaces');

/** One failover and the way back: restart the speaker (or restore the link), wait for the address to return. */
async function trial(s: Scenario, mode: Mode, owner: L2LabNode, next: L2LabNode): Promise<number> {
  const cause = mode === 'kill' ? () => s.cluster.speaker(owner).kill() : () => s.lab.lan.setNodeLink(owner.index, 'down');
  const ms = await measureFailover(s.lab, WEB_IP, owner, next, cause, () => s.cluster.logs());
  if (mode === 'kill') s.cluster.startSpeaker(owner);
  else await s.lab.lan.setNodeLink(owner.index, 'up');
  await waitForOwner(s.lab, WEB_IP, owner, 15_000, { detail: () => s.cluster.logs() });
  // Trials are independent: the next starts once every speaker has heard the repaired one again
  // (after a link cut the kernel's ARP retransmit can delay that by up to a second).
  await s.cluster.waitForAgreement('demo/web', WEB_IP, owner, 15_000);
  return ms;
}

async function main(): Promise<void> {
  installExitHandlers();
  const teardown = new Teardown();
  const results: Record<string, Summary & { samples: number[] }> = {};
  try {
    const s = await startScenario(teardown, { logLevel: 'info' });
    const [owner, next] = ranking(s.lab.nodes, WEB_IP) as [L2LabNode, L2LabNode];
    for (const mode of modes) {
      const samples: number[] = [];
      for (let i = 0; i < trials; i += 1) {
        samples.push(await trial(s, mode, owner, next));
        if (!values.json) process.stderr.write(`${mode} ${i + 1}/${trials}: ${samples.at(-1)?.toFixed(1)} ms\n`);
      }
      results[mode] = { ...summarize(samples), samples: samples.map((x) => Math.round(x * 10) / 10) };
    }
  } finally {
    await teardown.run().catch((e: unknown) => process.stderr.write(`teardown: ${String(e)}\n`));
    forceCleanupSync();
  }
  const host = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', kernel: os.release(), node: process.version };
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ host, defaults: { heartbeatIntervalMs: 100, missedIntervals: 3, jitterMarginMs: 50, probeIntervalMs: PROBE_INTERVAL_MS }, results }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`L2 failover at the client (${trials} trials per cause; heartbeat 100 ms x 3 + 50 ms; probe every ${PROBE_INTERVAL_MS} ms)\n`);
  process.stdout.write(`host: ${host.cpus} x ${host.cpu}, kernel ${host.kernel}, node ${host.node}\n\n`);
  process.stdout.write('cause                     n    min    p50    p99    max   (ms)\n');
  for (const [mode, r] of Object.entries(results)) {
    const label = mode === 'kill' ? 'speaker SIGKILLed' : 'owner link cut';
    process.stdout.write(`${label.padEnd(24)} ${String(r.n).padStart(3)} ${[r.min, r.p50, r.p99, r.max].map((x) => x.toFixed(0).padStart(6)).join(' ')}\n`);
  }
}

await main();
