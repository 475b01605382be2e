// Local mode's source of truth: a directory of manifests plus the controller's state file,
// watched with chokidar. Every change reloads the whole directory (files whose stat stamp did not
// change are neither read nor decoded again) and hands the result on; bursts coalesce while a load
// runs, with no fixed delay.

import { join, sep } from 'node:path';
import { watch } from 'chokidar';
import { ManifestCache, loadManifests, type LoadedManifests } from './manifest-files.ts';
import { StateCache, readState, stateDirName, type LocalState } from './state-file.ts';

export type LocalSnapshot = {
  readonly manifests: LoadedManifests;
  /** null when the state file could not be read (reported in `stateError`) or was not read. */
  readonly state: LocalState | null;
  readonly stateError: string | null;
};

export type WatchOptions = {
  readonly signal: AbortSignal;
  readonly onSnapshot: (snapshot: LocalSnapshot) => Promise<void> | void;
  readonly onError: (error: unknown) => void;
  /**
   * Whether a load reads the state file and a change of it starts a new load (default: always;
   * when not, the snapshot's state is null). The controller, its only writer, needs it only until
   * it holds the allocations in memory; reloading the whole directory after each of its own writes
   * would then only compete with the speakers for the CPU.
   */
  readonly useState?: () => boolean;
};

/** Per-watcher caches: decoded manifest files, and the decoded state file. */
export type LoadCaches = { readonly manifests?: ManifestCache; readonly state?: StateCache };

/**
 * With caches (one set per watcher), files that did not change are not decoded again. With
 * `withState` false the state file is not read (state and stateError null).
 */
export async function loadLocalSnapshot(dir: string, caches: LoadCaches = {}, withState = true): Promise<LocalSnapshot> {
  const manifests = await loadManifests([dir], caches.manifests);
  if (!withState) return { manifests, state: null, stateError: null };
  try {
    return { manifests, state: await readState(dir, caches.state), stateError: null };
  } catch (e) {
    return { manifests, state: null, stateError: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Calls onSnapshot once at start and again after every change under `dir`, never two at a
 * time: changes that arrive during a load set a flag that triggers one more load after it.
 * Resolves when the signal aborts.
 */
export async function watchLocalDir(dir: string, opts: WatchOptions): Promise<void> {
  let running = false;
  let dirty = false;
  const caches: LoadCaches = { manifests: new ManifestCache(), state: new StateCache() };
  const useState = opts.useState ?? ((): boolean => true);
  const cycle = async (): Promise<void> => {
    if (running) {
      dirty = true;
      return;
    }
    running = true;
    try {
      do {
        dirty = false;
        await opts.onSnapshot(await loadLocalSnapshot(dir, caches, useState()));
      } while (dirty && !opts.signal.aborted);
    } catch (e) {
      opts.onError(e);
    } finally {
      running = false;
    }
  };
  const stateDir = join(dir, stateDirName);
  const isState = (path: string): boolean => path === stateDir || path.startsWith(`${stateDir}${sep}`);
  const watcher = watch(dir, { ignoreInitial: true, ignored: (path: string) => /\.tmp$|~$|\.swp$/.test(path) });
  watcher.on('all', (_event, path) => {
    if (!isState(path) || useState()) void cycle();
  });
  watcher.on('error', (e) => opts.onError(e));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  await cycle();
  await new Promise<void>((resolve) => {
    if (opts.signal.aborted) resolve();
    else opts.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await watcher.close();
}
