// `barelb controller`: the controller process until SIGTERM/SIGINT. Local mode (`--local DIR`)
// records addresses in DIR/.barelb/state.json; otherwise it runs against the Kubernetes API,
// writing Service status, Events and pool counters, with leader election on a Lease.
//
// Each mode imports its own modules when it starts: in a cluster the process never holds local
// mode's directory watcher and manifest reader, and in local mode never the API client.

import { hostname } from 'node:os';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { Controller, type ControllerStore } from '../controller/loop.ts';
import { createLogger, type Logger, type LogLevel } from '../log/logger.ts';
import { controllerMetrics } from '../metrics/controller-metrics.ts';
import { startMetricsServer } from '../metrics/http-server.ts';
import { abortableSleep } from './abortable-sleep.ts';

export type KubernetesOptions = {
  readonly kubeconfig: string | null;
  readonly namespace: string;
  readonly leaderElect: boolean;
  readonly leaseName: string;
  readonly identity: string;
};

export type ControllerCommandOptions = {
  readonly local: string | null;
  readonly kubernetes: KubernetesOptions;
  readonly logLevel: LogLevel;
  readonly metricsAddress: string | null;
  readonly loadBalancerClass: string | null;
  readonly signal: AbortSignal;
};

export const defaultIdentity = (): string => process.env['POD_NAME'] ?? `${hostname()}-${process.pid}`;

export async function runController(o: ControllerCommandOptions): Promise<number> {
  const logger = createLogger('controller', o.logLevel);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'barelb_controller_' });
  const metrics = controllerMetrics(registry);
  const makeController = (store: ControllerStore) => new Controller({ store, logger, metrics, options: { loadBalancerClass: o.loadBalancerClass } });
  let ready = (): boolean => false;
  const server = o.metricsAddress === null ? null : await startMetricsServer(o.metricsAddress, registry, { ready: () => ready() });
  try {
    if (o.local !== null) {
      const { localControllerStore } = await import('../store/local-controller-store.ts');
      const store = localControllerStore(o.local, (e) => logger.error({ error: String(e) }, 'reading the local directory failed'));
      const controller = makeController(store);
      ready = () => controller.status.ready;
      logger.info({ dir: o.local, metrics: o.metricsAddress }, 'controller started in local mode');
      await controller.run(o.signal);
    } else {
      await runOnKubernetes(o, logger, registry, makeController, (r) => (ready = r));
    }
  } finally {
    server?.close();
    logger.info({}, 'controller stopped');
  }
  return 0;
}

async function runOnKubernetes(
  o: ControllerCommandOptions,
  logger: Logger,
  registry: Registry,
  makeController: (store: ControllerStore) => Controller,
  setReady: (ready: () => boolean) => void,
): Promise<void> {
  const [{ kubeClient }, { loadApiAccess }, { ConfigStateReporter }, { FIELD_MANAGER, k8sControllerStore }, { EventRecorder }, { LeaderElection }] = await Promise.all([
    import('../k8s/client.ts'),
    import('../k8s/kubeconfig.ts'),
    import('../k8s/config-state.ts'),
    import('../k8s/controller-store.ts'),
    import('../k8s/events.ts'),
    import('../k8s/leader.ts'),
  ]);
  const k = o.kubernetes;
  const client = kubeClient(await loadApiAccess({ kubeconfig: k.kubeconfig }));
  const writes = new Counter({ name: 'barelb_k8s_writes_total', help: 'Writes to the API server by target and result', labelNames: ['target', 'result'], registers: [registry] });
  const listWatchErrors = new Counter({ name: 'barelb_k8s_list_watch_errors_total', help: 'Failed lists and watches by kind', labelNames: ['kind'], registers: [registry] });
  const events = new EventRecorder({
    client,
    controller: 'barelb.io/controller',
    instance: k.identity,
    now: Date.now,
    onError: (e) => logger.warn({ error: e instanceof Error ? e.message : String(e) }, 'could not record an Event'),
  });
  const config = new ConfigStateReporter({
    client,
    namespace: k.namespace,
    name: 'controller',
    events,
    now: Date.now,
    fieldManager: FIELD_MANAGER,
    onError: (e) => logger.warn({ error: e instanceof Error ? e.message : String(e) }, 'could not write ConfigurationState'),
  });
  const lead = async (signal: AbortSignal): Promise<void> => {
    const store = k8sControllerStore({
      config,
      client,
      namespace: k.namespace,
      logger,
      clock: { sleep: abortableSleep },
      now: Date.now,
      events,
      onWrite: (target, ok) => writes.inc({ target, result: ok ? 'ok' : 'error' }),
      onListWatchError: (kind) => listWatchErrors.inc({ kind }),
    });
    const controller = makeController(store);
    setReady(() => controller.status.ready);
    await controller.run(signal);
    await Promise.all([events.flushed(), config.settled()]);
  };
  logger.info({ namespace: k.namespace, identity: k.identity, leaderElect: k.leaderElect, metrics: o.metricsAddress }, 'controller started on Kubernetes');
  if (!k.leaderElect) {
    await lead(o.signal);
    return;
  }
  const election = new LeaderElection({ client, namespace: k.namespace, name: k.leaseName, identity: k.identity, logger, clock: { now: Date.now, sleep: abortableSleep } });
  // A standby is ready (it serves as soon as it wins); readiness of the leader follows its first sync.
  setReady(() => !election.leading);
  await election.run(o.signal, lead);
}
