// The speaker's Kubernetes store: Services (their status is the controller's record of who holds
// which address), EndpointSlices, Nodes, Namespaces, the barelb.io kinds and the Secrets of
// barelb's namespace, kept by reflectors. While the API server is unreachable the caches keep their
// last contents, so the speaker keeps announcing exactly what it announced (FRR's routes stay, ARP
// and NDP are still answered, and L2 failover, which needs no API, still works).

import { parseInput } from '../api/input.ts';
import type { SpeakerSnapshot, SpeakerStore } from '../speaker/loop.ts';
import type { ApiError, KubeClient } from './client.ts';
import { controllerPaths } from './controller-store.ts';
import type { ReflectorClock, ReflectorLogger } from './reflector.ts';
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
  const snapshot = (): SpeakerSnapshot => {
    const pools = parseInput(set.list('pools')).config.pools;
    return { objects: kinds.flatMap((k) => set.list(k)), loadErrors: [], allocations: allocationsFromServices(set.list('services'), pools, records) };
  };
  return { set, watch: (onSnapshot, signal) => set.run(() => onSnapshot(snapshot()), signal) };
}
