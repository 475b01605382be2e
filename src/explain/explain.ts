// `barelb explain`'s core: one Service's whole story from one snapshot (manifests or the
// cluster's objects, plus the record of who holds which address): its request, the pools and why
// each was or was not used, its address, who announces it over L2 and BGP and why others do not,
// and what the cluster reports. The verdict comes first. Pure: the command gathers and prints.

import type { ParsedInput } from '../api/input.ts';
import type { ConfigError, ServiceInput, ServiceKey } from '../api/model.ts';
import type { Allocations } from '../controller/reconcile.ts';
import type { Result } from '../core/result.ts';
import { sameItems } from '../core/same-items.ts';
import type { ServiceDecision } from '../ipam/decision.ts';
import { planAllocations } from '../ipam/plan.ts';
import { explainBGP, type BGPStory } from './bgp.ts';
import { explainL2, poolOf, type L2Story } from './l2.ts';
import { bgpStatuses, conditionOf, l2Statuses, serviceEvents, type BGPStatusRow, type ConditionRow, type EventRow, type L2StatusRow } from './observed.ts';
import { explainPools, type PoolVerdict } from './pool-verdicts.ts';
import { verdictOf, type Verdict } from './verdict.ts';

export type RecordSource = 'service-status' | 'state-file' | 'none';

export type ExplainOptions = {
  readonly loadBalancerClass: string | null;
  readonly ignoreExcludeLB: boolean;
};

/** Kubernetes mode: what the cluster holds beyond the inputs of the allocator and the speakers. */
export type ClusterFacts = {
  /** The Service object as listed (its status conditions). */
  readonly service: unknown;
  /** ServiceL2Status and ServiceBGPStatus objects of barelb's namespace, or why they could not be listed. */
  readonly l2Statuses: Result<readonly unknown[], string>;
  readonly bgpStatuses: Result<readonly unknown[], string>;
  /** events.k8s.io/v1 Events of the Service's namespace, or why they could not be listed. */
  readonly events: Result<readonly unknown[], string>;
};

export type ExplainInput = {
  readonly key: ServiceKey;
  readonly parsed: ParsedInput;
  /** Files or objects that could not be read at all. */
  readonly loadErrors: readonly ConfigError[];
  /** The record of who holds which address: Service status (Kubernetes), the state file, or none (manifests only). */
  readonly record: {
    readonly source: RecordSource;
    readonly allocations: Allocations;
    /** The state file's pending entry for the Service, if any. */
    readonly pending: { readonly reason: string; readonly message: string } | null;
  };
  readonly options: ExplainOptions;
  readonly cluster: ClusterFacts | null;
};

type Row = { readonly object: string; readonly field: string; readonly message: string };

export type Explanation = {
  /** First: the one-sentence answer. */
  readonly verdict: Verdict;
  readonly service: {
    readonly namespace: string;
    readonly name: string;
    readonly type: string;
    readonly loadBalancerClass: string | null;
    readonly ipFamilies: readonly string[];
    readonly ipFamilyPolicy: string;
    readonly externalTrafficPolicy: string;
    readonly requestedIPs: readonly string[];
    readonly addressPool: string | null;
    readonly sharingKey: string | null;
  };
  /** What the controller decides from these inputs; null when the configuration is invalid. */
  readonly allocation: { readonly state: ServiceDecision['state']; readonly ips: readonly string[]; readonly pool: string | null; readonly reason: string | null; readonly message: string } | null;
  readonly recorded: {
    readonly source: RecordSource;
    readonly ips: readonly string[];
    readonly pool: string | null;
    readonly condition: ConditionRow | null;
    readonly pending: { readonly reason: string; readonly message: string } | null;
  };
  /** In the order the allocator tries them; empty when it never chose a pool (ignored, invalid request, no pools). */
  readonly pools: readonly PoolVerdict[];
  /** The addresses the speakers announce: the recorded ones (or, with no record, the allocation). */
  readonly addresses: readonly string[];
  /** null when there is nothing to announce. */
  readonly l2: L2Story | null;
  readonly bgp: BGPStory | null;
  readonly cluster: {
    readonly l2Statuses: readonly L2StatusRow[] | null;
    readonly bgpStatuses: readonly BGPStatusRow[] | null;
    readonly statusError: string | null;
    readonly events: readonly EventRow[] | null;
    readonly eventsError: string | null;
  } | null;
  /** Things that do not fit a section: a record that differs from the decision. */
  readonly notes: readonly string[];
  readonly errors: readonly Row[];
  /** Only the warnings about this Service. */
  readonly warnings: readonly Row[];
};

const row = (e: ConfigError): Row => ({ object: e.object, field: e.field, message: e.message });

/** The Services as the controller plans them: held addresses are their ingress IPs (reconcile's rule). */
const withHeld = (services: readonly ServiceInput[], held: Allocations): ServiceInput[] =>
  services.map((s) => {
    const h = held.get(s.key);
    return h === undefined ? s : { ...s, ingressIPs: h.ips };
  });

