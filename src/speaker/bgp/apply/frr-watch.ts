// Notices FRR restarts by watching its runtime directory: a daemon that (re)starts re-creates its
// pid file and vty socket there. Reports a restart once the files have settled (daemons start one
// after another), so the caller re-applies its config to the new processes at once.
import { basename, dirname, resolve } from 'node:path';
import { watch } from 'chokidar';
import type { Clock, Logger } from './hooks.ts';

export interface FrrWatchOptions {
  /** FRR's runtime directory: `/var/run/frr`, or `/var/run/frr/NAME` with a pathspace. */
  readonly dir: string;
  /**
   * The directory chokidar watches, `dir` or an ancestor that always exists (a pathspace's
   * directory is deleted and re-created with its instance). Default `dir`.
   */
  readonly watchRoot?: string;
  /** File names in `dir` whose creation means a (re)start. Default `bgpd.pid` and `bgpd.vty`. */
  readonly files?: readonly string[];
  /** Quiet time after the last such event before reporting, ms. Default 300. */
  readonly settleMs?: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly onRestart: () => void;
}

export interface FrrWatch {
  /** Resolves once the initial scan is done: later (re)creations are reported. */
  readonly ready: Promise<void>;
  /** Resolves when `signal` aborted and the watcher is closed. */
  readonly closed: Promise<void>;
}

export function watchFrrRestarts(options: FrrWatchOptions, signal: AbortSignal): FrrWatch {
  const dir = resolve(options.dir);
  const root = resolve(options.watchRoot ?? dir);
  const files = new Set(options.files ?? ['bgpd.pid', 'bgpd.vty']);
  const depth = dir === root ? 0 : dir.slice(root.length).split('/').filter((p) => p !== '').length;
  const watcher = watch(root, { ignoreInitial: true, depth, persistent: true });
  let generation = 0;
  const onEvent = (path: string): void => {
    if (dirname(resolve(path)) !== dir || !files.has(basename(path))) return;
    generation += 1;
    const mine = generation;
    void options.clock.sleep(options.settleMs ?? 300, signal).then(() => {
      if (mine !== generation || signal.aborted) return;
      options.logger.info({ dir, file: basename(path) }, 'FRR (re)started: re-applying the desired config');
      options.onRestart();
    });
  };
  watcher.on('add', onEvent).on('change', onEvent);
  watcher.on('error', (error) => options.logger.warn({ dir, error: String(error) }, 'FRR runtime directory watch failed'));
  const ready = new Promise<void>((done) => watcher.once('ready', () => done()));
  const closed = new Promise<void>((done) => {
    const close = (): void => void watcher.close().then(done, done);
    if (signal.aborted) close();
    else signal.addEventListener('abort', close, { once: true });
  });
  return { ready, closed };
}
