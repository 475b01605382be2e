// `barelb lab status`: what runs, the BGP sessions and routes at the router, the allocations and
// the L2 owners, read live from a running lab. Every part that cannot be read says why.
import { formatTable } from '../cli/table.ts';
import type { LabHandle } from './lab-handle.ts';
import { allocations, routerRoutes, sessions, speakerViews } from './observe.ts';
import { isRunning } from './record.ts';
import { NAMESPACES } from './topology.ts';

const indent = (text: string): string => text.split('\n').map((l) => `  ${l}`).join('\n');

async function section(title: string, body: () => Promise<string>): Promise<string> {
  try {
    return `${title}\n${indent(await body())}\n`;
  } catch (e) {
    return `${title}\n  unavailable: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}\n`;
  }
}

/** The status report of the lab, as text. `present` lists the lab namespaces that exist. */
export async function statusReport(lab: LabHandle, present: readonly string[]): Promise<string> {
  const parts: string[] = [`lab directory ${lab.paths.dir}: edit ${lab.paths.manifests}, logs in ${lab.paths.logs}\n`];
  parts.push(`namespaces\n${indent(NAMESPACES.map((n) => `${n}  ${present.includes(n) ? 'present' : 'MISSING'}`).join('\n'))}\n`);
  const procs = lab.record.processes.map((p) => [p.label, String(p.pid), isRunning(p) ? 'running' : 'EXITED']);
  parts.push(`processes\n${indent(formatTable(['WHAT', 'PID', 'STATE'], procs))}\n`);
  parts.push(await section('allocations (controller state)', async () => {
    const rows = [...(await allocations(lab.paths))].map(([key, a]) => [key, a.ips.join(','), a.pool]);
    return rows.length === 0 ? 'none' : formatTable(['SERVICE', 'IPS', 'POOL'], rows);
  }));
  parts.push(await section('BGP sessions at the router', async () =>
    formatTable(['PEER', 'NODE', 'STATE', 'UP'], (await sessions(lab.router)).map((s) => [s.peer, s.node, s.state, s.up]))));
  parts.push(await section('routes at the router', async () => {
    const rows = (await routerRoutes(lab.router, lab.network.router)).map((r) => [r.prefix, r.bgpNextHops.join(','), r.fibNextHops.join(','), r.communities || '-']);
    return rows.length === 0 ? 'none' : formatTable(['PREFIX', 'BGP NEXT HOPS', 'FIB NEXT HOPS', 'COMMUNITIES'], rows);
  }));
  parts.push(await section('announcements (speaker metrics)', async () => {
    const views = await speakerViews(lab.nodes);
    const rows = views.flatMap((v) =>
      v.membersAlive === null ? [[v.node, '-', '-', '-', 'metrics unreachable']] : v.announced.map((a) => [v.node, a.protocol, a.service, a.ip, `hears ${v.membersAlive ?? 0}`]));
    return rows.length === 0 ? 'none' : formatTable(['NODE', 'PROTOCOL', 'SERVICE', 'IP', 'SPEAKERS'], rows);
  }));
  return parts.join('\n');
}
