// An in-memory KubeClient for unit tests: scripted LIST results and watch streams, recorded writes.
import { ApiError, type KubeClient, type ListResult, type WatchEvent, type WireObject } from './client.ts';

export type Scripted = ListResult | ApiError;

export class FakeKube implements KubeClient {
  readonly lists: Scripted[] = [];
  readonly listCalls: string[] = [];
  readonly writes: { method: string; path: string; body?: WireObject }[] = [];
  readonly objects = new Map<string, WireObject>();
  /** The watch in progress: push events into it, or end it. */
  stream: { emit: (e: WatchEvent) => void; end: (error?: ApiError) => void; from: string } | null = null;
  #streamWaiters: (() => void)[] = [];

  list(path: string, signal?: AbortSignal): Promise<ListResult>;
  list<T>(path: string, signal: AbortSignal | undefined, keep: (item: WireObject) => T): Promise<ListResult<T>>;
  async list<T>(path: string, _signal?: AbortSignal, keep: (item: WireObject) => T = (item) => item as T): Promise<ListResult<T>> {
    this.listCalls.push(path);
    const next = this.lists.shift();
    if (next === undefined) throw new ApiError(0, 'no scripted list left');
    if (next instanceof ApiError) throw next;
    return { ...next, items: next.items.map(keep) };
  }

  watch(_path: string, resourceVersion: string, onEvent: (e: WatchEvent) => void, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const end = (error?: ApiError) => {
        this.stream = null;
        if (error === undefined) resolve();
        else reject(error);
      };
      signal.addEventListener('abort', () => end(), { once: true });
      this.stream = { emit: onEvent, end, from: resourceVersion };
      for (const w of this.#streamWaiters.splice(0)) w();
    });
  }

  /** Resolves once a watch is open. */
  watching(): Promise<void> {
    return this.stream !== null ? Promise.resolve() : new Promise((resolve) => this.#streamWaiters.push(resolve));
  }

  async get(path: string): Promise<WireObject> {
    const o = this.objects.get(path);
    if (o === undefined) throw new ApiError(404, `${path} not found`);
    return o;
  }

  async create(path: string, body: WireObject): Promise<WireObject> {
    this.writes.push({ method: 'create', path, body });
    const name = String((body['metadata'] as WireObject)['name']);
    const key = `${path}/${name}`;
    if (this.objects.has(key)) throw new ApiError(409, 'exists');
    const stored = { ...body, metadata: { ...(body['metadata'] as WireObject), resourceVersion: '1' } };
    this.objects.set(key, stored);
    return stored;
  }

  async replace(path: string, body: WireObject): Promise<WireObject> {
    this.writes.push({ method: 'replace', path, body });
    const current = this.objects.get(path);
    const rv = String((body['metadata'] as WireObject)['resourceVersion']);
    if (current === undefined) throw new ApiError(404, 'not found');
    if (String((current['metadata'] as WireObject)['resourceVersion']) !== rv) throw new ApiError(409, 'conflict');
    const stored = { ...body, metadata: { ...(body['metadata'] as WireObject), resourceVersion: String(Number(rv) + 1) } };
    this.objects.set(path, stored);
    return stored;
  }

  async patch(path: string, body: WireObject): Promise<WireObject> {
    this.writes.push({ method: 'patch', path, body });
    return body;
  }

  async delete(path: string): Promise<void> {
    this.writes.push({ method: 'delete', path });
    this.objects.delete(path);
  }
}

export const obj = (name: string, rv: string, extra: WireObject = {}, namespace = 'ns'): WireObject => ({ metadata: { name, namespace, resourceVersion: rv }, ...extra });
