// `barelb speaker --local DIR --node NAME`: the per-node speaker in local mode, until SIGTERM/SIGINT.

import { hostname } from 'node:os';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { createLogger, type LogLevel } from '../log/logger.ts';
import { startMetricsServer } from '../metrics/http-server.ts';
import { Speaker } from '../speaker/loop.ts';
import { localSpeakerStore } from '../store/local-speaker-store.ts';
import { buildHandlers, type SpeakerProtocolOptions } from './speaker-handlers.ts';

export type SpeakerCommandOptions = {
  readonly local: string;
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
  const handlers = await buildHandlers(o.protocols, { node: o.node, logger, registry, signal: o.signal, clock: Date.now });
  const store = localSpeakerStore(o.local, (e) => logger.error({ error: String(e) }, 'reading the local directory failed'));
  const speaker = new Speaker({
    node: o.node,
    store,
    handlers,
    logger,
    onConfigState: (s) => {
      loaded.set(s.loaded ? 1 : 0);
      stale.set(s.stale ? 1 : 0);
    },
  });
  const ready = () => speaker.ready && handlers.every((h) => h.ready());
  const server = o.metricsAddress === null ? null : await startMetricsServer(o.metricsAddress, registry, { ready });
  logger.info({ dir: o.local, protocols: handlers.map((h) => h.name), metrics: o.metricsAddress }, 'speaker started in local mode');
  try {
    await speaker.run(o.signal);
  } finally {
    server?.close();
    logger.info({}, 'speaker stopped');
  }
  return 0;
}
