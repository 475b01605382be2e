// `barelb explain NAMESPACE/NAME`: gathers one snapshot (manifests and DIR/.barelb/state.json with
// -f, else one LIST of every kind the speaker reads from the cluster, plus the speakers' status
// objects and the Service's Events), hands it to src/explain and prints the story.
// Exit status: 0 allocated and announced, 1 pending or not announced, 2 usage error, Service not
// found, or the inputs could not be read.

import { access } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseInput } from '../api/input.ts';
import { serviceKey, type ConfigError, type ServiceKey } from '../api/model.ts';
import { err, ok, type Result } from '../core/result.ts';
import { closeMatches } from '../explain/close-matches.ts';
import { exitStatus, explainService, type ClusterFacts, type ExplainInput } from '../explain/explain.ts';
import { renderExplanation } from '../explain/render-text.ts';
import { ApiError, kubeClient, type KubeClient, type WireObject } from '../k8s/client.ts';
import { loadApiAccess } from '../k8s/kubeconfig.ts';
import { allocationsFromServices } from '../k8s/service-status.ts';
import { speakerPaths } from '../k8s/speaker-store.ts';
import { loadManifests } from '../store/manifest-files.ts';
import { emptyState, readState, statePath } from '../store/state-file.ts';
import type { CliIO } from './io.ts';

export type ExplainOptions = {
  readonly service: string;
  readonly files: readonly string[];
  readonly kubeconfig: string | null;
  readonly namespace: string;
  readonly output: 'text' | 'json';
  readonly loadBalancerClass: string | null;
  readonly ignoreExcludeLB: boolean;
};

/** Everything explain reads, from either source. */
type Gathered = {
  readonly objects: readonly unknown[];
  readonly loadErrors: readonly ConfigError[];
  readonly record: ExplainInput['record'];
  readonly cluster: ClusterFacts | null;
};

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Manifests, and the state file of the first -f directory that has one. */
async function fromFiles(files: readonly string[], key: ServiceKey): Promise<Gathered> {
  const loaded = await loadManifests(files);
  for (const dir of files) {
    if (!(await exists(statePath(dir)))) continue;
    const state = await readState(dir);
    const pending = state.pending.get(key) ?? null;
    return { objects: loaded.objects, loadErrors: loaded.errors, record: { source: 'state-file', allocations: state.allocations, pending }, cluster: null };
  }
  return { objects: loaded.objects, loadErrors: loaded.errors, record: { source: 'none', allocations: emptyState().allocations, pending: null }, cluster: null };
}

const LIST_ATTEMPTS = 6;

/** A LIST, tried again while the API server answers 429 (a CRD's storage still initialising, throttling). */
async function list(client: KubeClient, path: string): Promise<readonly WireObject[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await client.list(path)).items;
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 429) || attempt >= LIST_ATTEMPTS) throw e;
      await sleep(200 * attempt);
    }
  }
}

const settle = async (p: Promise<readonly WireObject[]>): Promise<Result<readonly unknown[], string>> =>
  p.then((items) => ok(items), (e: unknown) => err(message(e)));

const nameOf = (o: WireObject): [string, string] => {
  const meta = (o['metadata'] ?? {}) as Record<string, unknown>;
  return [String(meta['namespace'] ?? ''), String(meta['name'] ?? '')];
};

/** One LIST per kind the speaker watches (a failure is fatal), then the optional extras (a failure is shown). */
async function fromCluster(client: KubeClient, namespace: string, key: ServiceKey, svcNamespace: string): Promise<Gathered> {
  const paths = speakerPaths(namespace);
  const lists = await Promise.all(
    Object.entries(paths).map(async ([kind, path]) => {
      try {
        return [kind, await list(client, path)] as const;
      } catch (e) {
        throw new Error(`cannot list ${kind}: ${message(e)}`, { cause: e });
      }
    }),
  );
  const byKind = new Map(lists);
  const services = byKind.get('services') ?? [];
  const pools = parseInput(byKind.get('pools') ?? []).config.pools;
  const barelb = `/apis/barelb.io/v1beta1/namespaces/${namespace}`;
  const [l2Statuses, bgpStatuses, events] = await Promise.all([
    settle(list(client, `${barelb}/servicel2statuses`)),
    settle(list(client, `${barelb}/servicebgpstatuses`)),
    settle(list(client, `/apis/events.k8s.io/v1/namespaces/${svcNamespace}/events`)),
  ]);
  const service = services.find((s) => serviceKey(...nameOf(s)) === key) ?? null;
  return {
    objects: lists.flatMap(([, items]) => items),
    loadErrors: [],
    record: { source: 'service-status', allocations: allocationsFromServices(services, pools), pending: null },
    cluster: { service, l2Statuses, bgpStatuses, events },
  };
}

async function gather(o: ExplainOptions, key: ServiceKey, svcNamespace: string): Promise<Gathered> {
  if (o.files.length > 0) return fromFiles(o.files, key);
  return fromCluster(kubeClient(await loadApiAccess({ kubeconfig: o.kubeconfig })), o.namespace, key, svcNamespace);
}

export async function runExplain(o: ExplainOptions, io: CliIO): Promise<number> {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(o.service);
  if (match === null) {
    io.stderr(`error: the Service must be given as NAMESPACE/NAME, not "${o.service}"\n`);
    return 2;
  }
  if (o.files.length > 0 && o.kubeconfig !== null) {
    io.stderr('error: -f (local mode) and --kubeconfig (Kubernetes) exclude each other\n');
    return 2;
  }
  const [, namespace = '', name = ''] = match;
  const key = serviceKey(namespace, name);
  let gathered: Gathered;
  try {
    gathered = await gather(o, key, namespace);
  } catch (e) {
    io.stderr(`error: ${message(e)}\n`);
    return 2;
  }
  const parsed = parseInput(gathered.objects);
  if (!parsed.services.some((s) => s.key === key)) {
    const near = closeMatches(key, parsed.services.map((s) => s.key));
    io.stderr(`error: Service ${key} not found${near.length === 0 ? '' : `; did you mean ${near.join(', ')}?`}\n`);
    return 2;
  }
  const explanation = explainService({
    key,
    parsed,
    loadErrors: gathered.loadErrors,
    record: gathered.record,
    options: { loadBalancerClass: o.loadBalancerClass, ignoreExcludeLB: o.ignoreExcludeLB },
    cluster: gathered.cluster,
  });
  io.stdout(o.output === 'json' ? JSON.stringify(explanation, null, 2) + '\n' : renderExplanation(explanation));
  return exitStatus(explanation);
}