function requestOf(svc: ServiceInput): Explanation['service'] {
  return {
    namespace: svc.namespace,
    name: svc.name,
    type: svc.type,
    loadBalancerClass: svc.loadBalancerClass,
    ipFamilies: [...svc.families],
    ipFamilyPolicy: svc.ipFamilyPolicy,
    externalTrafficPolicy: svc.externalTrafficPolicy,
    requestedIPs: [...svc.requestedIPs],
    addressPool: svc.addressPool,
    sharingKey: svc.sharingKey,
  };
}

function allocationOf(d: ServiceDecision): NonNullable<Explanation['allocation']> {
  switch (d.state) {
    case 'allocated': return { state: d.state, ips: [...d.ips], pool: d.pool, reason: null, message: d.message };
    case 'pending': return { state: d.state, ips: [], pool: null, reason: d.reason, message: d.message };
    case 'ignored': return { state: d.state, ips: [], pool: null, reason: null, message: d.message };
  }
}

function clusterOf(c: ClusterFacts, svc: ServiceInput): NonNullable<Explanation['cluster']> {
  const statusError = [c.l2Statuses, c.bgpStatuses].flatMap((r) => (r.ok ? [] : [r.error])).join('; ');
  return {
    l2Statuses: c.l2Statuses.ok ? l2Statuses(c.l2Statuses.value, svc.namespace, svc.name) : null,
    bgpStatuses: c.bgpStatuses.ok ? bgpStatuses(c.bgpStatuses.value, svc.namespace, svc.name) : null,
    statusError: statusError === '' ? null : statusError,
    events: c.events.ok ? serviceEvents(c.events.value, svc.namespace, svc.name) : null,
    eventsError: c.events.ok ? null : c.events.error,
  };
}

/** The story of `input.key`. Precondition: the Service is among `input.parsed.services`. */
export function explainService(input: ExplainInput): Explanation {
  const { parsed, key, record } = input;
  const svc = parsed.services.find((s) => s.key === key);
  if (svc === undefined) throw new Error(`explainService: Service ${key} is not in the input`);
  const errors = [...input.loadErrors, ...parsed.errors].map(row);
  const held = record.allocations.get(key);
  const recorded = {
    source: record.source,
    ips: [...(held?.ips ?? [])],
    pool: held === undefined || held.pool === '' ? null : held.pool,
    condition: input.cluster === null ? null : conditionOf(input.cluster.service),
    pending: record.pending,
  };
  const cluster = input.cluster === null ? null : clusterOf(input.cluster, svc);
  const warnings = parsed.warnings.filter((w) => w.object === `Service/${key}`).map(row);
  const service = requestOf(svc);
  if (errors.length > 0) {
    const verdict = verdictOf({ key, errors: errors.length, decision: null, addresses: [], pool: null, l2: null, bgp: null });
    return { verdict, service, allocation: null, recorded, pools: [], addresses: [], l2: null, bgp: null, cluster, notes: [], errors, warnings };
  }
  const services = withHeld(parsed.services, record.allocations);
  const options = { loadBalancerClass: input.options.loadBalancerClass };
  const plan = planAllocations(parsed.config.pools, services, options);
  const story = explainPools(parsed.config.pools, services, plan.services, key, options);
  const decision = story?.decision ?? plan.services.find((d) => d.key === key);
  if (decision === undefined) throw new Error(`explainService: the plan has no decision for ${key}`);
  const addresses = record.source === 'none' ? (decision.state === 'allocated' ? decision.ips : []) : (held?.ips ?? []);
  const o = { ignoreExcludeLB: input.options.ignoreExcludeLB };
  const l2 = addresses.length === 0 ? null : explainL2(parsed, svc, addresses, o);
  const bgp = addresses.length === 0 ? null : explainBGP(parsed, svc, addresses, o);
  const notes: string[] = [];
  const where = record.source === 'service-status' ? 'the Service status' : 'the state file';
  if (record.source !== 'none' && decision.state === 'allocated' && held !== undefined && !sameItems(held.ips, decision.ips)) {
    notes.push(`${where} records ${held.ips.join(', ')}; the controller would now hold ${decision.ips.join(', ')}`);
  }
  if (record.source !== 'none' && decision.state !== 'allocated' && held !== undefined) {
    notes.push(`${where} still records ${held.ips.join(', ')}; the controller releases it (${decision.state})`);
  }
  const pool = poolOf(parsed.config.pools, addresses)?.name ?? (decision.state === 'allocated' ? decision.pool : null);
  const verdict = verdictOf({ key, errors: 0, decision, addresses, pool, l2, bgp });
  const allocation = allocationOf(decision);
  return { verdict, service, allocation, recorded, pools: story?.pools ?? [], addresses: [...addresses], l2, bgp, cluster, notes, errors, warnings };
}

/** 0: the Service has its address and some node announces it; 1: anything else. */
export const exitStatus = (e: Explanation): 0 | 1 => (e.verdict.state === 'announced' ? 0 : 1);

