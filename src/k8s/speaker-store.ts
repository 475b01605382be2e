// The speaker's Kubernetes store: Services (their status is the controller's record of who holds
// which address), EndpointSlices, Nodes, Namespaces, the barelb.io kinds and the Secrets of
// barelb's namespace, kept by reflectors. While the API server is unreachable the caches keep their
// last contents, so the speaker keeps announcing exactly what it announced (FRR's routes stay, ARP
// and NDP are still answered, and L2 failover, which needs no API, still works).

import { parseInput } from '../api/input.ts';
import type { SpeakerSnapshot, SpeakerStore } from '../speaker/loop.ts';
import type { ApiError, KubeClient, WireObject } from './client.ts';
import { controllerPaths } from './controller-store.ts';
import type { ReflectorClock, ReflectorLogger } from './reflector.ts';
import type { Allocations } from '../controller/reconcile.ts';
import { type RecordCache, allocationsFromServices } from './service-status.ts';
import { WatchSet } from './watch-set.ts';

export type K8sSpeakerStoreOptions = {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly logger: ReflectorLogger;
  readonly clock: ReflectorClock;
  readonly onListWatchError?: (kind: string, error: ApiError) => void;
};

export const speakerPaths = (ns: string) => ({
  ...controllerPaths(ns),
  endpointslices: '/apis/discovery.k8s.io/v1/endpointslices',
});

type Kind = keyof ReturnType<typeof speakerPaths>;

export function k8sSpeakerStore(o: K8sSpeakerStoreOptions): SpeakerStore & { readonly set: WatchSet<Kind> } {
  const set = new WatchSet<Kind>({
    client: o.client,
    paths: speakerPaths(o.namespace),
    logger: o.logger,
    clock: o.clock,
    ...(o.onListWatchError === undefined ? {} : { onError: o.onListWatchError }),
  });
  const kinds = Object.keys(speakerPaths(o.namespace)) as Kind[];
  const records: RecordCache = new WeakMap();
  // The same allocations map while neither the Services nor the pools changed (an EndpointSlice or
  // Node update), so what is built from it downstream is built once.
  let held: { readonly services: readonly WireObject[]; readonly pools: readonly WireObject[]; readonly allocations: Allocations } | null = null;
  const snapshot = (): SpeakerSnapshot => {
    const services = set.list('services');
    const poolObjects = set.list('pools');
    if (held === null || held.services !== services || held.pools !== poolObjects) {
      const pools = parseInput(poolObjects).config.pools;
      held = { services, pools: poolObjects, allocations: allocationsFromServices(services, pools, records) };
    }
    return { objects: set.concat(kinds), loadErrors: [], allocations: held.allocations };
  };
  return { set, watch: (onSnapshot, signal) => set.run(() => onSnapshot(snapshot()), signal) };
}
