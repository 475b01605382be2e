// How barelb reaches the API server: the server URL, the TLS material and the auth headers, read
// from a kubeconfig or from the Pod's service account. Read here rather than by client-node's
// KubeConfig because loading that class loads client-node's generated API models as well: about
// 85 MB of resident memory in every controller and speaker for code barelb never calls (requests
// are raw JSON). Kubeconfigs that need client-node's auth plugins (exec, auth-provider, proxies)
// still get it, imported only then.

import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Agent } from 'node:http';
import { createRequire } from 'node:module';
import { isRecord, type WireRecord } from '../api/wire.ts';

// Through getBuiltinModule, not an ESM import: see client.ts (node:http's namespace loads undici).
const { Agent: HttpAgent } = process.getBuiltinModule('node:http');
const { Agent: HttpsAgent } = process.getBuiltinModule('node:https');

/** What a request needs: where to go, over which connection pool, with which headers. */
export interface ApiAccess {
  /** e.g. https://192.0.2.1:6443, no trailing slash. */
  readonly server: string;
  /** One keep-alive pool for every request and watch, with the cluster's TLS settings. */
  readonly agent: () => Promise<Agent>;
  /** Auth headers, taken per request (tokens rotate). */
  readonly headers: () => Promise<Record<string, string>>;
  /** For logs: where the access came from. */
  readonly source: string;
}

export type KubeConfigSource = { readonly kubeconfig: string | null };

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Bound service account tokens rotate (kubelet rewrites the file); re-read at most this often. */
const TOKEN_REREAD_MS = 60_000;

export class KubeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeConfigError';
  }
}

