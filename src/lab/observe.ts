// Reads what the lab shows: the controller's allocations (its state file), BGP sessions and routes
// at the router (vtysh JSON and the router's kernel FIB), which node announces each L2 address
// (the speakers' metrics), and what the client reaches (UDP echo, its neighbour table).
import { z } from 'zod';
import { readState } from '../store/state-file.ts';
import type { FrrVty } from './frr.ts';
import { bgpRoutes } from './frr-json.ts';
import type { Netns } from './netns.ts';
import { runOk } from './run.ts';
import { METRICS_ADDRESS, nodeByIPv4, type LabPaths } from './topology.ts';

export type Allocation = { readonly ips: readonly string[]; readonly pool: string };

/** Service key -> addresses and pool, as the controller recorded them. */
export async function allocations(paths: LabPaths): Promise<ReadonlyMap<string, Allocation>> {
  const state = await readState(paths.manifests);
  return new Map([...state.allocations].map(([key, a]) => [key, { ips: [...a.ips], pool: a.pool }]));
}

const neighborsSchema = z.record(z.string(), z.object({ bgpState: z.string().optional(), nbrDesc: z.string().optional(), bgpTimerUpString: z.string().optional() }));

export type Session = { readonly peer: string; readonly node: string; readonly state: string; readonly up: string };

/** The router's BGP neighbours, sorted by address. */
export async function sessions(router: FrrVty): Promise<Session[]> {
  const json = neighborsSchema.parse(await router.showJson('show bgp neighbors json'));
  return Object.entries(json)
    .map(([peer, n]) => ({ peer, node: nodeByIPv4(peer)?.name ?? n.nbrDesc ?? '?', state: n.bgpState ?? 'unknown', up: n.bgpTimerUpString ?? '' }))
    .sort((a, b) => (a.peer < b.peer ? -1 : 1));
}

const fibSchema = z.array(z.object({
  dst: z.string(),
  gateway: z.string().optional(),
  nexthops: z.array(z.object({ gateway: z.string().optional() })).optional(),
}));

const routeDetailSchema = z.object({ paths: z.array(z.object({ community: z.object({ string: z.string() }).optional() })).default([]) });

export type RouterRoute = {
  /** `203.0.113.10/32`. */
  readonly prefix: string;
  /** Next hops of the valid BGP paths, sorted. */
  readonly bgpNextHops: readonly string[];
  /** Next hops the router's kernel forwards to (ECMP when more than one), sorted. */
  readonly fibNextHops: readonly string[];
  /** Communities of the best path, as FRR prints them. */
  readonly communities: string;
};

/** Every IPv4 route the router learned over BGP, with its FIB entry and communities, sorted. */
export async function routerRoutes(router: FrrVty, routerNs: Netns): Promise<RouterRoute[]> {
  const table = bgpRoutes(await router.showJson('show bgp ipv4 unicast json'));
  const fib = fibSchema.parse(JSON.parse((await routerNs.ip(['-j', 'route', 'show', 'proto', 'bgp'])).stdout || '[]'));
  const out: RouterRoute[] = [];
  for (const [prefix, paths] of [...table].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const entry = fib.find((r) => r.dst === prefix || `${r.dst}/32` === prefix);
    const fibNextHops = entry === undefined ? [] : (entry.nexthops?.flatMap((h) => (h.gateway === undefined ? [] : [h.gateway])) ?? (entry.gateway === undefined ? [] : [entry.gateway]));
    const detail = routeDetailSchema.parse(await router.showJson(`show bgp ipv4 unicast ${prefix} json`));
    out.push({
      prefix,
      bgpNextHops: paths.filter((p) => p.valid).flatMap((p) => p.nextHops).sort(),
      fibNextHops: fibNextHops.sort(),
      communities: detail.paths[0]?.community?.string ?? '',
    });
  }
  return out;
}

/** A speaker's /metrics text, fetched inside its namespace (its 127.0.0.1 is its own). */
export async function speakerMetrics(nodeNs: Netns): Promise<string> {
  const script = `fetch('http://${METRICS_ADDRESS}/metrics').then((r) => r.text()).then((t) => process.stdout.write(t))`;
  return (await runOk('ip', ['netns', 'exec', nodeNs.name, process.execPath, '-e', script], { timeoutMs: 10_000 })).stdout;
}

export type Announcement = { readonly service: string; readonly protocol: string; readonly node: string; readonly ip: string };

/** The `barelb_speaker_announced` series set to 1 in a metrics text. */
export function parseAnnounced(text: string): Announcement[] {
  const out: Announcement[] = [];
  for (const line of text.split('\n')) {
    const m = /^barelb_speaker_announced\{(.*)\} 1$/.exec(line);
    if (m === null) continue;
    const labels = new Map([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1] ?? '', l[2] ?? '']));
    out.push({ service: labels.get('service') ?? '', protocol: labels.get('protocol') ?? '', node: labels.get('node') ?? '', ip: labels.get('ip') ?? '' });
  }
  return out;
}

/** The value of an unlabelled gauge in a metrics text, or null when absent. */
export function parseGauge(text: string, name: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? null : Number(line.slice(name.length + 1));
}

export type SpeakerView = { readonly node: string; readonly announced: readonly Announcement[]; readonly membersAlive: number | null };

/** What each speaker says it announces and how many speakers it hears (null metrics: unreachable). */
export async function speakerViews(nodes: readonly { readonly name: string; readonly ns: Netns }[]): Promise<SpeakerView[]> {
  return Promise.all(nodes.map(async ({ name, ns }) => {
    try {
      const text = await speakerMetrics(ns);
      return { node: name, announced: parseAnnounced(text), membersAlive: parseGauge(text, 'barelb_speaker_members_alive') };
    } catch {
      return { node: name, announced: [], membersAlive: null };
    }
  }));
}

/** The nodes announcing `ip` over L2, according to the speakers. */
export const l2Announcers = (views: readonly SpeakerView[], ip: string): string[] =>
  views.filter((v) => v.announced.some((a) => a.protocol === 'layer2' && a.ip === ip)).map((v) => v.node).sort();

/** The interface's MAC, lowercase. */
export async function macOf(ns: Netns, ifname: string): Promise<string> {
  const [link] = JSON.parse((await ns.ip(['-j', 'link', 'show', 'dev', ifname])).stdout) as { address?: string }[];
  if (link?.address === undefined) throw new Error(`${ns.name} ${ifname} has no MAC`);
  return link.address.toLowerCase();
}

/** The MAC of the client's neighbour entry for `ip` on `dev`, or null. */
export async function neighbourMac(ns: Netns, ip: string, dev: string): Promise<string | null> {
  const out = (await ns.ip(['-j', 'neigh', 'show', ip, 'dev', dev])).stdout;
  const [entry] = JSON.parse(out === '' ? '[]' : out) as { lladdr?: string }[];
  return entry?.lladdr?.toLowerCase() ?? null;
}
