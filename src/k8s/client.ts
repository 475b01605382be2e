// The Kubernetes API as barelb uses it: wire JSON in, wire JSON out. @kubernetes/client-node
// supplies the kubeconfig, authentication and the watch stream; requests go through undici with
// client-node's dispatcher. Typed calls are avoided on purpose: LIST results come back as model
// instances with Date fields and no kind (the watch gives raw JSON), and patches default to JSON
// patch. Raw JSON is what the manifest parser reads in local mode, so one parser serves both.

import { HttpMethod, KubeConfig, RequestContext, Watch } from '@kubernetes/client-node';
import { fetch } from 'undici';

export type WireObject = Record<string, unknown>;

/** `v` as an object, or an empty one: wire JSON is read defensively, field by field. */
export const record = (v: unknown): WireObject => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as WireObject) : {});

export type ListResult = { readonly items: readonly WireObject[]; readonly resourceVersion: string };

export type WatchEvent =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; readonly object: WireObject }
  | { readonly type: 'ERROR'; readonly status: WireObject };

/** A failed request: HTTP status (0 when none arrived) and the server's message. */
export class ApiError extends Error {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, message: string, reason = '') {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.reason = reason;
  }
}

export type PatchType = 'merge' | 'apply';

/** The port the stores, leader election and event recorder use; tests pass a fake. */
export interface KubeClient {
  list(path: string, signal?: AbortSignal): Promise<ListResult>;
  /** Streams events after `resourceVersion` until the server closes (resolves) or fails (rejects). */
  watch(path: string, resourceVersion: string, onEvent: (e: WatchEvent) => void, signal: AbortSignal): Promise<void>;
  get(path: string): Promise<WireObject>;
  create(path: string, body: WireObject): Promise<WireObject>;
  replace(path: string, body: WireObject): Promise<WireObject>;
  patch(path: string, body: WireObject, type: PatchType, fieldManager: string): Promise<WireObject>;
  delete(path: string): Promise<void>;
}

export type KubeConfigSource = { readonly kubeconfig: string | null };

/** `--kubeconfig PATH`, else $KUBECONFIG / ~/.kube/config / in-cluster (client-node's order). */
export function loadKubeConfig(source: KubeConfigSource): KubeConfig {
  const kc = new KubeConfig();
  if (source.kubeconfig !== null) kc.loadFromFile(source.kubeconfig);
  else kc.loadFromDefault();
  return kc;
}

const contentTypes: Readonly<Record<PatchType, string>> = {
  merge: 'application/merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

const REQUEST_TIMEOUT_MS = 30_000;

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

export function kubeClient(kc: KubeConfig): KubeClient {
  const server = (): string => {
    const cluster = kc.getCurrentCluster();
    if (cluster === null) throw new ApiError(0, 'the kubeconfig has no current cluster');
    return cluster.server.replace(/\/$/, '');
  };

  let shared: Dispatcher | undefined;

  async function request(method: HttpMethod, path: string, body?: WireObject, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<WireObject> {
    const ctx = new RequestContext(`${server()}${path}`, method);
    await kc.applySecurityAuthentication(ctx);
    // client-node makes a new undici Agent (its own connection pool) on every call: a TLS handshake
    // per request and idle sockets piling up (hundreds of MB of native memory at 10 000 Services).
    // Headers (the token, which may rotate) are taken per request; the first Agent serves them all.
    shared ??= ctx.getDispatcher();
    // One controller per request, its timer cleared when the body is read: AbortSignal.timeout()
    // would keep every request (and its response) reachable for the full 30 s, which under a burst
    // of status writes could hold a great deal of memory.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error(`timed out after ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
    const forward = () => abort.abort(signal?.reason);
    signal?.addEventListener('abort', forward, { once: true });
    let response;
    let text: string;
    try {
      response = await fetch(ctx.getUrl(), {
        method,
        headers: { ...ctx.getHeaders(), Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(shared === undefined ? {} : { dispatcher: shared }),
        signal: abort.signal,
      });
      text = await response.text();
    } catch (e) {
      throw new ApiError(0, `${method} ${path}: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forward);
    }
    let json: unknown = {};
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      json = { message: text.slice(0, 300) };
    }
    const obj = (typeof json === 'object' && json !== null ? json : {}) as WireObject;
    if (!response.ok) {
      const message = typeof obj['message'] === 'string' ? obj['message'] : response.statusText;
      throw new ApiError(response.status, `${method} ${path}: ${response.status} ${message}`, typeof obj['reason'] === 'string' ? obj['reason'] : '');
    }
    return obj;
  }

  const watcher = new Watch(kc);
  return {
    async list(path, signal) {
      const obj = await request(HttpMethod.GET, path, undefined, {}, signal);
      const meta = (obj['metadata'] ?? {}) as WireObject;
      const items = Array.isArray(obj['items']) ? (obj['items'] as WireObject[]) : [];
      // Items of a LIST carry no kind/apiVersion; the list's kind names them ("ServiceList").
      const kind = typeof obj['kind'] === 'string' ? obj['kind'].replace(/List$/, '') : undefined;
      const apiVersion = obj['apiVersion'];
      return {
        items: items.map((i) => ({ ...(kind === undefined ? {} : { kind }), ...(typeof apiVersion === 'string' ? { apiVersion } : {}), ...i })),
        resourceVersion: typeof meta['resourceVersion'] === 'string' ? meta['resourceVersion'] : '',
      };
    },
    watch(path, resourceVersion, onEvent, signal) {
      return new Promise<void>((resolve, reject) => {
        let controller: AbortController | undefined;
        const stop = () => controller?.abort();
        signal.addEventListener('abort', stop, { once: true });
        const done = (error: unknown) => {
          signal.removeEventListener('abort', stop);
          // client-node ends a watch that was quiet for 30 s with a TimeoutError: a normal end, after
          // which the reflector watches again from the last resourceVersion (no re-list, no backoff).
          const quiet = error instanceof Error && error.name === 'TimeoutError';
          if (error === null || error === undefined || signal.aborted || quiet) resolve();
          else {
            const status = typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 0;
            reject(new ApiError(status, `watch ${path}: ${error instanceof Error ? error.message : String(error)}`));
          }
        };
        watcher
          .watch(path, { resourceVersion, allowWatchBookmarks: true }, (type: string, object: unknown) => {
            const o = (typeof object === 'object' && object !== null ? object : {}) as WireObject;
            if (type === 'ERROR') onEvent({ type: 'ERROR', status: o });
            else if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED' || type === 'BOOKMARK') onEvent({ type, object: o });
          }, done)
          .then((c) => {
            controller = c;
            if (signal.aborted) c.abort();
          }, done);
      });
    },
    get: (path) => request(HttpMethod.GET, path),
    create: (path, body) => request(HttpMethod.POST, path, body),
    replace: (path, body) => request(HttpMethod.PUT, path, body),
    patch: (path, body, type, fieldManager) =>
      request(HttpMethod.PATCH, `${path}${path.includes('?') ? '&' : '?'}fieldManager=${encodeURIComponent(fieldManager)}${type === 'apply' ? '&force=true' : ''}`, body, { 'Content-Type': contentTypes[type] }),
    delete: async (path) => void (await request(HttpMethod.DELETE, path)),
  };
}
