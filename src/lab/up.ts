// The steps of `barelb lab up`: host, network, FRR, barelb, then what the lab shows once it has
// settled: addresses allocated, BGP sessions and ECMP routes at the router, one L2 owner.
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FrrInstance } from './frr.ts';
import { inRoot } from './frr-root.ts';
import { ensureHost } from './host.ts';
import { labHandle, type LabHandle } from './lab-handle.ts';
import { buildNetwork } from './network.ts';
import { allocations, l2Announcers, routerRoutes, sessions, speakerViews } from './observe.ts';
import { controllerArgs, controllerLabel, echoArgs, echoLabel, echoReady, scratchDir, speakerArgs, speakerLabel, startDetached } from './processes.ts';
import type { LabRecord } from './record.ts';
import type { StepContext, StepLog } from './steps.ts';
import { CLIENT, NAMESPACES, NODES, NODE_ASN, ROUTER, ROUTER_ASN, SERVICES, routerConfig, type LabPaths } from './topology.ts';
import { waitFor } from './wait.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/lab/', import.meta.url));

/** The first address of a lab Service, once the controller has recorded one. */
export async function serviceIP(paths: LabPaths, service: string): Promise<string | null> {
  return (await allocations(paths)).get(service)?.ips[0] ?? null;
}

/** FRR on the router (eBGP to every node, ECMP) and an empty one per node for its speaker to fill. */
async function startFrr(lab: LabHandle): Promise<string> {
  const label = (instance: FrrInstance) => {
    for (const [daemon, pid] of instance.pids) lab.record.label(pid, `frr ${instance.name} ${daemon}`);
  };
  label(await FrrInstance.start({ netns: lab.network.router, config: routerConfig(), daemons: [], detached: true }));
  for (const ns of lab.network.nodes) {
    label(await FrrInstance.start({ netns: ns, config: 'frr defaults traditional\n', daemons: ['bfdd'], detached: true }));
  }
  return `router AS ${ROUTER_ASN} peering with ${NODES.length} nodes (AS ${NODE_ASN}); each node's FRR starts empty`;
}

/** The manifests, the heartbeat key, the controller, a speaker per node, and UDP echo servers. */
async function startBarelb(lab: LabHandle, signal: AbortSignal, note: (line: string) => void): Promise<string> {
  const { paths, record } = lab;
  mkdirSync(paths.manifests, { recursive: true });
  mkdirSync(paths.logs, { recursive: true });
  for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'))) copyFileSync(join(EXAMPLES, file), join(paths.manifests, file));
  note(`manifests copied from examples/lab to ${paths.manifests}`);
  writeFileSync(paths.heartbeatKey, randomBytes(32), { mode: 0o600 });
  for (const { node } of lab.nodes) {
    mkdirSync(inRoot(scratchDir(node)), { recursive: true });
    record.addPath(inRoot(scratchDir(node)));
  }
  startDetached(lab.network.router, controllerArgs(paths), controllerLabel, paths, record);
  for (const { node, ns } of lab.nodes) startDetached(ns, speakerArgs(node, paths), speakerLabel(node), paths, record);
  note(`controller (in ${ROUTER.ns}) and ${NODES.length} speakers (BGP and L2) started; logs in ${paths.logs}`);
  for (const { node, ns } of lab.nodes) startDetached(ns, echoArgs(node), echoLabel(node), paths, record);
  for (const { node } of lab.nodes) await echoReady(paths, echoLabel(node), signal);
  return `controller and ${NODES.length} speakers in local mode on ${paths.manifests}; a UDP echo server on every node`;
}

async function waitAllocated(lab: LabHandle, signal: AbortSignal): Promise<string> {
  const wanted = Object.values(SERVICES);
  const found = await waitFor(async () => {
    const a = await allocations(lab.paths);
    return wanted.every((s) => (a.get(s)?.ips.length ?? 0) > 0) ? a : null;
  }, 20_000, { what: `the controller to allocate ${wanted.join(' and ')}`, signal });
  return wanted.map((s) => `${s} ${found.get(s)?.ips.join(',') ?? ''} (pool ${found.get(s)?.pool ?? ''})`).join(', ');
}

