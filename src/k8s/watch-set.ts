// A set of reflectors fed into one snapshot callback: the first snapshot once every cache has
// synced, then one per burst of changes. Changes during a callback coalesce into the next one (no
// fixed delay), so a slow round never queues a backlog.

import type { ApiError, KubeClient, WireObject } from './client.ts';
import { keepTrimmed, Reflector, type Keep, type ReflectorClock, type ReflectorLogger } from './reflector.ts';
import { sameItems } from '../core/same-items.ts';

/** What each kind's reflector keeps: the trimmed object unless `keep` says otherwise. */
export type Kept<K extends string> = { readonly [P in K]: unknown };

export type WatchSetOptions<K extends string, T extends Kept<K>> = {
  readonly client: KubeClient;
  readonly paths: Readonly<Record<K, string>>;
  readonly logger: ReflectorLogger;
  readonly clock: ReflectorClock;
  readonly onError?: (kind: K, error: ApiError) => void;
  /** For kinds whose reflector keeps something other than the trimmed object. */
  readonly keep?: { readonly [P in K]?: Keep<T[P]> };
};

export class WatchSet<K extends string, T extends Kept<K> = { readonly [P in K]: WireObject }> {
  readonly reflectors: { readonly [P in K]: Reflector<T[P]> };
  #dirty = false;
  #concat: { readonly lists: readonly (readonly T[K][])[]; readonly all: readonly T[K][] } | null = null;
  #wake: (() => void) | null = null;

  constructor(o: WatchSetOptions<K, T>) {
    const out = {} as { [P in K]: Reflector<T[P]> };
    for (const kind of Object.keys(o.paths) as K[]) {
      const keep = (o.keep?.[kind] ?? keepTrimmed) as Keep<T[K]>;
      out[kind] = new Reflector<T[K]>({
        client: o.client,
        path: o.paths[kind],
        logger: o.logger,
        clock: o.clock,
        onChange: () => this.#changed(),
        ...(o.onError === undefined ? {} : { onError: (e: ApiError) => o.onError?.(kind, e) }),
      }, keep);
    }
    this.reflectors = out;
  }

  list<P extends K>(kind: P): readonly T[P][] {
    return this.reflectors[kind].list();
  }

  /**
   * The objects of `kinds`, in that order: the same array while none of them changed (each
   * reflector keeps its list until its cache changes), so the parse cache's identity check is all
   * an unchanged round costs.
   */
  concat(kinds: readonly K[]): readonly T[K][] {
    const lists = kinds.map((k) => this.list(k));
    const last = this.#concat;
    if (last !== null && sameItems(last.lists, lists)) return last.all;
    const all = ([] as T[K][]).concat(...lists);
    this.#concat = { lists, all };
    return all;
  }

  /** Asks for another round even without a change (e.g. to retry failed writes). */
  poke(): void {
    this.#changed();
  }

  #changed(): void {
    this.#dirty = true;
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /** Runs the reflectors and calls `onRound` after sync and after each burst, until `signal` aborts. */
  async run(onRound: () => Promise<void>, signal: AbortSignal): Promise<void> {
    const all = Object.values(this.reflectors) as Reflector<unknown>[];
    const running = Promise.all(all.map((r) => r.run(signal)));
    const synced = Promise.all(all.map((r) => r.whenSynced()));
    const aborted = new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    await Promise.race([synced, aborted]);
    while (!signal.aborted) {
      if (!this.#dirty) {
        await Promise.race([new Promise<void>((resolve) => (this.#wake = resolve)), aborted]);
        continue;
      }
      this.#dirty = false;
      await onRound();
    }
    this.#wake = null;
    await running;
  }
}
