// The speaker's Kubernetes store: Services (their status is the controller's record of who holds
// which address), EndpointSlices, Nodes, Namespaces, the barelb.io kinds and the Secrets of
// barelb's namespace, kept by reflectors. While the API server is unreachable the caches keep their
// last contents, so the speaker keeps announcing exactly what it announced (FRR's routes stay, ARP
// and NDP are still answered, and L2 failover, which needs no API, still works).

import { parseInput, PreRead } from '../api/input.ts';
import { serviceKey, type ServiceKey } from '../api/model.ts';
import type { SpeakerSnapshot, SpeakerStore } from '../speaker/loop.ts';
import type { ApiError, KubeClient, WireObject } from './client.ts';
import { controllerPaths } from './controller-store.ts';
import type { Keep, ReflectorClock, ReflectorLogger } from './reflector.ts';
import type { Allocations } from '../controller/reconcile.ts';
import { allocationsFromRecorded, serviceRecorded, type Recorded } from './service-status.ts';
import { trimObject } from './trim.ts';
import { WatchSet } from './watch-set.ts';

export type K8sSpeakerStoreOptions = {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly logger: ReflectorLogger;
  readonly clock: ReflectorClock;
  readonly onListWatchError?: (kind: string, error: ApiError) => void;
  /**
   * Called once, when every kind has been listed and before the first snapshot is built: the
   * command asks V8 for a full collection there (see speaker-command.ts).
   */
  readonly onFirstSync?: () => void;
};

export const speakerPaths = (ns: string) => ({
  ...controllerPaths(ns),
  endpointslices: '/apis/discovery.k8s.io/v1/endpointslices',
});

type Kind = keyof ReturnType<typeof speakerPaths>;

/**
 * A Service as the speaker keeps it: read once when it arrives (the parse takes the reading in
 * its place) with what its status records of its allocation. The object itself is not kept: at
 * 10 000 Services and as many EndpointSlices, keeping objects and readings cost ~20 MB more.
 */
class KeptService extends PreRead {
  /** What its status records, kept without a record object around it (its key is the reading's id). */
  readonly recorded: Recorded;
  constructor(trimmed: WireObject) {
    super(trimmed);
    const item = this.read.item;
    this.recorded = serviceRecorded(trimmed, item?.kind === 'Service' ? item.value : undefined);
  }

  get key(): ServiceKey {
    return (this.id !== '' ? this.id : serviceKey(this.namespace, this.name)) as ServiceKey;
  }
}

// A reading's id is its object's key (namespace/name): the reflector keys its cache with it.
const keptServices: Keep<KeptService> = { keep: (o) => new KeptService(trimObject(o)), versionOf: (k) => k.version, keyOf: (k) => k.id };
const keptSlices: Keep<PreRead> = { keep: (o) => new PreRead(trimObject(o)), versionOf: (k) => k.version, keyOf: (k) => k.id };

type KeptKinds = { readonly [P in Kind]: P extends 'services' ? KeptService : P extends 'endpointslices' ? PreRead : WireObject };

export function k8sSpeakerStore(o: K8sSpeakerStoreOptions): SpeakerStore & { readonly set: WatchSet<Kind, KeptKinds> } {
  const set = new WatchSet<Kind, KeptKinds>({
    client: o.client,
    paths: speakerPaths(o.namespace),
    logger: o.logger,
    clock: o.clock,
    keep: { services: keptServices, endpointslices: keptSlices },
    ...(o.onListWatchError === undefined ? {} : { onError: o.onListWatchError }),
  });
  const kinds = Object.keys(speakerPaths(o.namespace)) as Kind[];
  // The same allocations map while neither the Services nor the pools changed (an EndpointSlice or
  // Node update), so what is built from it downstream is built once.
  let held: { readonly services: readonly KeptService[]; readonly pools: readonly WireObject[]; readonly allocations: Allocations } | null = null;
  const snapshot = (): SpeakerSnapshot => {
    const services = set.list('services');
    const poolObjects = set.list('pools');
    if (held === null || held.services !== services || held.pools !== poolObjects) {
      const pools = parseInput(poolObjects).config.pools;
      held = { services, pools: poolObjects, allocations: allocationsFromRecorded(services, (s) => s.key, (s) => s.recorded, pools) };
    }
    return { objects: set.concat(kinds), loadErrors: [], allocations: held.allocations };
  };
  let synced = false;
  const round = (onSnapshot: (s: SpeakerSnapshot) => Promise<void>) => {
    if (!synced) {
      synced = true;
      o.onFirstSync?.();
    }
    return onSnapshot(snapshot());
  };
  return { set, watch: (onSnapshot, signal) => set.run(() => round(onSnapshot), signal) };
}
