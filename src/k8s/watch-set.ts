// A set of reflectors fed into one snapshot callback: the first snapshot once every cache has
// synced, then one per burst of changes. Changes during a callback coalesce into the next one (no
// fixed delay), so a slow round never queues a backlog.

import type { ApiError, KubeClient, WireObject } from './client.ts';
import { Reflector, type ReflectorClock, type ReflectorLogger } from './reflector.ts';
import { sameItems } from '../core/same-items.ts';

export type WatchSetOptions<K extends string> = {
  readonly client: KubeClient;
  readonly paths: Readonly<Record<K, string>>;
  readonly logger: ReflectorLogger;
  readonly clock: ReflectorClock;
  readonly onError?: (kind: K, error: ApiError) => void;
};

export class WatchSet<K extends string> {
  readonly reflectors: Readonly<Record<K, Reflector>>;
  #dirty = false;
  #concat: { readonly lists: readonly (readonly WireObject[])[]; readonly all: readonly WireObject[] } | null = null;
  #wake: (() => void) | null = null;

  constructor(o: WatchSetOptions<K>) {
    const out = {} as Record<K, Reflector>;
    for (const kind of Object.keys(o.paths) as K[]) {
      out[kind] = new Reflector({
        client: o.client,
        path: o.paths[kind],
        logger: o.logger,
        clock: o.clock,
        onChange: () => this.#changed(),
        ...(o.onError === undefined ? {} : { onError: (e: ApiError) => o.onError?.(kind, e) }),
      });
    }
    this.reflectors = out;
  }

  list(kind: K): readonly WireObject[] {
    return this.reflectors[kind].list();
  }

  /**
   * The objects of `kinds`, in that order: the same array while none of them changed (each
   * reflector keeps its list until its cache changes), so the parse cache's identity check is all
   * an unchanged round costs.
   */
  concat(kinds: readonly K[]): readonly WireObject[] {
    const lists = kinds.map((k) => this.list(k));
    const last = this.#concat;
    if (last !== null && sameItems(last.lists, lists)) return last.all;
    const all = ([] as WireObject[]).concat(...lists);
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
    const all = Object.values(this.reflectors) as Reflector[];
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