type Rec = WireRecord;
const rec = (v: unknown): Rec => (isRecord(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A named entry (`clusters[].cluster`, `users[].user`, `contexts[].context`) of a kubeconfig. */
function named(doc: Rec, list: string, field: string, name: string): Rec | undefined {
  const items = Array.isArray(doc[list]) ? (doc[list] as unknown[]) : [];
  const hit = items.map(rec).find((i) => i['name'] === name);
  return hit === undefined ? undefined : rec(hit[field]);
}

/** What a kubeconfig says about its current context, files resolved against the kubeconfig's directory. */
export type KubeConfigEntry = {
  readonly server: string;
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly insecure: boolean;
  readonly servername?: string;
  readonly token?: string;
  readonly tokenFile?: string;
  readonly basic?: { readonly username: string; readonly password: string };
  /** Set when the user or cluster needs something only client-node implements. */
  readonly needsClientNode?: string;
};

const require = createRequire(import.meta.url);

/**
 * A kubeconfig's text as data. JSON (what `kubectl config view -o json` and client-node write) is
 * read without the YAML parser, which is loaded only for YAML text: it is the only YAML a
 * long-running process would read, and an in-cluster one (service account) reads none.
 */
function parseKubeconfigText(text: string): unknown {
  if (text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch {
      // Not JSON after all (a YAML flow mapping): read it as YAML.
    }
  }
  const yaml = require('yaml') as typeof import('yaml');
  return yaml.parse(text);
}

/**
 * Reads one kubeconfig document (YAML or JSON). File references (certificate-authority,
 * client-certificate, client-key, tokenFile) are read relative to `baseDir`, like kubectl does.
 */
export function kubeConfigEntry(text: string, baseDir: string, where: string): KubeConfigEntry {
  let doc: Rec;
  try {
    doc = rec(parseKubeconfigText(text));
  } catch (e) {
    throw new KubeConfigError(`${where}: not YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  const current = str(doc['current-context']);
  if (current === undefined) throw new KubeConfigError(`${where}: current-context is not set`);
  const context = named(doc, 'contexts', 'context', current);
  if (context === undefined) throw new KubeConfigError(`${where}: contexts has no entry "${current}" (current-context)`);
  const clusterName = str(context['cluster']) ?? '';
  const cluster = named(doc, 'clusters', 'cluster', clusterName);
  if (cluster === undefined) throw new KubeConfigError(`${where}: clusters has no entry "${clusterName}" (context "${current}")`);
  const server = str(cluster['server']);
  if (server === undefined) throw new KubeConfigError(`${where}: clusters["${clusterName}"].server is not set`);
  const userName = str(context['user']);
  const user = userName === undefined ? {} : named(doc, 'users', 'user', userName);
  if (user === undefined) throw new KubeConfigError(`${where}: users has no entry "${userName ?? ''}" (context "${current}")`);

  const file = (path: string, field: string): string => {
    const full = isAbsolute(path) ? path : resolve(baseDir, path);
    try {
      return readFileSync(full, 'utf8');
    } catch (e) {
      throw new KubeConfigError(`${where}: ${field}: cannot read ${full}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  };
  const material = (obj: Rec, name: string, owner: string): string | undefined => {
    const data = str(obj[`${name}-data`]);
    if (data !== undefined) return Buffer.from(data, 'base64').toString('utf8');
    const path = str(obj[name]);
    return path === undefined ? undefined : file(path, `${owner}.${name}`);
  };

  const plugin = ['exec', 'auth-provider'].find((k) => user[k] !== undefined && user[k] !== null)
    ?? (str(cluster['proxy-url']) === undefined ? undefined : 'proxy-url');
  const ca = material(cluster, 'certificate-authority', `clusters["${clusterName}"]`);
  const userRef = `users["${userName ?? ''}"]`;
  const cert = material(user, 'client-certificate', userRef);
  const key = material(user, 'client-key', userRef);
  const token = str(user['token']);
  const tokenFile = str(user['tokenFile']);
  const username = str(user['username']);
  const password = str(user['password']);
  const servername = str(cluster['tls-server-name']);
  return {
    server: server.replace(/\/+$/, ''),
    insecure: cluster['insecure-skip-tls-verify'] === true,
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
    ...(servername === undefined ? {} : { servername }),
    ...(token === undefined ? {} : { token }),
    ...(tokenFile === undefined ? {} : { tokenFile: isAbsolute(tokenFile) ? tokenFile : join(baseDir, tokenFile) }),
    ...(username === undefined || password === undefined ? {} : { basic: { username, password } }),
    ...(plugin === undefined ? {} : { needsClientNode: plugin }),
  };
}

/** Reads a token file, again only after TOKEN_REREAD_MS and only if the file changed. */
export function tokenReader(path: string, now: () => number = Date.now): () => string {
  let cached: { token: string; at: number; mtimeMs: number } | undefined;
  return () => {
    if (cached !== undefined && now() - cached.at < TOKEN_REREAD_MS) return cached.token;
    const mtimeMs = statSync(path).mtimeMs;
    if (cached !== undefined && cached.mtimeMs === mtimeMs) {
      cached.at = now();
      return cached.token;
    }
    cached = { token: readFileSync(path, 'utf8').trim(), at: now(), mtimeMs };
    return cached.token;
  };
}

/**
 * Node's own http(s) Agent, not undici's: undici parses HTTP with a WebAssembly build of llhttp,
 * which costs ~25 MB of resident memory per process; node:http uses the native one.
 */
function agentFor(server: string, tls: { ca?: string; cert?: string; key?: string; servername?: string; rejectUnauthorized: boolean }): Agent {
  return server.startsWith('http:') ? new HttpAgent({ keepAlive: true }) : new HttpsAgent({ keepAlive: true, ...tls });
}

/** Access from a kubeconfig entry: one keep-alive Agent carrying its TLS settings. */
export function accessFromEntry(entry: KubeConfigEntry, source: string): ApiAccess {
  let agent: Agent | undefined;
  const token = entry.tokenFile === undefined ? undefined : tokenReader(entry.tokenFile);
  return {
    server: entry.server,
    source,
    agent: () => {
      agent ??= agentFor(entry.server, {
        ...(entry.ca === undefined ? {} : { ca: entry.ca }),
        ...(entry.cert === undefined ? {} : { cert: entry.cert }),
        ...(entry.key === undefined ? {} : { key: entry.key }),
        ...(entry.servername === undefined ? {} : { servername: entry.servername }),
        rejectUnauthorized: !entry.insecure,
      });
      return Promise.resolve(agent);
    },
    headers: () => {
      const bearer = token?.() ?? entry.token;
      if (bearer !== undefined) return Promise.resolve({ Authorization: `Bearer ${bearer}` });
      if (entry.basic !== undefined) return Promise.resolve({ Authorization: `Basic ${Buffer.from(`${entry.basic.username}:${entry.basic.password}`).toString('base64')}` });
      return Promise.resolve({});
    },
  };
}

/** Inside a Pod: the service account's token and CA, the API server from the environment. */
export function inClusterEntry(env: NodeJS.ProcessEnv = process.env, dir = SA_DIR): KubeConfigEntry | null {
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'];
  if (host === undefined || host === '' || port === undefined || port === '') return null;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  let ca: string;
  try {
    ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
  } catch (e) {
    throw new KubeConfigError(`in-cluster: cannot read ${join(dir, 'ca.crt')}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return { server: `https://${hostPart}:${port}`, ca, insecure: false, tokenFile: join(dir, 'token') };
}

/** Access through client-node's KubeConfig: for auth plugins only; its import costs ~85 MB RSS. */
async function accessThroughClientNode(path: string | null, why: string): Promise<ApiAccess> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  if (path !== null) kc.loadFromFile(path);
  else kc.loadFromDefault();
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new KubeConfigError(`${path ?? 'kubeconfig'}: no current cluster`);
  const server = cluster.server.replace(/\/+$/, '');
  type Options = { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean; headers?: Record<string, string> };
  // client-node fills TLS material and the Authorization header (running the exec plugin as needed).
  const options = async (): Promise<Options> => {
    const opts: Options & { headers: Record<string, string> } = { headers: {} };
    await kc.applyToHTTPSOptions(opts);
    return opts;
  };
  let agent: Agent | undefined;
  return {
    server,
    source: `${path ?? 'default kubeconfig'} (client-node, for ${why})`,
    agent: async () => {
      if (agent !== undefined) return agent;
      const o = await options();
      agent = agentFor(server, { ...(o.ca === undefined ? {} : { ca: String(o.ca) }), ...(o.cert === undefined ? {} : { cert: String(o.cert) }), ...(o.key === undefined ? {} : { key: String(o.key) }), rejectUnauthorized: o.rejectUnauthorized !== false });
      return agent;
    },
    headers: async () => (await options()).headers ?? {},
  };
}

/**
 * `--kubeconfig PATH`, else the first file of $KUBECONFIG, else ~/.kube/config, else in-cluster:
 * the order kubectl and client-node use (a $KUBECONFIG list is not merged: its first file counts).
 */
export async function loadApiAccess(source: KubeConfigSource, env: NodeJS.ProcessEnv = process.env): Promise<ApiAccess> {
  const fromEnv = (env['KUBECONFIG'] ?? '').split(':').find((p) => p !== '');
  const home = join(homedir(), '.kube', 'config');
  const candidates = source.kubeconfig !== null ? [source.kubeconfig] : fromEnv !== undefined ? [fromEnv] : exists(home) ? [home] : [];
  const path = candidates[0];
  if (path === undefined) {
    const entry = inClusterEntry(env);
    if (entry === null) throw new KubeConfigError('no kubeconfig: pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, or run in a Pod (KUBERNETES_SERVICE_HOST)');
    return accessFromEntry(entry, 'in-cluster service account');
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new KubeConfigError(`cannot read kubeconfig ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const entry = kubeConfigEntry(text, dirname(resolve(path)), path);
  if (entry.needsClientNode !== undefined) return accessThroughClientNode(path, entry.needsClientNode);
  return accessFromEntry(entry, path);
}

/** Access from an in-memory kubeconfig object that can print itself (client-node's KubeConfig in tests). */
export function accessFromExported(kc: { exportConfig(): string }, source = 'kubeconfig object'): ApiAccess {
  const entry = kubeConfigEntry(kc.exportConfig(), process.cwd(), source);
  if (entry.needsClientNode !== undefined) throw new KubeConfigError(`${source}: ${entry.needsClientNode} is not supported here`);
  return accessFromEntry(entry, source);
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
