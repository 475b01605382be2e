// Helpers for the Helm chart tests: helm itself (built once by scripts/build-helm.sh), rendering
// helm/barelb into plain objects, finding objects and containers in them, and where each kind of
// object lives on the API server (for the server-side dry run).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';
import type { KubeClient, WireObject } from '../../src/k8s/client.ts';
import { barelbCrds } from '../../src/k8s/crds.ts';
import { tracked } from '../harness/cleanup.ts';
import { waitFor } from '../harness/wait.ts';
import { repoRoot } from './crds-helpers.ts';

export const CHART = join(repoRoot, 'helm/barelb');
export const RELEASE = 'barelb';
export const SYSTEM = 'barelb-system';
/** Helm 3 built with `go install` assumes Kubernetes 1.20 unless told (reference §4.1). */
export const KUBE_VERSION = '1.35.0';
const BUILD_SCRIPT = join(repoRoot, 'scripts/build-helm.sh');

let helmBin: Promise<string> | undefined;

/** The helm binary; the first call builds it when the cache lacks it (about 5 min cold on 2 cores). */
export function ensureHelm(): Promise<string> {
  helmBin ??= execa('bash', [BUILD_SCRIPT], { stdin: 'ignore', stderr: 'inherit', timeout: 40 * 60_000 }).then(
    (r) => r.stdout.trim().split('\n').at(-1) ?? '',
    (e: unknown) => {
      helmBin = undefined;
      throw new Error(`${BUILD_SCRIPT} failed (needs Go 1.26 at /usr/local/go/bin/go and the Go module proxy): ${e instanceof Error ? e.message : String(e)}`);
    },
  );
  return helmBin;
}

/** Runs helm with its cache/config/data in a throw-away directory; rejects with its output on failure. */
export async function helm(args: readonly string[]): Promise<string> {
  const bin = await ensureHelm();
  const home = mkdtempSync(join(tmpdir(), 'barelb-helm-'));
  tracked.addPath(home);
  try {
    const env = { HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') };
    const r = await execa(bin, args, { env, reject: false, stdin: 'ignore', all: true, timeout: 120_000 });
    if (r.exitCode !== 0) throw new Error(`helm ${args.join(' ')} exited ${String(r.exitCode)}:\n${r.all}`);
    return r.stdout;
  } finally {
    rmSync(home, { recursive: true, force: true });
    tracked.dropPath(home);
  }
}

/** `--set` pairs as helm arguments. */
const setArgs = (values: Readonly<Record<string, string | boolean>>): string[] =>
  Object.entries(values).flatMap(([k, v]) => ['--set', `${k}=${String(v)}`]);

export function lint(values: Readonly<Record<string, string | boolean>> = {}): Promise<string> {
  return helm(['lint', '--strict', '--kube-version', KUBE_VERSION, CHART, ...setArgs(values)]);
}

/** `helm template` into objects, in helm's order (CRDs are not rendered). */
export async function render(values: Readonly<Record<string, string | boolean>> = {}): Promise<WireObject[]> {
  const text = await helm(['template', RELEASE, CHART, '--namespace', SYSTEM, '--kube-version', KUBE_VERSION, ...setArgs(values)]);
  return parseAllDocuments(text).map((d) => d.toJS() as WireObject | null).filter((o): o is WireObject => o !== null);
}

/**
 * `helm template --dry-run=server --is-upgrade` against a real API server: templates see the
 * cluster (`lookup`, the server's version), as on an upgrade; nothing is written.
 */
export async function renderAgainst(kubeconfigPath: string): Promise<WireObject[]> {
  const text = await helm(['template', RELEASE, CHART, '--namespace', SYSTEM, '--dry-run=server', '--is-upgrade', '--kube-version', KUBE_VERSION, '--kubeconfig', kubeconfigPath]);
  return parseAllDocuments(text).map((d) => d.toJS() as WireObject | null).filter((o): o is WireObject => o !== null);
}

export const record = (v: unknown): WireObject => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as WireObject) : {});
export const list = (v: unknown): WireObject[] => (Array.isArray(v) ? v.map(record) : []);
export const nameOf = (o: WireObject): string => String(record(o['metadata'])['name']);

