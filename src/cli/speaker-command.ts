// `barelb speaker --node NAME`: the per-node speaker until SIGTERM/SIGINT, on the Kubernetes API or,
// with `--local DIR`, in local mode.
//
// Each mode imports its own modules when it starts: on Kubernetes the process never holds local
// mode's directory watcher and manifest reader, and in local mode never the API client.

import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Announcement } from '../k8s/announcement-status.ts';
import type { ConfigStateReporter } from '../k8s/config-state.ts';
import { createLogger, type Logger, type LogLevel } from '../log/logger.ts';
import { startMetricsServer } from '../metrics/http-server.ts';
import { Speaker, type SpeakerStore } from '../speaker/loop.ts';
import { buildHandlers, type SpeakerProtocolOptions } from './speaker-handlers.ts';
import { abortableSleep } from './abortable-sleep.ts';

export type SpeakerCommandOptions = {
  readonly local: string | null;
  readonly kubeconfig: string | null;
  readonly namespace: string;
  readonly node: string;
  readonly logLevel: LogLevel;
  readonly metricsAddress: string | null;
  /** Announce only Services of this loadBalancerClass (null: without a class). Default null. */
  readonly loadBalancerClass?: string | null;
  readonly protocols: SpeakerProtocolOptions;
  readonly signal: AbortSignal;
};

export async function runSpeaker(o: SpeakerCommandOptions): Promise<number> {
  const logger = createLogger('speaker', o.logLevel).child({ node: o.node });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'barelb_speaker_' });
  const loaded = new Gauge({ name: 'barelb_k8s_client_config_loaded_bool', help: '1 once a valid configuration has been loaded', registers: [registry] });
  const stale = new Gauge({ name: 'barelb_k8s_client_config_stale_bool', help: '1 while the newest configuration is invalid', registers: [registry] });
  const kube = o.local === null ? await onKubernetes(o, logger) : null;
  const handlers = await buildHandlers(o.protocols, {
    node: o.node,
    logger,
    registry,
    signal: o.signal,
    clock: Date.now,
    ...(kube === null ? {} : { announcements: kube.announcements }),
  });
  const store = kube?.store ?? (await localStore(o.local ?? '.', logger));
  const config = kube?.config ?? null;
  const speaker = new Speaker({
    node: o.node,
    store,
    handlers,
    logger,
    loadBalancerClass: o.loadBalancerClass ?? null,
    onConfigState: (s) => {
      loaded.set(s.loaded ? 1 : 0);
      stale.set(s.stale ? 1 : 0);
      config?.report({ valid: !s.stale, errors: s.errors });
    },
  });
  const ready = () => speaker.ready && handlers.every((h) => h.ready());
  const server = o.metricsAddress === null ? null : await startMetricsServer(o.metricsAddress, registry, { ready });
  logger.info({ ...(o.local === null ? { namespace: o.namespace } : { dir: o.local }), protocols: handlers.map((h) => h.name), metrics: o.metricsAddress }, o.local === null ? 'speaker started on Kubernetes' : 'speaker started in local mode');
  try {
    await speaker.run(o.signal);
  } finally {
    server?.close();
    logger.info({}, 'speaker stopped');
  }
  return 0;
}

type KubernetesParts = {
  readonly store: SpeakerStore;
  /** Where the protocols report what they announce (ServiceL2Status/ServiceBGPStatus). */
  readonly announcements: (protocol: 'l2' | 'bgp', list: readonly Announcement[]) => void;
  readonly config: ConfigStateReporter;
};

/** The API client and what the speaker builds on it. Constructors start nothing. */
async function onKubernetes(o: SpeakerCommandOptions, logger: Logger): Promise<KubernetesParts> {
  const [{ kubeClient }, { loadApiAccess }, { AnnouncementStatusWriter }, { ConfigStateReporter }, { EventRecorder }, { k8sSpeakerStore }] = await Promise.all([
    import('../k8s/client.ts'),
    import('../k8s/kubeconfig.ts'),
    import('../k8s/announcement-status.ts'),
    import('../k8s/config-state.ts'),
    import('../k8s/events.ts'),
    import('../k8s/speaker-store.ts'),
  ]);
  const client = kubeClient(await loadApiAccess({ kubeconfig: o.kubeconfig }));
  const warn = (what: string) => (e: unknown) => logger.warn({ error: e instanceof Error ? e.message : String(e) }, what);
  const statusWriter = new AnnouncementStatusWriter({ client, namespace: o.namespace, node: o.node, fieldManager: `barelb-speaker-${o.node}`, signal: o.signal, onError: warn('could not write ServiceL2Status/ServiceBGPStatus') });
  const events = new EventRecorder({ client, controller: 'barelb.io/speaker', instance: o.node, now: Date.now, onError: warn('could not record an Event') });
  return {
    store: k8sSpeakerStore({ client, namespace: o.namespace, logger, clock: { sleep: abortableSleep }, onFirstSync: () => collectAfterLists(logger) }),
    announcements: (protocol, list) => statusWriter.set(protocol, list),
    config: new ConfigStateReporter({ client, namespace: o.namespace, name: `speaker-${o.node}`, events, now: Date.now, fieldManager: `barelb-speaker-${o.node}`, onError: warn('could not write ConfigurationState') }),
  };
}

/**
 * One full collection between the initial LISTs and the first round, when the image runs node with
 * --expose-gc. The LISTs leave the old generation full of their pages' garbage (every Service and
 * EndpointSlice as the API server sent it, ~50 MB of JSON at 10 000 Services); the first round
 * then allocates a cluster-sized set of maps and the frr.conf batch on top, and where V8's next
 * collection falls decides how far the heap grows: the speaker's peak RSS at 10 000 Services
 * spread over 103-123 MB. One collection there (V8's full collections of this heap take 6-15 ms
 * in --trace-gc) lowered it ~2 MB on average (bench/k8s-scale/README.md, "Later that evening").
 */
function collectAfterLists(logger: Logger): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return;
  const started = performance.now();
  gc();
  logger.debug({ ms: Math.round(performance.now() - started) }, 'collected garbage after the initial lists');
}

async function localStore(dir: string, logger: Logger): Promise<SpeakerStore> {
  const { localSpeakerStore } = await import('../store/local-speaker-store.ts');
  return localSpeakerStore(dir, (e) => logger.error({ error: String(e) }, 'reading the local directory failed'));
}
