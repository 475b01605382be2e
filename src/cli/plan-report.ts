// `barelb plan`: the report as data (the JSON contract of the command) and its table rendering.
// Pure: manifests are loaded and the exit status is chosen by the caller.

import type { ConfigError, ServiceKey } from '../api/model.ts';
import type { AllocationPlan } from '../ipam/plan.ts';
import type { BGPAnnouncementSummary } from '../speaker/bgp/summary.ts';
import type { L2Summary } from '../speaker/l2/summary.ts';
import { formatTable } from './table.ts';

export type PlanServiceRow = {
  readonly namespace: string;
  readonly name: string;
  readonly state: 'allocated' | 'pending' | 'ignored';
  readonly ips: readonly string[];
  readonly pool: string | null;
  readonly reason: string | null;
  readonly message: string;
  /** Present only when some node announces the Service over BGP (needs Nodes in the manifests). */
  readonly bgp?: readonly BGPAnnouncementSummary[];
  /** Present only when an L2Advertisement applies and Nodes are given: the elected node (all counted live) and its interfaces. */
  readonly l2?: L2Summary;
};

export type PlanPoolRow = {
  readonly name: string;
  readonly assignedIPv4: string;
  readonly assignedIPv6: string;
  readonly availableIPv4: string;
  readonly availableIPv6: string;
};

export type PlanReport = {
  readonly services: readonly PlanServiceRow[];
  readonly pools: readonly PlanPoolRow[];
  readonly errors: readonly { readonly object: string; readonly field: string; readonly message: string }[];
  /** Not errors: deprecated spellings, ignored objects, unknown fields. */
  readonly warnings: readonly { readonly object: string; readonly field: string; readonly message: string }[];
};

const splitKey = (key: string): [string, string] => {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
};

/** The report; with configuration errors nothing is allocated and only the errors are listed. */
const row = (e: ConfigError) => ({ object: e.object, field: e.field, message: e.message });

export function buildPlanReport(
  plan: AllocationPlan | null,
  errors: readonly ConfigError[],
  warnings: readonly ConfigError[],
  bgp: ReadonlyMap<ServiceKey, readonly BGPAnnouncementSummary[]> = new Map(),
  l2: ReadonlyMap<ServiceKey, L2Summary> = new Map(),
): PlanReport {
  const errorRows = errors.map(row);
  const warningRows = warnings.map(row);
  if (plan === null || errors.length > 0) return { services: [], pools: [], errors: errorRows, warnings: warningRows };
  const services = plan.services.map((d): PlanServiceRow => {
    const [namespace, name] = splitKey(d.key);
    const base = { namespace, name, message: d.message };
    switch (d.state) {
      case 'allocated': {
        const announced = bgp.get(d.key) ?? [];
        const elected = l2.get(d.key);
        return { ...base, state: d.state, ips: [...d.ips], pool: d.pool, reason: null, ...(announced.length > 0 ? { bgp: announced } : {}), ...(elected !== undefined ? { l2: elected } : {}) };
      }
      case 'pending':
        return { ...base, state: d.state, ips: [], pool: null, reason: d.reason };
      case 'ignored':
        return { ...base, state: d.state, ips: [], pool: null, reason: null };
    }
  });
  const pools = plan.pools.map((p) => ({
    name: p.name,
    assignedIPv4: p.assignedIPv4.toString(),
    assignedIPv6: p.assignedIPv6.toString(),
    availableIPv4: p.availableIPv4.toString(),
    availableIPv6: p.availableIPv6.toString(),
  }));
  return { services, pools, errors: errorRows, warnings: warningRows };
}

/** The BGP announcements section of the table, or nothing when no Service is announced. */
function bgpTable(services: readonly PlanServiceRow[]): string[] {
  const rows = services.flatMap((s) =>
    (s.bgp ?? []).map((b) => [`${s.namespace}/${s.name}`, b.node, b.peers.join(',') || '-', b.prefixes.join(','), b.localPref === null ? '-' : String(b.localPref), b.communities.join(',') || '-']),
  );
  if (rows.length === 0) return [];
  return ['', 'BGP announcements:', formatTable(['SERVICE', 'NODE', 'PEERS', 'PREFIXES', 'LOCALPREF', 'COMMUNITIES'], rows)];
}

/** The OWNER cell: the L2 owner (with its interfaces when restricted), why nobody owns it, or "-". */
function ownerCell(s: PlanServiceRow): string {
  if (s.l2 === undefined) return '-';
  if (s.l2.owner === null) return `none (${s.l2.reason})`;
  return s.l2.interfaces === 'all' ? s.l2.owner : `${s.l2.owner} (${s.l2.interfaces.join(',')})`;
}

export function renderPlanTable(report: PlanReport): string {
  const out: string[] = [];
  if (report.errors.length > 0) {
    out.push(`The manifests are invalid (${report.errors.length} error${report.errors.length === 1 ? '' : 's'}); nothing was allocated.`, '');
    out.push(formatTable(['OBJECT', 'FIELD', 'ERROR'], report.errors.map((e) => [e.object, e.field, e.message])));
  } else {
    // The OWNER column (L2) only when some Service is announced over L2.
    const l2 = report.services.some((s) => s.l2 !== undefined);
    out.push(
      formatTable(
        ['SERVICE', 'STATE', 'IPS', 'POOL', ...(l2 ? ['OWNER'] : []), 'REASON', 'MESSAGE'],
        report.services.map((s) => [`${s.namespace}/${s.name}`, s.state, s.ips.join(',') || '-', s.pool ?? '-', ...(l2 ? [ownerCell(s)] : []), s.reason ?? '-', s.message]),
      ),
    );
    out.push(...bgpTable(report.services));
    out.push('');
    out.push(
      formatTable(
        ['POOL', 'ASSIGNED V4', 'AVAILABLE V4', 'ASSIGNED V6', 'AVAILABLE V6'],
        report.pools.map((p) => [p.name, p.assignedIPv4, p.availableIPv4, p.assignedIPv6, p.availableIPv6]),
      ),
    );
  }
  if (report.warnings.length > 0) {
    out.push('', 'Warnings:');
    for (const w of report.warnings) out.push(`  ${w.object}${w.field ? ` ${w.field}` : ''}: ${w.message}`);
  }
  return out.join('\n') + '\n';
}
