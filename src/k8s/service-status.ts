// Pure: what the controller writes on each Service, as the difference between what the Service
// shows and what the plan says. Unchanged Services cost no write, so a restart over 10 000
// allocated Services makes none. Also reads the allocations back from the Services (the
// Kubernetes store has no state file: the Services' status is the record).

import type { Pool, ServiceInput, ServiceKey } from '../api/model.ts';
import { serviceKey } from '../api/model.ts';
import type { Allocation, Allocations } from '../controller/reconcile.ts';
import type { ServiceDecision } from '../ipam/decision.ts';
import { intern } from '../core/intern.ts';
import { keptList } from '../core/kept-list.ts';
import { sameItems } from '../core/same-items.ts';
import { cidrContains } from '../net/cidr.ts';
import { parseIP, type IP } from '../net/ip.ts';
import { record, type WireObject } from './client.ts';

export const POOL_ANNOTATION = 'barelb.io/ip-allocated-from-pool';
/** MetalLB's record of the pool, read (never written) so a migrated cluster keeps its pools. */
const FOREIGN_POOL_ANNOTATIONS = ['metallb.io/ip-allocated-from-pool', 'metallb.universe.tf/ip-allocated-from-pool'];
export const CONDITION_TYPE = 'barelb.io/IPAllocated';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export type ServiceRef = { readonly namespace: string; readonly name: string; readonly uid: string; readonly generation: number };

export function serviceRef(o: WireObject): ServiceRef {
  const meta = record(o['metadata']);
  return { namespace: str(meta['namespace']), name: str(meta['name']), uid: str(meta['uid']), generation: typeof meta['generation'] === 'number' ? meta['generation'] : 0 };
}

export function ingressIPs(o: WireObject): string[] {
  const ingress = record(record(o['status'])['loadBalancer'])['ingress'];
  return Array.isArray(ingress) ? ingress.flatMap((e) => (str(record(e)['ip']) === '' ? [] : [str(record(e)['ip'])])) : [];
}

const annotations = (o: WireObject): WireObject => record(record(o['metadata'])['annotations']);

type Condition = { type: string; status: 'True' | 'False'; reason: string; message: string; observedGeneration: number; lastTransitionTime: string };

function ourCondition(o: WireObject): Condition | null {
  const list = record(o['status'])['conditions'];
  if (!Array.isArray(list)) return null;
  const c = list.map(record).find((x) => x['type'] === CONDITION_TYPE);
  return c === undefined ? null : (c as unknown as Condition);
}

/**
 * What one Service object records of its allocation: its ingress addresses and, when our
 * annotation (or MetalLB's) names the pool, the whole Allocation, built once so later stages can
 * tell "unchanged" by identity. Null when it records none (no ingress, or an address that does not
 * parse). Depends on the object alone, so a store may read it once per object.
 */
export type ServiceRecord =
  | { readonly key: ServiceKey; readonly allocation: Allocation }
  | { readonly key: ServiceKey; readonly ips: readonly IP[] }
  | null;

/** What a Service records, without its key: the whole Allocation (pool named), its addresses, or null. */
export type Recorded = Allocation | readonly IP[] | null;

/** serviceRecord without the key (a store that keeps the record with the Service's reading has it). */
export function serviceRecorded(s: WireObject, read?: Pick<ServiceInput, 'ingressIPs'>): Recorded {
  const texts = ingressIPs(s);
  const ips = texts.flatMap((t) => {
    const ip = parseIP(t);
    return ip.ok ? [ip.value] : [];
  });
  if (texts.length === 0 || ips.length !== texts.length) return null;
  const a = annotations(s);
  const named = [POOL_ANNOTATION, ...FOREIGN_POOL_ANNOTATIONS].map((k) => str(a[k])).find((v) => v !== '');
  // With the object's reading at hand (a store keeping both), its address list is shared instead
  // of made again.
  const kept = read !== undefined && sameItems(read.ingressIPs, ips) ? read.ingressIPs : keptList(ips);
  return named === undefined ? kept : { ips: kept, pool: intern(named) };
}

export function serviceRecord(s: WireObject, read?: Pick<ServiceInput, 'key' | 'ingressIPs'>): ServiceRecord {
  const recorded = serviceRecorded(s, read);
  if (recorded === null) return null;
  const ref = serviceRef(s);
  const made = serviceKey(ref.namespace, ref.name);
  const key = read?.key === made ? read.key : made;
  return 'pool' in recorded ? { key, allocation: recorded } : { key, ips: recorded };
}

/**
 * The allocations the Services record: their ingress addresses, and the pool from our annotation
 * (or MetalLB's), else the pool containing the first address. Addresses no pool holds are kept
 * with pool "" so planning can report them rather than silently hand them out again.
 */
export function allocationsFromRecords<T>(items: readonly T[], recordOf: (item: T) => ServiceRecord, pools: readonly Pool[]): Allocations {
  const out = new Map<ServiceKey, Allocation>();
  for (const item of items) {
    const r = recordOf(item);
    if (r !== null) putRecorded(out, r.key, 'allocation' in r ? r.allocation : r.ips, pools);
  }
  return out;
}

/** allocationsFromRecords for items that keep their key and record apart (no record object each). */
export function allocationsFromRecorded<T>(items: readonly T[], keyOf: (item: T) => ServiceKey, recordedOf: (item: T) => Recorded, pools: readonly Pool[]): Allocations {
  const out = new Map<ServiceKey, Allocation>();
  for (const item of items) {
    const r = recordedOf(item);
    if (r !== null) putRecorded(out, keyOf(item), r, pools);
  }
  return out;
}

