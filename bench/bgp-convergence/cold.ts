// Cold start: node 1's FRR restarted empty (no `router bgp`) and the speaker stopped, with N
// Services allocated in the directory; then the speaker starts, and the clock runs until the router
// holds all N prefixes from node 1. The router is polled (`show bgp ipv6 unicast summary json`,
// every 100 ms): at this scale the poll's own ~30 ms does not matter.

import { readFileSync } from 'node:fs';
import type { Teardown } from '../../e2e/harness/cleanup.ts';
import { waitFor } from '../../e2e/harness/frr.ts';
import { prefixesFrom, startNodeFrr, startSpeaker, type Lab } from './lab.ts';

export type ColdResult = {
  readonly n: number;
  /** Speaker started → all N prefixes at the router (ms). */
  readonly totalMs: number;
  /** Speaker started → its first apply done, from its log (ms). */
  readonly firstAppliedMs: number | null;
  /** The applier's own figure for that apply (plan → FRR done, ms). */
  readonly firstApplyMs: number | null;
  /** Speaker started → the router's session with node 1 Established (ms, at poll resolution). */
  readonly establishedMs: number | null;
  /** Sessions node 1's bgpd reset because they came up before `activate` (from its log). */
  readonly noAfiResets: number;
};

const POLL_MS = 100;

export async function coldStart(lab: Lab, teardown: Teardown, n: number, progress: (s: string) => void): Promise<ColdResult> {
  progress(`cold start: stopping the speaker and restarting node 1's FRR empty`);
  await lab.speaker.stop();
  await lab.nodeFrr.stop();
  await waitFor(async () => !(await prefixesFrom(lab.router, lab.node.ipv6)).established, 30_000, { what: 'node 1 session down' });
  lab.nodeFrr = await startNodeFrr(lab.node, teardown);
  // The router backs off (doubling, up to 120 s) while node 1 is gone; a clear resets that, so the
  // figure measures the node's side, not how long the lab sat with node 1 down.
  await lab.router.show(`clear bgp ${lab.node.ipv6}`);
  const t0Wall = Date.now();
  const t0 = performance.now();
  lab.speaker = startSpeaker(lab, lab.nodeFrr, teardown);
  let establishedMs: number | null = null;
  let last = 0;
  const deadline = t0 + 300_000 + n * 20;
  for (;;) {
    const p = await prefixesFrom(lab.router, lab.node.ipv6).catch(() => ({ count: 0, established: false }));
    const now = performance.now();
    if (p.established && establishedMs === null) establishedMs = now - t0;
    if (p.count !== last && Math.floor(p.count / 2500) !== Math.floor(last / 2500)) progress(`cold start: ${p.count}/${n} at the router after ${((now - t0) / 1000).toFixed(1)} s`);
    last = p.count;
    if (p.count >= n) {
      const totalMs = now - t0;
      const applied = lab.speaker.logLines().find((l) => l['msg'] === 'applied FRR config');
      const at = typeof applied?.['time'] === 'string' ? Date.parse(applied['time']) - t0Wall : null;
      let log = '';
      try {
        log = readFileSync(`${lab.nodeFrr.runDir}/bgpd.log`, 'utf8');
      } catch {
        // no log: counted as no resets
      }
      const noAfiResets = log.split('\n').filter((l) => l.includes('No AFI/SAFI activated')).length;
      return { n, totalMs, firstAppliedMs: at, firstApplyMs: typeof applied?.['ms'] === 'number' ? applied['ms'] : null, establishedMs, noAfiResets };
    }
    if (now > deadline || lab.speaker.exited) throw new Error(`cold start: ${p.count}/${n} prefixes at the router after ${((now - t0) / 1000).toFixed(0)} s${lab.speaker.exited ? ' (the speaker exited)' : ''}\n${lab.speaker.logTail(20)}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
