// The steps of the demo on a running lab: the client reaches the BGP address through the router
// and the L2 address on the segment; then the L2 owner's speaker is SIGKILLed and a bounded 20 ms
// probe measures how long until another node carries the traffic; then the speaker comes back.
import type { LabHandle } from './lab-handle.ts';
import { l2Announcers, macOf, neighbourMac, speakerViews } from './observe.ts';
import { killProcess, speakerArgs, speakerLabel, startDetached } from './processes.ts';
import { isRunning } from './record.ts';
import type { StepLog } from './steps.ts';
import { CLIENT, NODES, SERVICES, nodeByName, type LabNode } from './topology.ts';
import { ECHO_PORT, askOnce, startProbe } from './udp-echo.ts';
import { serviceIP } from './up.ts';
import { waitFor } from './wait.ts';

/** Failover must carry the client within this (issue 6). */
export const FAILOVER_LIMIT_MS = 1_000;
/** 20 ms × 250: at most 5 s of probing per measurement. */
const PROBE_INTERVAL_MS = 20;
const PROBE_COUNT = 250;
const BGP_ASKS = 6;

async function requireIP(lab: LabHandle, service: string): Promise<string> {
  const ip = await serviceIP(lab.paths, service);
  if (ip === null) throw new Error(`${service} has no address (see ${lab.paths.manifests}/.barelb/state.json)`);
  return ip;
}

/** The one node announcing `ip` over L2, by the speakers' metrics. */
async function l2Owner(lab: LabHandle, ip: string): Promise<LabNode> {
  const owners = l2Announcers(await speakerViews(lab.nodes), ip);
  const node = owners.length === 1 ? nodeByName(owners[0] ?? '') : undefined;
  if (node === undefined) throw new Error(`${ip} is announced by ${owners.length === 0 ? 'no node' : owners.join(' and ')}, not exactly one`);
  return node;
}

const nsOf = (lab: LabHandle, node: LabNode) => lab.nodes[node.index - 1]?.ns ?? lab.network.router;

async function bgpReach(lab: LabHandle): Promise<string> {
  const ip = await requireIP(lab, SERVICES.bgp);
  // Separate sockets are separate flows: the router's ECMP hash spreads them over the nodes.
  const answers = await Promise.all(Array.from({ length: BGP_ASKS }, () => askOnce(lab.network.client, ip, 3_000)));
  const by = answers.filter((a) => a !== null);
  if (by.length < answers.length) throw new Error(`${answers.length - by.length} of ${answers.length} requests to ${ip}:${ECHO_PORT} through the router went unanswered`);
  return `${ip}:${ECHO_PORT} from ${CLIENT.upstreamIPv4} through the router: ${by.length}/${answers.length} answered, by ${[...new Set(by)].sort().join(', ')}`;
}

async function l2Reach(lab: LabHandle): Promise<string> {
  const ip = await requireIP(lab, SERVICES.l2);
  const owner = await l2Owner(lab, ip);
  const by = await askOnce(lab.network.client, ip, 3_000);
  if (by !== owner.name) throw new Error(`${ip}:${ECHO_PORT} was answered by ${by ?? 'nobody'}, not by its owner ${owner.name}`);
  const mac = await neighbourMac(lab.network.client, ip, 'eth0');
  const ownerMac = await macOf(nsOf(lab, owner), 'eth0');
  if (mac !== ownerMac) throw new Error(`the client's ARP entry for ${ip} is ${mac ?? 'missing'}, not ${owner.name}'s ${ownerMac}`);
  return `${ip}:${ECHO_PORT} from ${CLIENT.segmentIPv4} on the segment: answered by ${owner.name}; the client's ARP entry is ${owner.name}'s eth0 (${mac})`;
}

async function failover(lab: LabHandle, signal: AbortSignal, note: (line: string) => void): Promise<string> {
  const ip = await requireIP(lab, SERVICES.l2);
  const owner = await l2Owner(lab, ip);
  const speaker = lab.record.process(speakerLabel(owner));
  if (speaker === undefined) throw new Error(`no speaker recorded for ${owner.name}`);
  const probe = startProbe(lab.network.client, ip, PROBE_INTERVAL_MS, PROBE_COUNT);
  try {
    await probe.ready();
    // Steady state first: the last 200 ms of answers all came from the owner.
    const steady = () => {
      const recent = probe.replies(performance.timeOrigin + performance.now() - 200);
      return recent.length >= 3 && recent.every((r) => r.from === owner.name);
    };
    await waitFor(steady, 5_000, { what: `steady traffic via ${owner.name}`, intervalMs: 10, signal });
    note(`client probing ${ip} every ${PROBE_INTERVAL_MS} ms; ${owner.name} answers; SIGKILL its speaker (pid ${speaker.pid})`);
    const t0 = performance.timeOrigin + performance.now();
    await killProcess(speaker, lab.record, signal);
    const first = await waitFor(() => probe.replies(t0).find((r) => r.from !== owner.name), 4_000, { what: `another node to answer ${ip}`, intervalMs: 10, signal });
    const ms = Math.round(first.at - t0);
    note(`${first.from} answered ${ms} ms after the kill`);
    const shown = `${owner.name}'s speaker SIGKILLed: ${first.from} answered ${ip} after ${ms} ms (limit ${FAILOVER_LIMIT_MS} ms, probe every ${PROBE_INTERVAL_MS} ms)`;
    if (ms >= FAILOVER_LIMIT_MS) throw new Error(`too slow: ${shown}`);
    return shown;
  } finally {
    await probe.stop();
  }
}

/** Restarts the killed speaker; it ranks first for the address again, so it takes it back. */
async function recovery(lab: LabHandle, signal: AbortSignal): Promise<string> {
  const ip = await requireIP(lab, SERVICES.l2);
  const stopped = lab.nodes.filter(({ node }) => {
    const entry = lab.record.process(speakerLabel(node));
    return entry === undefined || !isRunning(entry);
  });
  for (const { node, ns } of stopped) startDetached(ns, speakerArgs(node, lab.paths), speakerLabel(node), lab.paths, lab.record);
  const started = performance.now();
  const owner = await waitFor(async () => {
    const views = await speakerViews(lab.nodes);
    const owners = l2Announcers(views, ip);
    if (!views.every((v) => v.membersAlive === NODES.length) || owners.length !== 1) return null;
    const node = nodeByName(owners[0] ?? '');
    return node !== undefined && (await askOnce(lab.network.client, ip, 1_000)) === node.name ? node : null;
  }, 20_000, { what: `every speaker to hear all ${NODES.length} and one owner to carry ${ip}`, signal, intervalMs: 250 });
  const names = stopped.map((s) => s.name).join(', ');
  return `${names === '' ? 'no speaker was down' : `speaker restarted on ${names}`}; ${owner.name} carries ${ip} again, ${formatSeconds(performance.now() - started)} later; all ${NODES.length} speakers hear each other`;
}

const formatSeconds = (ms: number): string => `${(ms / 1_000).toFixed(1)} s`;

/** Runs the demo steps on a running lab; true when all passed. */
export async function demoSteps(steps: StepLog, lab: LabHandle, signal: AbortSignal): Promise<boolean> {
  await steps.run('bgp-reach', 'client reaches the BGP address', () => bgpReach(lab));
  await steps.run('l2-reach', 'client reaches the L2 address', () => l2Reach(lab));
  await steps.run('failover', 'failover: L2 owner\'s speaker killed', ({ note }) => failover(lab, signal, note));
  await steps.run('recovery', 'killed speaker back, owner again', () => recovery(lab, signal));
  return steps.ok;
}
