// The Kubernetes API as barelb uses it: wire JSON in, wire JSON out, over node:https with one
// keep-alive pool (kubeconfig.ts supplies the server, TLS material and auth headers). Typed
// clients are avoided on purpose: client-node's LIST results come back as model instances with
// Date fields and no kind, and its patches default to JSON patch. Raw JSON is what the manifest
// parser reads in local mode, so one parser serves both.

import type { IncomingMessage } from 'node:http';
import { accessFromExported, type ApiAccess } from './kubeconfig.ts';

// Not `import ... from 'node:http'`: an ESM import of a builtin builds its namespace from every
// export, and node:http's lazy WebSocket, MessageEvent and CloseEvent exports load undici: +1.9 MB
// of heap and +9 MB of RSS in every process. getBuiltinModule hands over the module itself.
const { request: httpRequest } = process.getBuiltinModule('node:http');
const { request: httpsRequest } = process.getBuiltinModule('node:https');

export type WireObject = Record<string, unknown>;

/** `v` as an object, or an empty one: wire JSON is read defensively, field by field. */
export const record = (v: unknown): WireObject => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as WireObject) : {});

export type ListResult<T = WireObject> = { readonly items: readonly T[]; readonly resourceVersion: string };

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
  /** Pages through a LIST; `keep` maps each item as its page arrives (so full objects never pile up). */
  list(path: string, signal?: AbortSignal): Promise<ListResult>;
  list<T>(path: string, signal: AbortSignal | undefined, keep: (item: WireObject) => T): Promise<ListResult<T>>;
  /** Streams events after `resourceVersion` until the server closes (resolves) or fails (rejects). */
  watch(path: string, resourceVersion: string, onEvent: (e: WatchEvent) => void, signal: AbortSignal): Promise<void>;
  get(path: string): Promise<WireObject>;
  create(path: string, body: WireObject): Promise<WireObject>;
  replace(path: string, body: WireObject): Promise<WireObject>;
  patch(path: string, body: WireObject, type: PatchType, fieldManager: string): Promise<WireObject>;
  delete(path: string): Promise<void>;
}

const contentTypes: Readonly<Record<PatchType, string>> = {
  merge: 'application/merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

const REQUEST_TIMEOUT_MS = 30_000;

/** Watches the server ends on its own (it picks 5-10 min otherwise); the reflector re-watches. */
const WATCH_TIMEOUT_S = 290;
/** A watch silent this long (no event, no bookmark) is dead: the stream is dropped and re-opened. */
const WATCH_IDLE_MS = (WATCH_TIMEOUT_S + 30) * 1000;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const errorText = (e: unknown): string => (e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e));