async function waitSessions(lab: LabHandle, signal: AbortSignal, note: (line: string) => void): Promise<string> {
  const up = await waitFor(async () => {
    const s = await sessions(lab.router);
    return s.length === NODES.length && s.every((x) => x.state === 'Established') ? s : null;
  }, 45_000, { what: `${NODES.length} BGP sessions Established at the router`, signal, intervalMs: 250 });
  for (const s of up) note(`${s.peer} (${s.node}): ${s.state}`);
  return `${up.length} of ${NODES.length} Established at the router (AS ${ROUTER_ASN} <-> AS ${NODE_ASN})`;
}

async function waitRoutes(lab: LabHandle, signal: AbortSignal): Promise<string> {
  const ip = await serviceIP(lab.paths, SERVICES.bgp);
  if (ip === null) throw new Error(`${SERVICES.bgp} has no address`);
  const route = await waitFor(async () => {
    const r = (await routerRoutes(lab.router, lab.network.router)).find((x) => x.prefix === `${ip}/32`);
    return r !== undefined && r.bgpNextHops.length === NODES.length && r.fibNextHops.length === NODES.length ? r : null;
  }, 30_000, { what: `${ip}/32 at the router with ${NODES.length} next hops`, signal, intervalMs: 250 });
  return `${route.prefix} via ${route.fibNextHops.join(', ')} in the router's FIB (ECMP)${route.communities === '' ? '' : `, community ${route.communities}`}`;
}

async function waitL2Owner(lab: LabHandle, signal: AbortSignal): Promise<string> {
  const ip = await serviceIP(lab.paths, SERVICES.l2);
  if (ip === null) throw new Error(`${SERVICES.l2} has no address`);
  const owner = await waitFor(async () => {
    const views = await speakerViews(lab.nodes);
    const owners = l2Announcers(views, ip);
    return views.every((v) => v.membersAlive === NODES.length) && owners.length === 1 ? owners[0] : null;
  }, 20_000, { what: `exactly one speaker to announce ${ip}, with every speaker hearing all ${NODES.length}`, signal, intervalMs: 250 });
  return `${ip} (${SERVICES.l2}) announced by ${owner} only; every speaker hears ${NODES.length} of ${NODES.length}`;
}

/** Runs the up steps on a fresh lab directory; true when all passed. */
export async function upSteps(steps: StepLog, paths: LabPaths, record: LabRecord, signal: AbortSignal): Promise<boolean> {
  let lab: LabHandle | null = null;
  // Later steps run only after the network step passed (StepLog skips them otherwise).
  const onLab = (body: (l: LabHandle, ctx: StepContext) => Promise<string>) => (ctx: StepContext) =>
    lab === null ? Promise.reject(new Error('the network was not built')) : body(lab, ctx);
  await steps.run('host', 'host ready (root, tools, FRR chroot)', () => ensureHost(signal));
  await steps.run('network', 'network built in namespaces', async ({ note }) => {
    lab = labHandle(paths, record, await buildNetwork(record, note));
    return `${NAMESPACES.length} namespaces: ${NAMESPACES.join(' ')} (client ${CLIENT.segmentIPv4} on the segment, ${CLIENT.upstreamIPv4} behind the router)`;
  });
  await steps.run('frr', 'FRR on the router and every node', onLab((l) => startFrr(l)));
  await steps.run('barelb', 'barelb controller and speakers started', onLab((l, { note }) => startBarelb(l, signal, note)));
  await steps.run('allocated', 'addresses allocated', onLab((l) => waitAllocated(l, signal)));
  await steps.run('sessions', 'BGP sessions at the router', onLab((l, { note }) => waitSessions(l, signal, note)));
  await steps.run('routes', 'BGP route at the router, ECMP', onLab((l) => waitRoutes(l, signal)));
  await steps.run('l2-owner', 'L2 owner elected', onLab((l) => waitL2Owner(l, signal)));
  return steps.ok;
}
