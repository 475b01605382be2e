// Local mode's source of truth: a directory of manifests plus the controller's state file,
// watched with chokidar. Every change reloads the whole directory (cheap next to a cluster
// round-trip) and hands the result on; bursts coalesce while a load runs, with no fixed delay.

import { watch } from 'chokidar';
import { loadManifests, type LoadedManifests } from './manifest-files.ts';
import { readState, type LocalState } from './state-file.ts';

export type LocalSnapshot = {
  readonly manifests: LoadedManifests;
  /** null when the state file could not be read (reported in `stateError`). */
  readonly state: LocalState | null;
  readonly stateError: string | null;
};

export type WatchOptions = {
  readonly signal: AbortSignal;
  readonly onSnapshot: (snapshot: LocalSnapshot) => Promise<void> | void;
  readonly onError: (error: unknown) => void;
};

export async function loadLocalSnapshot(dir: string): Promise<LocalSnapshot> {
  const manifests = await loadManifests([dir]);
  try {
    return { manifests, state: await readState(dir), stateError: null };
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
  const cycle = async (): Promise<void> => {
    if (running) {
      dirty = true;
      return;
    }
    running = true;
    try {
      do {
        dirty = false;
        await opts.onSnapshot(await loadLocalSnapshot(dir));
      } while (dirty && !opts.signal.aborted);
    } catch (e) {
      opts.onError(e);
    } finally {
      running = false;
    }
  };
  const watcher = watch(dir, { ignoreInitial: true, ignored: (path: string) => /\.tmp$|~$|\.swp$/.test(path) });
  watcher.on('all', () => void cycle());
  watcher.on('error', (e) => opts.onError(e));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  await cycle();
  await new Promise<void>((resolve) => {
    if (opts.signal.aborted) resolve();
    else opts.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await watcher.close();
}