/** A client over `access`; an object with exportConfig() (client-node's KubeConfig, in tests) is read as a kubeconfig. */
export function kubeClient(source: ApiAccess | { exportConfig(): string }): KubeClient {
  const access = 'exportConfig' in source ? accessFromExported(source) : source;

  async function send(method: Method, path: string, init: { body?: string; headers?: Record<string, string>; signal: AbortSignal }): Promise<IncomingMessage> {
    const url = new URL(`${access.server}${path}`);
    const headers = { ...(await access.headers()), Accept: 'application/json', ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...init.headers };
    const agent = await access.agent();
    return new Promise((resolve, reject) => {
      const req = (url.protocol === 'http:' ? httpRequest : httpsRequest)(url, { method, headers, agent, signal: init.signal }, resolve);
      req.on('error', reject);
      req.end(init.body);
    });
  }

  const readAll = async (response: IncomingMessage): Promise<string> => {
    response.setEncoding('utf8');
    let text = '';
    for await (const chunk of response) text += chunk as string;
    return text;
  };

  const okStatus = (r: IncomingMessage): boolean => (r.statusCode ?? 0) >= 200 && (r.statusCode ?? 0) < 300;

  const failed = (method: string, path: string, status: number, statusText: string, obj: WireObject): ApiError => {
    const message = typeof obj['message'] === 'string' ? obj['message'] : statusText;
    return new ApiError(status, `${method} ${path}: ${status} ${message}`, typeof obj['reason'] === 'string' ? obj['reason'] : '');
  };

  const parseBody = (text: string): WireObject => {
    let json: unknown = {};
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      json = { message: text.slice(0, 300) };
    }
    return (typeof json === 'object' && json !== null ? json : {}) as WireObject;
  };

  async function request(method: Method, path: string, body?: WireObject, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<WireObject> {
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
      response = await send(method, path, { ...(body === undefined ? {} : { body: JSON.stringify(body) }), headers, signal: abort.signal });
      text = await readAll(response);
    } catch (e) {
      throw new ApiError(0, `${method} ${path}: ${errorText(e)}`);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forward);
    }
    const obj = parseBody(text);
    if (!okStatus(response)) throw failed(method, path, response.statusCode ?? 0, response.statusMessage ?? '', obj);
    return obj;
  }

  /** Streams one watch: newline-delimited JSON events until the server ends it. */
  async function watchStream(path: string, resourceVersion: string, onEvent: (e: WatchEvent) => void, signal: AbortSignal): Promise<void> {
    const query = `watch=1&allowWatchBookmarks=true&timeoutSeconds=${WATCH_TIMEOUT_S}${resourceVersion === '' ? '' : `&resourceVersion=${encodeURIComponent(resourceVersion)}`}`;
    const url = `${path}${path.includes('?') ? '&' : '?'}${query}`;
    const abort = new AbortController();
    const forward = () => abort.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });
    let idle: ReturnType<typeof setTimeout> | undefined;
    let quiet = false;
    const alive = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        quiet = true;
        abort.abort(new Error(`watch silent for ${WATCH_IDLE_MS} ms`));
      }, WATCH_IDLE_MS);
    };
    try {
      alive();
      const response = await send('GET', url, { signal: abort.signal });
      if (!okStatus(response)) throw failed('watch', path, response.statusCode ?? 0, response.statusMessage ?? '', parseBody(await readAll(response)));
      response.setEncoding('utf8');
      let buffered = '';
      for await (const chunk of response) {
        alive();
        buffered += chunk as string;
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (line !== '') deliver(line, onEvent);
        }
      }
      const rest = buffered.trim();
      if (rest !== '') deliver(rest, onEvent);
    } catch (e) {
      if (signal.aborted || quiet) return;
      if (e instanceof ApiError) throw e;
      throw new ApiError(0, `watch ${path}: ${errorText(e)}`);
    } finally {
      clearTimeout(idle);
      signal.removeEventListener('abort', forward);
    }
  }

  return {
    async list<T>(path: string, signal?: AbortSignal, keep: (item: WireObject) => T = (item) => item as T): Promise<ListResult<T>> {
      // Paged: one 10 000-item response is one large string and one large parse, and every full
      // item would live until the last page arrived; `keep` trims each page as it comes.
      const items: T[] = [];
      let kind: string | undefined;
      let apiVersion: unknown;
      let resourceVersion = '';
      let next = '';
      do {
        const page = await request('GET', `${path}${path.includes('?') ? '&' : '?'}limit=${LIST_PAGE}${next === '' ? '' : `&continue=${encodeURIComponent(next)}`}`, undefined, {}, signal);
        const meta = record(page['metadata']);
        // Items of a LIST carry no kind/apiVersion; the list's kind names them ("ServiceList").
        kind ??= typeof page['kind'] === 'string' ? page['kind'].replace(/List$/, '') : undefined;
        apiVersion ??= page['apiVersion'];
        for (const i of Array.isArray(page['items']) ? (page['items'] as WireObject[]) : []) {
          items.push(keep({ ...(kind === undefined ? {} : { kind }), ...(typeof apiVersion === 'string' ? { apiVersion } : {}), ...i }));
        }
        resourceVersion = typeof meta['resourceVersion'] === 'string' ? meta['resourceVersion'] : '';
        next = typeof meta['continue'] === 'string' ? meta['continue'] : '';
      } while (next !== '');
      return { items, resourceVersion };
    },
    watch: watchStream,
    get: (path) => request('GET', path),
    create: (path, body) => request('POST', path, body),
    replace: (path, body) => request('PUT', path, body),
    patch: (path, body, type, fieldManager) =>
      request('PATCH', `${path}${path.includes('?') ? '&' : '?'}fieldManager=${encodeURIComponent(fieldManager)}${type === 'apply' ? '&force=true' : ''}`, body, { 'Content-Type': contentTypes[type] }),
    delete: async (path) => void (await request('DELETE', path)),
  };
}

const LIST_PAGE = 250;

function deliver(line: string, onEvent: (e: WatchEvent) => void): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return;
  }
  const e = record(parsed);
  const object = record(e['object']);
  const type = e['type'];
  if (type === 'ERROR') onEvent({ type: 'ERROR', status: object });
  else if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED' || type === 'BOOKMARK') onEvent({ type, object });
}
