// The human form of an Explanation: the verdict, then one section per step of the story, one
// fact per line. Pure and deterministic (the JSON form is the Explanation itself).

import { notAnnouncedText, type BGPNode, type BGPRoute, type BGPStory } from './bgp.ts';
import type { Explanation } from './explain.ts';
import { l2NodeReasonText, noOwnerText, type L2Node, type L2Story } from './l2.ts';
import type { PoolVerdict } from './pool-verdicts.ts';

const orNone = (items: readonly string[]): string => (items.length === 0 ? 'none' : items.join(', '));
const section = (title: string, lines: readonly string[]): string[] => ['', title, ...lines.map((l) => `  ${l}`)];

function serviceLines(e: Explanation): string[] {
  const s = e.service;
  return [
    `type: ${s.type}`,
    `loadBalancerClass: ${s.loadBalancerClass ?? 'none'}`,
    `IP families: ${s.ipFamilies.join(', ')} (${s.ipFamilyPolicy})`,
    `externalTrafficPolicy: ${s.externalTrafficPolicy}`,
    `requested IPs: ${orNone(s.requestedIPs)}`,
    `address-pool annotation: ${s.addressPool ?? 'none'}`,
    `allow-shared-ip: ${s.sharingKey === null ? 'none' : s.sharingKey === '' ? '"" (no sharing)' : s.sharingKey}`,
  ];
}

const recordName = { 'service-status': 'Service status', 'state-file': 'state file', none: '' } as const;

function addressLines(e: Explanation): string[] {
  const out: string[] = [];
  const a = e.allocation;
  if (a !== null) {
    const what = a.state === 'allocated' ? `${a.ips.join(', ')} from pool ${a.pool ?? ''}` : a.state === 'pending' ? `none (pending: ${a.reason ?? ''})` : 'none (ignored)';
    out.push(`address: ${what}`, `controller: ${a.message}`);
  }
  const r = e.recorded;
  if (r.source === 'none') out.push('recorded: none (no state file; the address above is what the controller would allocate)');
  else out.push(`recorded in the ${recordName[r.source]}: ${r.ips.length === 0 ? 'no address' : `${r.ips.join(', ')}${r.pool === null ? '' : ` from pool ${r.pool}`}`}`);
  if (r.condition !== null) {
    const c = r.condition;
    out.push(`condition barelb.io/IPAllocated: ${c.status} (${c.reason}) since ${c.lastTransitionTime}: ${c.message}`);
  }
  if (r.pending !== null) out.push(`state file says pending: ${r.pending.reason}: ${r.pending.message}`);
  for (const n of e.notes) out.push(`note: ${n}`);
  return out;
}

function poolLine(p: PoolVerdict): string {
  const tier = p.tier === null ? '' : ` (${p.tier})`;
  return `${p.pool}${tier}: ${p.code} — ${p.message}`;
}

function poolLines(e: Explanation): string[] {
  if (e.pools.length > 0) return e.pools.map(poolLine);
  const a = e.allocation;
  if (a === null) return ['not considered: the configuration is invalid'];
  if (a.state === 'ignored') return ['not considered: barelb does not handle this Service'];
  if (a.reason === 'no-pools') return ['none: no IPAddressPool is configured'];
  return [`not considered: ${a.reason ?? ''} (the Service's own request is at fault)`];
}

function l2NodeLine(n: L2Node, owner: string | null): string {
  if (!n.eligible) return `${n.node}: not eligible — ${n.reasons.map((r) => `${r}: ${l2NodeReasonText[r]}`).join('; ')}`;
  const role = n.node === owner ? 'the owner' : 'takes over if the nodes ranked above it fail';
  return `${n.node}: eligible, rank ${n.rank} (preference score ${n.score}): ${role}`;
}

function l2Lines(l2: L2Story | null): string[] {
  if (l2 === null) return ['nothing to announce: the Service has no address'];
  if (!l2.applies) return [`not used: no L2Advertisement names pool ${l2.pool ?? '(none: the address lies in no pool)'}`];
  const out = [`advertisements of pool ${l2.pool} selecting the Service: ${orNone(l2.advertisements)}`];
  if (l2.owner !== null) out.push(`owner: ${l2.owner} on ${l2.interfaces === 'all' || l2.interfaces === null ? 'all interfaces' : l2.interfaces.join(', ')}`);
  else if (l2.reason === 'no-eligible-node' && l2.nodes.length === 0) out.push('owner: none — no Nodes are known');
  else if (l2.reason !== null) out.push(`owner: none — ${l2.reason}: ${noOwnerText[l2.reason]}`);
  out.push(...l2.nodes.map((n) => l2NodeLine(n, l2.owner)));
  if (l2.nodes.length > 0) out.push("every Node is counted as running a live speaker; the speakers' heartbeats decide among the live ones");
  return out;
}

