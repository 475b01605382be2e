// The controller's Kubernetes store: snapshots from reflectors over Services, Namespaces, Nodes,
// the barelb.io kinds and the Secrets of barelb's namespace; outcomes written back as Service
// status (server-side apply on the status subresource: ingress + the barelb.io/IPAllocated
// condition), the pool annotation, IPAddressPool status counters and events.k8s.io Events. Only
// differences are written, so a restart over a settled cluster writes nothing.

import { parseInput } from '../api/input.ts';
import { splitServiceKey } from '../api/model.ts';
import type { ControllerSnapshot, ControllerStore } from '../controller/loop.ts';
import type { Reconciled, ServiceEvent } from '../controller/reconcile.ts';
import type { PoolStats } from '../ipam/decision.ts';
import { ApiError, record, type KubeClient, type WireObject } from './client.ts';
import type { ConfigReport, ConfigStateReporter } from './config-state.ts';
import type { EventRecorder } from './events.ts';
import type { ReflectorClock, ReflectorLogger } from './reflector.ts';
import { type SettledCache, allocationsFromServices, statusWrites, type StatusWrite } from './service-status.ts';
import { WatchSet } from './watch-set.ts';
import { mapBounded } from '../core/map-bounded.ts';

export const FIELD_MANAGER = 'barelb-controller';

export type K8sStoreLogger = ReflectorLogger & { error(obj: object, msg: string): void; debug(obj: object, msg: string): void };

export type K8sControllerStoreOptions = {
  readonly client: KubeClient;
  /** Where the barelb.io objects and Secrets live (barelb-system). */
  readonly namespace: string;
  readonly logger: K8sStoreLogger;
  readonly clock: ReflectorClock;
  readonly now: () => number;
  readonly events: EventRecorder;
  /** Writes in flight at once. Default 16. */
  readonly concurrency?: number;
  /** Counts each write by target (service-status, service-annotation, pool-status) and result. */
  readonly onWrite?: (target: string, ok: boolean) => void;
  readonly onListWatchError?: (kind: string, error: ApiError) => void;
  /** Where the validity of the configuration goes (ConfigurationState "controller"). */
  readonly config?: ConfigStateReporter;
};

export const controllerPaths = (ns: string) => ({
  services: '/api/v1/services',
  namespaces: '/api/v1/namespaces',
  nodes: '/api/v1/nodes',
  secrets: `/api/v1/namespaces/${ns}/secrets`,
  pools: `/apis/barelb.io/v1beta1/namespaces/${ns}/ipaddresspools`,
  l2advertisements: `/apis/barelb.io/v1beta1/namespaces/${ns}/l2advertisements`,
  bgpadvertisements: `/apis/barelb.io/v1beta1/namespaces/${ns}/bgpadvertisements`,
  bgppeers: `/apis/barelb.io/v1beta2/namespaces/${ns}/bgppeers`,
  bfdprofiles: `/apis/barelb.io/v1beta1/namespaces/${ns}/bfdprofiles`,
  communities: `/apis/barelb.io/v1beta1/namespaces/${ns}/communities`,
});

type Kind = keyof ReturnType<typeof controllerPaths>;

const MAX_COUNT = Number.MAX_SAFE_INTEGER;
const count = (v: bigint): number => (v > BigInt(MAX_COUNT) ? MAX_COUNT : Number(v));

export function poolStatus(p: PoolStats): WireObject {
  return { assignedIPv4: count(p.assignedIPv4), assignedIPv6: count(p.assignedIPv6), availableIPv4: count(p.availableIPv4), availableIPv6: count(p.availableIPv6) };
}

const eventAction = (e: ServiceEvent): string => (e.reason === 'IPReleased' ? 'Release' : 'Allocate');

