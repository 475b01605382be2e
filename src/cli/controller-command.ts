// `barelb controller --local DIR`: the controller process in local mode, until SIGTERM/SIGINT.

import { Registry, collectDefaultMetrics } from 'prom-client';
import { Controller } from '../controller/loop.ts';
import { createLogger, type LogLevel } from '../log/logger.ts';
import { controllerMetrics } from '../metrics/controller-metrics.ts';
import { startMetricsServer } from '../metrics/http-server.ts';
import { localControllerStore } from '../store/local-controller-store.ts';

export type ControllerCommandOptions = {
  readonly local: string;
  readonly logLevel: LogLevel;
  readonly metricsAddress: string | null;
  readonly loadBalancerClass: string | null;
  readonly signal: AbortSignal;
};

export async function runController(o: ControllerCommandOptions): Promise<number> {
  const logger = createLogger('controller', o.logLevel);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'barelb_controller_' });
  const store = localControllerStore(o.local, (e) => logger.error({ error: String(e) }, 'reading the local directory failed'));
  const controller = new Controller({ store, logger, metrics: controllerMetrics(registry), options: { loadBalancerClass: o.loadBalancerClass } });
  const server = o.metricsAddress === null ? null : await startMetricsServer(o.metricsAddress, registry, { ready: () => controller.status.ready });
  logger.info({ dir: o.local, metrics: o.metricsAddress }, 'controller started in local mode');
  try {
    await controller.run(o.signal);
  } finally {
    server?.close();
    logger.info({}, 'controller stopped');
  }
  return 0;
}