function putRecorded(out: Map<ServiceKey, Allocation>, key: ServiceKey, r: Allocation | readonly IP[], pools: readonly Pool[]): void {
  if ('pool' in r) {
    out.set(key, r);
    return;
  }
  const first = r[0];
  const pool = (first === undefined ? undefined : pools.find((p) => p.cidrs.some((c) => cidrContains(c, first)))?.name) ?? '';
  out.set(key, { ips: r, pool });
}

/** allocationsFromRecords over Service objects read once (a store that keeps objects for long keeps their records: speaker-store.ts). */
export function allocationsFromServices(services: readonly WireObject[], pools: readonly Pool[]): Allocations {
  return allocationsFromRecords(services, serviceRecord, pools);
}

export type StatusWrite = {
  readonly ref: ServiceRef;
  /** Server-side apply body for the status subresource, or null when status is as it should be. */
  readonly status: WireObject | null;
  /** Merge patch of the pool annotation, or null when it is as it should be. */
  readonly annotation: WireObject | null;
};

/** Kubernetes metav1.Time: seconds precision, UTC. */
export const metaTime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

function desiredCondition(d: ServiceDecision, ref: ServiceRef, current: Condition | null, now: number): Condition | null {
  if (d.state === 'ignored') return null;
  const status = d.state === 'allocated' ? 'True' : 'False';
  const reason = d.state === 'allocated' ? 'IPAllocated' : pascal(d.reason);
  // What holds, not what just happened: the allocator says "assigned" on the first round and "kept"
  // on every later one (and after a restart); the condition must not flip, or every Service would be
  // written once more after its allocation and again after each restart.
  const message = (d.state === 'allocated' ? d.message.replace(/^(kept|assigned) /, 'holds ') : d.message).slice(0, 32_768);
  const lastTransitionTime = current !== null && current.status === status ? current.lastTransitionTime : metaTime(now);
  return { type: CONDITION_TYPE, status, reason, message, observedGeneration: ref.generation, lastTransitionTime };
}

/** Condition reasons must be CamelCase identifiers: "no-available-ips" → "NoAvailableIps". */
export const pascal = (code: string): string => code.split(/[^A-Za-z0-9]+/).filter((w) => w !== '').map((w) => `${w[0]?.toUpperCase() ?? ''}${w.slice(1)}`).join('') || 'Unknown';

// The API server omits a zero observedGeneration (Services carry no metadata.generation), so a
// missing one reads as 0; comparing raw values rewrote every Service on every restart.
const sameCondition = (a: Condition | null, b: Condition | null): boolean =>
  a === b || (a !== null && b !== null && a.status === b.status && a.reason === b.reason && a.message === b.message && (a.observedGeneration ?? 0) === (b.observedGeneration ?? 0));

/**
 * The writes that make each Service show its decision. `services` gives the current objects by key;
 * a decision for a Service not among them (deleted meanwhile) needs nothing.
 */
export function statusWrites(decisions: readonly ServiceDecision[], services: { get(key: string): WireObject | undefined }, now: number, settled?: SettledCache): StatusWrite[] {
  const writes: StatusWrite[] = [];
  for (let i = 0; i < decisions.length; i += 1) {
    const d = decisions[i] as ServiceDecision;
    const obj = services.get(d.key);
    if (obj === undefined) continue;
    if (settled?.get(d) === obj) continue;
    const before = writes.length;
    statusWrite(d, obj, now, writes);
    if (writes.length === before) settled?.set(d, obj);
  }
  return writes;
}

/**
 * Decisions whose Service already showed them, with the object that did: the same decision (the
 * reconciler keeps an unchanged Service's decision object) over the same object needs no second
 * look. Without it every round compared all 10 000 Services again.
 */
export type SettledCache = WeakMap<ServiceDecision, WireObject>;

function statusWrite(d: ServiceDecision, obj: WireObject, now: number, writes: StatusWrite[]): void {
  const ref = serviceRef(obj);
  const current = ingressIPs(obj);
  const currentPool = str(annotations(obj)[POOL_ANNOTATION]);
  const ours = currentPool !== '';
  let ips: readonly string[];
  let pool: string | null;
  if (d.state === 'allocated') {
    ips = d.ips.map(String);
    pool = d.pool;
  } else if (d.state === 'pending' || ours) {
    // Pending, or no longer ours to serve (type or class changed): release what we wrote.
    ips = [];
    pool = null;
  } else return;
  const cond = ourCondition(obj);
  const wantCond = desiredCondition(d, ref, cond, now);
  const ingressOk = ips.length === current.length && ips.every((ip, i) => ip === current[i]);
  const condOk = wantCond === null || sameCondition(cond, wantCond);
  const status = ingressOk && condOk
    ? null
    : {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: ref.name, namespace: ref.namespace },
        status: { loadBalancer: { ingress: ips.map((ip) => ({ ip, ipMode: 'VIP' })) }, ...(wantCond === null ? {} : { conditions: [wantCond] }) },
      };
  const annotation = (pool ?? '') === currentPool ? null : { metadata: { annotations: { [POOL_ANNOTATION]: pool } } };
  if (status !== null || annotation !== null) writes.push({ ref, status, annotation });
}
