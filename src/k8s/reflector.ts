// One resource kept in memory from the API server: LIST, then WATCH from the list's
// resourceVersion, forever. Unlike client-node's informer it never stops for good: any failure
// (connection refused, 403, 500, a dead stream) is retried with capped exponential backoff, and an
// expired resourceVersion (410) re-lists. While the API server is away the last cache stays in
// force, so the controller and speakers keep what they have.

import { ApiError, type KubeClient, type WireObject } from './client.ts';
import { keptVersion } from '../api/object-read.ts';
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

/**
 * What a reflector keeps of each object, and the resourceVersion that kept value was made from.
 * The default keeps the trimmed object; a store may keep its own reading instead (the speaker
 * keeps parsed Services and EndpointSlices, not the objects they were read from).
 */
export type Keep<T> = {
  readonly keep: (o: WireObject) => T;
  /** The resourceVersion the kept value was made from, as text or as keptVersion() gives it. */
  readonly versionOf: (kept: T) => string | number | null;
  /**
   * The kept value's own copy of its key ("namespace/name", or the name), when it keeps one: the
   * cache then keys with that string instead of another copy (20 000 at 10 000 Services and slices).
   */
  readonly keyOf?: (kept: T) => string;
};

export const objectKey = (o: WireObject): string => {
  const meta = (o['metadata'] ?? {}) as WireObject;
  const ns = typeof meta['namespace'] === 'string' ? meta['namespace'] : '';
  const name = typeof meta['name'] === 'string' ? meta['name'] : '';
  // Joined: the key is kept for as long as the object (a template literal would be kept as pieces).
  return ns === '' ? name : [ns, name].join('/');
};

export const resourceVersionOf = (o: WireObject): string | null => {
  const meta = (o['metadata'] ?? {}) as WireObject;
  return typeof meta['resourceVersion'] === 'string' ? meta['resourceVersion'] : null;
};

/** Whether a kept value's version (text, or keptVersion's number) is the resourceVersion `rv`. */
const sameVersion = (kept: string | number | null, rv: string | null): boolean => (typeof kept === 'number' ? rv !== null && keptVersion(rv) === kept : kept === rv);

class Expired extends Error {}

const keepTrimmed: Keep<WireObject> = { keep: trimObject, versionOf: resourceVersionOf };

export class Reflector<T = WireObject> {
  readonly #o: ReflectorOptions;
  readonly #keep: Keep<T>;
  readonly #cache = new Map<string, T>();
  /** `list()`'s answer while the cache is unchanged. */
  #listed: readonly T[] | null = null;
  #synced = false;
  #syncedWaiters: (() => void)[] = [];
  #failingSince: number | null = null;
  /** Ends the backoff sleep in progress (wake()). */
  #nap: AbortController | null = null;

  /** `keep` is required whenever T is not the trimmed object (the default). */
  constructor(options: ReflectorOptions, keep: Keep<T> = keepTrimmed as Keep<unknown> as Keep<T>) {
    this.#o = options;
    this.#keep = keep;
  }

  /** True once the first LIST has filled the cache. */
  get synced(): boolean {
    return this.#synced;
  }

  /** Resolves once the first LIST has filled the cache. */
  whenSynced(): Promise<void> {
    return this.#synced ? Promise.resolve() : new Promise((resolve) => this.#syncedWaiters.push(resolve));
  }

  get(key: string): T | undefined {
    return this.#cache.get(key);
  }

  /**
   * The cached objects. The same array until the cache changes, so a round over an unchanged kind
   * allocates nothing (at 10 000 Services, a fresh copy per round was garbage in every round).
   */
  list(): readonly T[] {
    this.#listed ??= [...this.#cache.values()];
    return this.#listed;
  }

  get size(): number {
    return this.#cache.size;
  }

  /** True from a failed list or watch until one succeeds again. */
  get failing(): boolean {
    return this.#failingSince !== null;
  }

  /** Retries now if it is waiting out a backoff (the API server is known to be back). */
  wake(): void {
    this.#nap?.abort();
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
        const nap = new AbortController();
        this.#nap = nap;
        await this.#o.clock.sleep(delay, AbortSignal.any([signal, nap.signal]));
        this.#nap = null;
        delay = Math.min(maxMs, delay * 2);
      }
    }
  }

  async #relist(signal: AbortSignal): Promise<string> {
    // An object whose resourceVersion is the one already kept keeps its kept value (the same
    // object), so a re-list after an outage costs the rounds downstream nothing for it.
    const { keep, versionOf } = this.#keep;
    const listed = await this.#o.client.list(this.#o.path, signal, (o) => {
      const key = objectKey(o);
      const old = this.#cache.get(key);
      const value = old !== undefined && sameVersion(versionOf(old), resourceVersionOf(o)) ? old : keep(o);
      return [this.#ownKey(key, value), value] as const;
    });
    // Compared and copied in place: a second map of the listed items (10 000 entries at scale)
    // would be garbage of the size of the cache at every list, the first one included.
    const items = listed.items;
    const changed = items.length !== this.#cache.size || items.some(([k, o]) => this.#cache.get(k) !== o);
    if (changed) {
      this.#cache.clear();
      for (const [k, o] of items) this.#cache.set(k, o);
      this.#listed = null;
    }
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
      else {
        const value = this.#keep.keep(e.object);
        // An update keeps the key the map has (the older value's string): a Map never replaces it.
        this.#cache.set(this.#cache.has(key) ? key : this.#ownKey(key, value), value);
      }
      this.#listed = null;
      this.#o.onChange();
    }, both);
    if (expired) throw new Expired();
    return rv;
  }

  /** `key`, or the kept value's own string of the same text. */
  #ownKey(key: string, value: T): string {
    const own = this.#keep.keyOf?.(value);
    return own === key ? own : key;
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
