// `barelb speaker --node NAME`: the per-node speaker until SIGTERM/SIGINT, on the Kubernetes API or,
// with `--local DIR`, in local mode.

import { hostname } from 'node:os';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { createLogger, type LogLevel } from '../log/logger.ts';
import { startMetricsServer } from '../metrics/http-server.ts';
import { Speaker } from '../speaker/loop.ts';
import { kubeClient } from '../k8s/client.ts';
import { loadApiAccess } from '../k8s/kubeconfig.ts';
import { AnnouncementStatusWriter, type Announcement } from '../k8s/announcement-status.ts';
import { ConfigStateReporter } from '../k8s/config-state.ts';
import { EventRecorder } from '../k8s/events.ts';
import { k8sSpeakerStore } from '../k8s/speaker-store.ts';
import { systemClock } from '../speaker/bgp/state/watcher.ts';
import type { SpeakerStore } from '../speaker/loop.ts';
import { localSpeakerStore } from '../store/local-speaker-store.ts';
import { buildHandlers, type SpeakerProtocolOptions } from './speaker-handlers.ts';

export type SpeakerCommandOptions = {
  readonly local: string | null;
  readonly kubeconfig: string | null;
  readonly namespace: string;
  readonly node: string;
  readonly logLevel: LogLevel;
  readonly metricsAddress: string | null;
  readonly protocols: SpeakerProtocolOptions;
  readonly signal: AbortSignal;
};

export const defaultHostname = (): string => hostname();

export async function runSpeaker(o: SpeakerCommandOptions): Promise<number> {
  const logger = createLogger('speaker', o.logLevel).child({ node: o.node });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'barelb_speaker_' });
  const loaded = new Gauge({ name: 'barelb_k8s_client_config_loaded_bool', help: '1 once a valid configuration has been loaded', registers: [registry] });
  const stale = new Gauge({ name: 'barelb_k8s_client_config_stale_bool', help: '1 while the newest configuration is invalid', registers: [registry] });
  const client = o.local === null ? kubeClient(await loadApiAccess({ kubeconfig: o.kubeconfig })) : null;
  const statusWriter = client === null ? null : new AnnouncementStatusWriter({ client, namespace: o.namespace, node: o.node, fieldManager: `barelb-speaker-${o.node}`, onError: (e) => logger.warn({ error: e instanceof Error ? e.message : String(e) }, 'could not write ServiceL2Status/ServiceBGPStatus') });
  const handlers = await buildHandlers(o.protocols, {
    node: o.node,
    logger,
    registry,
    signal: o.signal,
    clock: Date.now,
    ...(statusWriter === null ? {} : { announcements: (protocol: 'l2' | 'bgp', list: readonly Announcement[]) => statusWriter.set(protocol, list) }),
  });
  const store: SpeakerStore =
    client === null
      ? localSpeakerStore(o.local ?? '.', (e) => logger.error({ error: String(e) }, 'reading the local directory failed'))
      : k8sSpeakerStore({ client, namespace: o.namespace, logger, clock: systemClock });
  const warn = (what: string) => (e: unknown) => logger.warn({ error: e instanceof Error ? e.message : String(e) }, what);
  const events = client === null ? null : new EventRecorder({ client, controller: 'barelb.io/speaker', instance: o.node, now: Date.now, onError: warn('could not record an Event') });
  const config = client === null || events === null ? null : new ConfigStateReporter({ client, namespace: o.namespace, name: `speaker-${o.node}`, events, now: Date.now, fieldManager: `barelb-speaker-${o.node}`, onError: warn('could not write ConfigurationState') });
  const speaker = new Speaker({
    node: o.node,
    store,
    handlers,
    logger,
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