export function find(objects: readonly WireObject[], kind: string, name: string): WireObject {
  const found = objects.find((o) => o['kind'] === kind && nameOf(o) === name);
  if (found === undefined) throw new Error(`no ${kind} ${name} rendered; got ${objects.map((o) => `${String(o['kind'])}/${nameOf(o)}`).join(', ')}`);
  return found;
}

export const podSpec = (workload: WireObject): WireObject => record(record(record(workload['spec'])['template'])['spec']);

export function container(workload: WireObject, name: string, field: 'containers' | 'initContainers' = 'containers'): WireObject {
  const found = list(podSpec(workload)[field]).find((c) => c['name'] === name);
  if (found === undefined) throw new Error(`no ${field} ${name} in ${nameOf(workload)}`);
  return found;
}

export const argsOf = (c: WireObject): string[] => (Array.isArray(c['args']) ? c['args'].map(String) : []);

/** Collection paths of the kinds the chart renders (a new kind must be added here on purpose). */
const COLLECTIONS: Readonly<Record<string, { readonly prefix: string; readonly plural: string; readonly namespaced: boolean }>> = {
  ServiceAccount: { prefix: '/api/v1', plural: 'serviceaccounts', namespaced: true },
  Secret: { prefix: '/api/v1', plural: 'secrets', namespaced: true },
  Service: { prefix: '/api/v1', plural: 'services', namespaced: true },
  ClusterRole: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterroles', namespaced: false },
  ClusterRoleBinding: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterrolebindings', namespaced: false },
  Role: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'roles', namespaced: true },
  RoleBinding: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'rolebindings', namespaced: true },
  Deployment: { prefix: '/apis/apps/v1', plural: 'deployments', namespaced: true },
  DaemonSet: { prefix: '/apis/apps/v1', plural: 'daemonsets', namespaced: true },
};

/** Where `o` is created (POST). */
export function collectionPath(o: WireObject): string {
  const kind = String(o['kind']);
  const c = COLLECTIONS[kind];
  if (c === undefined) throw new Error(`chart-helpers.ts does not know where ${kind} objects live`);
  const ns = String(record(o['metadata'])['namespace'] ?? '');
  if (c.namespaced && ns === '') throw new Error(`${kind}/${nameOf(o)} has no namespace`);
  return c.namespaced ? `${c.prefix}/namespaces/${ns}/${c.plural}` : `${c.prefix}/${c.plural}`;
}

/** An RBAC rule as compared in the tests: every list sorted, absent lists as []. */
export type Rule = { readonly apiGroups: string[]; readonly resources: string[]; readonly verbs: string[]; readonly resourceNames: string[] };

export function rulesOf(role: WireObject): Rule[] {
  const sorted = (v: unknown): string[] => (Array.isArray(v) ? v.map(String).sort() : []);
  return list(role['rules']).map((r) => ({ apiGroups: sorted(r['apiGroups']), resources: sorted(r['resources']), verbs: sorted(r['verbs']), resourceNames: sorted(r['resourceNames']) }));
}

/**
 * Lists every barelb.io kind in `namespace` until each answers: a custom resource's storage starts
 * on first use and answers 429 meanwhile, which a process under test would log as a failed list.
 */
export async function warmUpBarelbStorage(api: KubeClient, namespace: string): Promise<void> {
  for (const def of barelbCrds) {
    const version = def.versions.find((v) => v.storage)?.name ?? '';
    await waitFor(() => api.list(`/apis/barelb.io/${version}/namespaces/${namespace}/${def.plural}`).then(() => true), 30_000, { what: `${def.plural} storage` });
  }
}