export function k8sControllerStore(o: K8sControllerStoreOptions): ControllerStore & { readonly set: WatchSet<Kind> } {
  const set = new WatchSet<Kind>({
    client: o.client,
    paths: controllerPaths(o.namespace),
    logger: o.logger,
    clock: o.clock,
    ...(o.onListWatchError === undefined ? {} : { onError: o.onListWatchError }),
  });
  const kinds = Object.keys(controllerPaths(o.namespace)) as Kind[];
  const settled: SettledCache = new WeakMap();
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  // The Services' record of who holds what is read for the first snapshot only: the controller
  // keeps its own from then on (a new term of leadership starts with a new store).
  let heldGiven = false;
  const snapshot = (): ControllerSnapshot => {
    const objects = set.concat(kinds);
    if (heldGiven) return { objects, loadErrors: [], held: null, heldError: null };
    heldGiven = true;
    const pools = parseInput(set.list('pools')).config.pools;
    return { objects, loadErrors: [], held: allocationsFromServices(set.list('services'), pools), heldError: null };
  };

  const write = async (target: string, run: () => Promise<unknown>): Promise<boolean> => {
    try {
      await run();
      o.onWrite?.(target, true);
      return true;
    } catch (e) {
      // Deleted meanwhile: nothing to write. Anything else is retried on a later round.
      if (e instanceof ApiError && e.status === 404) return true;
      o.onWrite?.(target, false);
      o.logger.warn({ target, error: e instanceof Error ? e.message : String(e) }, 'write to the API server failed; retrying');
      return false;
    }
  };

  const serviceWrite = async (w: StatusWrite): Promise<boolean> => {
    const path = `/api/v1/namespaces/${w.ref.namespace}/services/${w.ref.name}`;
    const a = w.annotation === null || (await write('service-annotation', () => o.client.patch(path, w.annotation as WireObject, 'merge', FIELD_MANAGER)));
    const s = w.status === null || (await write('service-status', () => o.client.patch(`${path}/status`, w.status as WireObject, 'apply', FIELD_MANAGER)));
    return a && s;
  };

  const poolWrites = (pools: readonly PoolStats[]): (() => Promise<boolean>)[] =>
    pools.flatMap((p) => {
      const obj = set.reflectors.pools.get(`${o.namespace}/${p.name}`);
      if (obj === undefined) return [];
      const want = poolStatus(p);
      const have = record(obj['status']);
      if (Object.entries(want).every(([k, v]) => have[k] === v)) return [];
      const body = { apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: p.name, namespace: o.namespace }, status: want };
      return [() => write('pool-status', () => o.client.patch(`${controllerPaths(o.namespace).pools}/${p.name}/status`, body, 'apply', FIELD_MANAGER))];
    });

  return {
    set,
    alwaysPersist: true,
    ...(o.config === undefined ? {} : { reportConfig: (r: ConfigReport) => o.config?.report(r) }),
    watch: (onSnapshot, signal) => {
      signal.addEventListener('abort', () => retryTimer !== null && clearTimeout(retryTimer), { once: true });
      return set.run(() => onSnapshot(snapshot()), signal);
    },
    persist: async (r: Reconciled) => {
      // The reflector's own map, by namespace/name: no per-round copy of 10 000 entries.
      const services = set.reflectors.services;
      const writes = statusWrites(r.plan.services, services, o.now(), settled);
      const jobs = [...writes.map((w) => () => serviceWrite(w)), ...poolWrites(r.plan.pools)];
      // Each job reports its failure as false (write() never rejects).
      const failed = (await mapBounded(jobs, o.concurrency ?? 16, (job) => job())).filter((ok) => !ok).length;
      if (jobs.length > 0) o.logger.debug({ writes: jobs.length, failed }, 'wrote Service and pool status');
      for (const e of r.events) {
        const { namespace, name } = splitServiceKey(e.key);
        const uid = record(record(services.get(e.key as string))['metadata'])['uid'];
        o.events.record({
          regarding: { apiVersion: 'v1', kind: 'Service', namespace, name, ...(typeof uid === 'string' ? { uid } : {}) },
          type: e.type,
          reason: e.reason,
          action: eventAction(e),
          note: e.code === null ? e.message : `${e.code}: ${e.message}`,
        });
      }
      if (failed > 0 && retryTimer === null) {
        retryTimer = setTimeout(() => {
          retryTimer = null;
          set.poke();
        }, 2_000);
      }
    },
  };
}