function routeLine(r: BGPRoute): string {
  const attrs = [
    `advertisement ${r.advertisement}`,
    `aggregation length ${r.aggregationLength}`,
    ...(r.localPref === null ? [] : [`local-pref ${r.localPref}`]),
    ...(r.communities.length === 0 ? [] : [`communities ${r.communities.join(', ')}`]),
    ...(r.largeCommunities.length === 0 ? [] : [`large communities ${r.largeCommunities.join(', ')}`]),
  ];
  return `  ${r.prefix} to ${r.peers.length === 0 ? 'no peer (no session on this node takes it)' : r.peers.join(', ')} — ${attrs.join(', ')}`;
}

function bgpNodeLines(n: BGPNode): string[] {
  const sessions = `(sessions: ${orNone(n.sessions)})`;
  if (!n.announced) return [`${n.node}: not announcing ${sessions} — ${n.reason}: ${notAnnouncedText[n.reason]}`];
  return [`${n.node}: announces ${sessions}`, ...n.routes.map(routeLine)];
}

function bgpLines(bgp: BGPStory | null): string[] {
  if (bgp === null) return ['nothing to announce: the Service has no address'];
  if (!bgp.applies) return [`not used: no BGPAdvertisement names pool ${bgp.pool ?? '(none: the address lies in no pool)'}`];
  const out = [`advertisements of pool ${bgp.pool}: ${orNone(bgp.advertisements)}`];
  if (bgp.nodes.length === 0) out.push('no Nodes are known');
  return [...out, ...bgp.nodes.flatMap(bgpNodeLines)];
}

function reportedLines(c: NonNullable<Explanation['cluster']>): string[] {
  const out: string[] = [];
  if (c.statusError !== null) out.push(`could not list the speakers' status objects: ${c.statusError}`);
  if (c.l2Statuses !== null) {
    out.push(...(c.l2Statuses.length === 0 ? ['ServiceL2Status: none for this Service'] : c.l2Statuses.map((s) => `ServiceL2Status ${s.node}: answers on ${s.interfaces === 'all' ? 'all interfaces' : s.interfaces.join(', ')}`)));
  }
  if (c.bgpStatuses !== null) {
    out.push(...(c.bgpStatuses.length === 0 ? ['ServiceBGPStatus: none for this Service'] : c.bgpStatuses.map((s) => `ServiceBGPStatus ${s.node}: announces to ${orNone(s.peers)}`)));
  }
  const any = (c.l2Statuses?.length ?? 0) + (c.bgpStatuses?.length ?? 0) > 0;
  out.push(any
    ? 'session state: unknown (not published in the API; each speaker exports barelb_bgp_session_up)'
    : 'session state: unknown (no ServiceL2Status or ServiceBGPStatus names this Service)');
  return out;
}

function eventLines(c: NonNullable<Explanation['cluster']>): string[] {
  if (c.events === null) return [`could not list Events: ${c.eventsError ?? ''}`];
  if (c.events.length === 0) return ['none'];
  return c.events.map((e) => `${e.time} ${e.type} ${e.reason}${e.count > 1 ? ` (x${e.count})` : ''}: ${e.note}`);
}

export function renderExplanation(e: Explanation): string {
  const out = [e.verdict.summary];
  if (e.errors.length > 0) out.push(...section('Configuration errors', e.errors.map((x) => `${x.object}${x.field === '' ? '' : ` ${x.field}`}: ${x.message}`)));
  out.push(...section('Service', serviceLines(e)));
  out.push(...section('Address', addressLines(e)));
  out.push(...section('Pools (in the order the allocator tries them)', poolLines(e)));
  if (e.allocation !== null) {
    out.push(...section('Layer 2', l2Lines(e.l2)));
    out.push(...section('BGP', bgpLines(e.bgp)));
  }
  if (e.cluster !== null) {
    out.push(...section('Reported by the speakers', reportedLines(e.cluster)));
    out.push(...section('Events (newest first, at most 10)', eventLines(e.cluster)));
  }
  if (e.warnings.length > 0) out.push(...section('Warnings', e.warnings.map((w) => `${w.field === '' ? '' : `${w.field}: `}${w.message}`)));
  return out.join('\n') + '\n';
}
