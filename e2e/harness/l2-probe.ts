// What the client sees of L2 ownership: which node its kernel's neighbour entry for a Service
// address points at (checked against who answered), and how long a failover takes, measured at
// the client from the cause to the first answer carried by the new owner.
import type { L2Lab, L2LabNode } from './l2-lab.ts';
import { neighbour } from './l2-lab.ts';
import { askOnce, startProbe } from './udp-echo.ts';
import { waitFor } from './wait.ts';

/** Probe period and bound: 20 ms × 250 = at most 5 s of traffic per measurement. */
export const PROBE_INTERVAL_MS = 20;
const PROBE_COUNT = 250;

/**
 * Sends one request to `ip` through the client's kernel (which resolves the address and keeps a
 * neighbour entry); returns the node that entry points at, if that node also answered.
 */
export async function ownerSeenByClient(lab: L2Lab, ip: string, dev = 'eth0'): Promise<L2LabNode | null> {
  const answeredBy = await askOnce(lab.client, ip);
  const n = await neighbour(lab.client, ip, dev);
  const owner = n === null || n.mac === null ? null : (lab.nodeByMac(n.mac) ?? null);
  return owner !== null && owner.name === answeredBy ? owner : null;
}

export async function waitForOwner(lab: L2Lab, ip: string, want: L2LabNode, timeoutMs: number, o: { dev?: string; detail?: () => string } = {}): Promise<void> {
  await waitFor(async () => (await ownerSeenByClient(lab, ip, o.dev))?.name === want.name, timeoutMs, {
    what: `the client to reach ${ip} via ${want.name}${o.detail === undefined ? '' : `\n${o.detail()}`}`,
    intervalMs: 100,
  });
}

/**
 * Runs `cause` while the client probes `ip` every 20 ms and returns the ms from just before
 * `cause` to the first answer carried by `next`; `before` must carry the traffic until then.
 */
export async function measureFailover(
  lab: L2Lab, ip: string, before: L2LabNode, next: L2LabNode, cause: () => Promise<void>, detail: () => string = () => '',
): Promise<number> {
  const probe = startProbe(lab.client, ip, PROBE_INTERVAL_MS, PROBE_COUNT);
  try {
    await probe.ready();
    await waitFor(() => probe.replies().some((r) => r.from === before.name), 5_000, { what: `traffic via ${before.name}`, intervalMs: 10 });
    const t0 = performance.timeOrigin + performance.now();
    await cause();
    const first = await waitFor(() => probe.replies(t0).find((r) => r.from === next.name), 4_000, {
      what: `traffic via ${next.name} (first replies: ${JSON.stringify(probe.replies(t0).slice(0, 5))})\n${detail()}`,
      intervalMs: 10,
    });
    return first.at - t0;
  } finally {
    await probe.stop();
  }
}
