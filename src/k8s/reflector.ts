// One resource kept in memory from the API server: LIST, then WATCH from the list's
// resourceVersion, forever. Unlike client-node's informer it never stops for good: any failure
// (connection refused, 403, 500, a dead stream) is retried with capped exponential backoff, and an
// expired resourceVersion (410) re-lists. While the API server is away the last cache stays in
// force, so the controller and speakers keep what they have.

import { ApiError, type KubeClient, type WireObject } from './client.ts';
import { trimObject } from './trim.ts';

export type ReflectorLogger = {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
};

export type ReflectorClock = {
  /** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
};

export type ReflectorOptions = {
  readonly client: KubeClient;
  /** Collection path, e.g. /api/v1/services or /apis/barelb.io/v1beta1/namespaces/NS/ipaddresspools. */
  readonly path: string;
  readonly logger: ReflectorLogger;
  readonly clock: ReflectorClock;
  /** Called after every change of the cache (and once after each LIST). */
  readonly onChange: () => void;
  /** Backoff after a failure, doubling. Default 200 ms to 30 s. */
  readonly backoff?: { readonly minMs: number; readonly maxMs: number };
  /** Called on each failure, e.g. for a metric. */
  readonly onError?: (error: ApiError) => void;
};

export const objectKey = (o: WireObject): string => {
  const meta = (o['metadata'] ?? {}) as WireObject;
  const ns = typeof meta['namespace'] === 'string' ? meta['namespace'] : '';
  const name = typeof meta['name'] === 'string' ? meta['name'] : '';
  return ns === '' ? name : `${ns}/${name}`;
};

const resourceVersionOf = (o: WireObject): string | null => {
  const meta = (o['metadata'] ?? {}) as WireObject;
  return typeof meta['resourceVersion'] === 'string' ? meta['resourceVersion'] : null;
};

class Expired extends Error {}

export class Reflector {
  readonly #o: ReflectorOptions;
  readonly #cache = new Map<string, WireObject>();
  /** `list()`'s answer while the cache is unchanged. */
  #listed: readonly WireObject[] | null = null;
  #synced = false;
  #syncedWaiters: (() => void)[] = [];
  #failingSince: number | null = null;

  constructor(options: ReflectorOptions) {
    this.#o = options;
  }

  /** True once the first LIST has filled the cache. */
  get synced(): boolean {
    return this.#synced;
  }

  /** Resolves once the first LIST has filled the cache. */
  whenSynced(): Promise<void> {
    return this.#synced ? Promise.resolve() : new Promise((resolve) => this.#syncedWaiters.push(resolve));
  }

  get(key: string): WireObject | undefined {
    return this.#cache.get(key);
  }

  /**
   * The cached objects. The same array until the cache changes, so a round over an unchanged kind
   * allocates nothing (at 10 000 Services, a fresh copy per round was garbage in every round).
   */
  list(): readonly WireObject[] {
    this.#listed ??= [...this.#cache.values()];
    return this.#listed;
  }

  get size(): number {
    return this.#cache.size;
  }

  /** Lists and watches until `signal` aborts. Never rejects. */
  async run(signal: AbortSignal): Promise<void> {
    const { minMs, maxMs } = this.#o.backoff ?? { minMs: 200, maxMs: 30_000 };
    let delay = minMs;
    while (!signal.aborted) {
      try {
        let rv = await this.#relist(signal);
        this.#recovered();
        delay = minMs;
        for (;;) {
          if (signal.aborted) return;
          rv = await this.#watchOnce(rv, signal);
        }
      } catch (e) {
        if (signal.aborted) return;
        if (e instanceof Expired) continue;
        const error = e instanceof ApiError ? e : new ApiError(0, e instanceof Error ? e.message : String(e));
        this.#failed(error, delay);
        await this.#o.clock.sleep(delay, signal);
        delay = Math.min(maxMs, delay * 2);
      }
    }
  }

  async #relist(signal: AbortSignal): Promise<string> {
    const listed = await this.#o.client.list(this.#o.path, signal, trimObject);
    const fresh = new Map(listed.items.map((o) => [objectKey(o), o] as const));
    const changed = fresh.size !== this.#cache.size || [...fresh].some(([k, o]) => resourceVersionOf(this.#cache.get(k) ?? {}) !== resourceVersionOf(o));
    this.#cache.clear();
    for (const [k, o] of fresh) this.#cache.set(k, o);
    this.#listed = null;
    if (!this.#synced) {
      this.#synced = true;
      for (const w of this.#syncedWaiters.splice(0)) w();
      this.#o.onChange();
    } else if (changed) this.#o.onChange();
    return listed.resourceVersion;
  }

  /** One watch stream; returns the last resourceVersion seen when the server ends it. */
  async #watchOnce(from: string, signal: AbortSignal): Promise<string> {
    let rv = from;
    let expired = false;
    const stream = new AbortController();
    const both = AbortSignal.any([signal, stream.signal]);
    await this.#o.client.watch(this.#o.path, rv, (e) => {
      if (e.type === 'ERROR') {
        // 410 Gone: our resourceVersion left the watch cache; anything else: start over too.
        expired = true;
        stream.abort();
        return;
      }
      const next = resourceVersionOf(e.object);
      if (next !== null) rv = next;
      if (e.type === 'BOOKMARK') return;
      const key = objectKey(e.object);
      if (e.type === 'DELETED') this.#cache.delete(key);
      else this.#cache.set(key, trimObject(e.object));
      this.#listed = null;
      this.#o.onChange();
    }, both);
    if (expired) throw new Expired();
    return rv;
  }

  #failed(error: ApiError, retryInMs: number): void {
    this.#o.onError?.(error);
    // 429: the API server asks to come back later (e.g. "storage is (re)initializing" right after a
    // CRD is created). Not an outage: retried with the same backoff, counted, not logged.
    if (error.status === 429) return;
    if (this.#failingSince !== null) return;
    this.#failingSince = Date.now();
    this.#o.logger.warn({ path: this.#o.path, status: error.status, error: error.message, retryInMs }, 'list/watch failed; keeping the last known objects and retrying');
  }

  #recovered(): void {
    if (this.#failingSince === null) return;
    this.#o.logger.info({ path: this.#o.path, downForMs: Date.now() - this.#failingSince }, 'list/watch works again');
    this.#failingSince = null;
  }
}
