// Helpers for the CRD tests against a real kube-apiserver: install helm/barelb/crds, read and
// write barelb objects (also through /status), turn a refusal into the fields it names, and read
// the Table kubectl prints.
import * as k8s from '@kubernetes/client-node';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { barelbCrds, crdDirectory, type CrdDefinition } from '../../src/k8s/crds.ts';
import { waitFor } from '../harness/wait.ts';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export type Body = Record<string, unknown>;

/** Creates every CRD of the chart and waits until each is Established. */
export async function installCrds(kc: k8s.KubeConfig): Promise<readonly k8s.V1CustomResourceDefinition[]> {
  const api = kc.makeApiClient(k8s.ApiextensionsV1Api);
  const dir = join(repoRoot, crdDirectory);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    // loadYaml builds the client's model classes; a plain object would lose every x-kubernetes-*
    // key and `default` when the client serialises it (it maps camelCase model fields only).
    const body = k8s.loadYaml<k8s.V1CustomResourceDefinition>(readFileSync(join(dir, file), 'utf8'));
    await api.createCustomResourceDefinition({ body });
  }
  return Promise.all(barelbCrds.map((def) => waitFor(async () => {
    const crd = await api.readCustomResourceDefinition({ name: `${def.plural}.barelb.io` });
    return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true ? crd : undefined;
  }, 60_000, { what: `CRD ${def.plural}.barelb.io to be Established` })));
}

export const crdOf = (kind: string): CrdDefinition => {
  const def = barelbCrds.find((d) => d.kind === kind);
  if (def === undefined) throw new Error(`no barelb CRD for ${kind}`);
  return def;
};

/** A barelb object of `kind` at `version` (default: the kind's first version). */
export function anObject(kind: string, name: string, namespace: string, parts: Body, version?: string): Body {
  return { apiVersion: `barelb.io/${version ?? crdOf(kind).versions[0]?.name ?? ''}`, kind, metadata: { name, namespace }, ...parts };
}

const where = (o: Body): { group: string; version: string; namespace: string; plural: string; name: string } => {
  const meta = o['metadata'] as { name: string; namespace: string };
  const [group = '', version = ''] = String(o['apiVersion']).split('/');
  return { group, version, namespace: meta.namespace, plural: crdOf(String(o['kind'])).plural, name: meta.name };
};

/** CustomObjectsApi for whole barelb objects (their kind and apiVersion say where they go). */
export class BarelbObjects {
  readonly #api: k8s.CustomObjectsApi;

  constructor(kc: k8s.KubeConfig) {
    this.#api = kc.makeApiClient(k8s.CustomObjectsApi);
  }

  /** Creates with strict field validation, so an unknown field is an error, not a silent prune. */
  async create(o: Body): Promise<{ readonly object: Body; readonly warnings: string }> {
    const { group, version, namespace, plural } = where(o);
    const info = await this.#api.createNamespacedCustomObjectWithHttpInfo({ group, version, namespace, plural, body: o, fieldValidation: 'Strict' });
    return { object: info.data as Body, warnings: String(info.headers['warning'] ?? '') };
  }

  async get(o: Body, version?: string): Promise<Body> {
    const w = where(o);
    return (await this.#api.getNamespacedCustomObject({ ...w, version: version ?? w.version })) as Body;
  }

  async replace(o: Body): Promise<Body> {
    return (await this.#api.replaceNamespacedCustomObject({ ...where(o), body: o, fieldValidation: 'Strict' })) as Body;
  }

  async replaceStatus(o: Body): Promise<Body> {
    return (await this.#api.replaceNamespacedCustomObjectStatus({ ...where(o), body: o, fieldValidation: 'Strict' })) as Body;
  }

  /** Sets `status` through the subresource on the current version of the object. */
  async setStatus(o: Body, status: Body): Promise<Body> {
    return this.replaceStatus({ ...(await this.get(o)), status });
  }

  async delete(o: Body): Promise<void> {
    await this.#api.deleteNamespacedCustomObject(where(o));
  }
}

export type Refusal = { readonly code: number; readonly message: string; readonly fields: readonly string[] };

/** How the API server refused `call`; fails when it did not. */
export async function refusal(call: Promise<unknown>): Promise<Refusal> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof k8s.ApiException)) throw error;
    const body: unknown = typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
    const status = body as { message?: string; details?: { causes?: { field?: string }[] } };
    const fields = (status.details?.causes ?? []).map((c) => c.field ?? '');
    return { code: error.code, message: status.message ?? String(error.body), fields };
  }
  throw new Error('the API server accepted what it should have refused');
}

/** barelb.io objects of one examples/<dir>, in file order. */
export function exampleObjects(dir: string): { readonly where: string; readonly object: Body }[] {
  const base = join(repoRoot, 'examples', dir);
  return readdirSync(base).filter((f) => /\.ya?ml$/.test(f)).sort().flatMap((file) =>
    parseAllDocuments(readFileSync(join(base, file), 'utf8')).map((doc, i) => ({ where: `${relative(repoRoot, join(base, file))}#${i}`, object: doc.toJS() as Body })))
    .filter((e) => String(e.object['apiVersion']).startsWith('barelb.io/'));
}

export const exampleDirs = (): string[] => readdirSync(join(repoRoot, 'examples'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

export type Table = { readonly columns: readonly string[]; readonly rows: readonly (readonly unknown[])[] };

/** GET `path` as a meta.k8s.io/v1 Table: the columns and cells `kubectl get` prints. */
export function getTable(server: string, caPem: string, token: string, path: string): Promise<Table> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, server), {
      ca: caPem,
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`GET ${path}: HTTP ${res.statusCode}: ${text}`));
        const table = JSON.parse(text) as { columnDefinitions: { name: string }[]; rows: { cells: unknown[] }[] };
        resolve({ columns: table.columnDefinitions.map((c) => c.name), rows: table.rows.map((r) => r.cells) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** True when every field of `part` is in `whole` with the same value (extra fields allowed). */
export function contains(whole: unknown, part: unknown): boolean {
  if (typeof part !== 'object' || part === null) return whole === part;
  if (typeof whole !== 'object' || whole === null || Array.isArray(part) !== Array.isArray(whole)) return false;
  if (Array.isArray(part)) return Array.isArray(whole) && whole.length === part.length && part.every((p, i) => contains(whole[i], p));
  return Object.entries(part).every(([k, v]) => contains((whole as Record<string, unknown>)[k], v));
}
