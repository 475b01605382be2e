// A set of reflectors fed into one snapshot callback: the first snapshot once every cache has
// synced, then one per burst of changes. Changes during a callback coalesce into the next one (no
// fixed delay), so a slow round never queues a backlog.

import type { ApiError, KubeClient, WireObject } from './client.ts';
import { Reflector, type Keep, type ReflectorClock, type ReflectorLogger } from './reflector.ts';
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
  /** The reflectors' backoff (default 200 ms to 30 s) and how often an outage is probed (default 2 s). */
  readonly backoff?: { readonly minMs: number; readonly maxMs: number };
  readonly probeMs?: number;
};

/** Answered by a live API server with its storage ready; any authenticated client may ask. */
export const READY_PATH = '/readyz';

export class WatchSet<K extends string, T extends Kept<K> = { readonly [P in K]: WireObject }> {
  readonly reflectors: { readonly [P in K]: Reflector<T[P]> };
  #dirty = false;
  #concat: { readonly lists: readonly (readonly T[K][])[]; readonly all: readonly T[K][] } | null = null;
  #wake: (() => void) | null = null;
  readonly #client: KubeClient;
  readonly #clock: ReflectorClock;
  readonly #probeMs: number;
  #signal: AbortSignal | null = null;
  #probing = false;

  constructor(o: WatchSetOptions<K, T>) {
    this.#client = o.client;
    this.#clock = o.clock;
    this.#probeMs = o.probeMs ?? 2000;
    const out = {} as { [P in K]: Reflector<T[P]> };
    for (const kind of Object.keys(o.paths) as K[]) {
      // No keep: the reflector's default, the trimmed object.
      const keep = o.keep?.[kind] as Keep<T[K]> | undefined;
      out[kind] = new Reflector<T[K]>({
        client: o.client,
        path: o.paths[kind],
        logger: o.logger,
        clock: o.clock,
        onChange: () => this.#changed(),
        onError: (e: ApiError) => {
          o.onError?.(kind, e);
          void this.#probe();
        },
        ...(o.backoff === undefined ? {} : { backoff: o.backoff }),
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

  /**
   * While any reflector fails, asks the API server every probeMs whether it is ready, and wakes
   * every failing reflector when it answers after not answering. Their backoff reaches 30 s (so
   * that many speakers do not flood an API server that is coming back); without the probe, an
   * outage of a minute delayed the first change after it by ~17 s. One small request per process
   * per probe, and none once every reflector works; a reflector that fails while the server answers
   * (403, a missing CRD) keeps its own backoff.
   */
  async #probe(): Promise<void> {
    const signal = this.#signal;
    if (this.#probing || signal === null) return;
    this.#probing = true;
    const all = Object.values(this.reflectors) as Reflector<unknown>[];
    let down = false;
    try {
      for (;;) {
        await this.#clock.sleep(this.#probeMs, signal);
        if (signal.aborted || !all.some((r) => r.failing)) return;
        const ready = await this.#client.get(READY_PATH).then(() => true, () => false);
        if (ready && down) for (const r of all) if (r.failing) r.wake();
        down = !ready;
      }
    } finally {
      this.#probing = false;
    }
  }

  /** Runs the reflectors and calls `onRound` after sync and after each burst, until `signal` aborts. */
  async run(onRound: () => Promise<void>, signal: AbortSignal): Promise<void> {
    this.#signal = signal;
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
