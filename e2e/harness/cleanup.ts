// Owns the run's resource registry: every namespace, process and file the harness makes is
// tracked here, released by its owner, and force-removed at process exit if the owner never got
// to it. Also sweeps what a killed earlier run left behind, and offers a LIFO teardown stack.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { constants } from 'node:os';
import { isAlive, removeNamespaceSync } from '../../src/lab/tracker.ts';

// Moved to src/lab/tracker.ts (the lab uses them too).
export { isAlive, removeNamespaceSync };

/** Every name this run creates starts with this (`blb-<pid>-`), so leftovers are attributable. */
export const RUN_PREFIX = `blb-${process.pid}-`;
const STALE_NAME = /^blb-(\d+)-/;

const namespaces = new Set<string>();
const pids = new Set<number>();
const paths = new Set<string>();

export const tracked = {
  addNamespace: (name: string): void => void namespaces.add(name),
  dropNamespace: (name: string): void => void namespaces.delete(name),
  addPid: (pid: number): void => void pids.add(pid),
  dropPid: (pid: number): void => void pids.delete(pid),
  addPath: (path: string): void => void paths.add(path),
  dropPath: (path: string): void => void paths.delete(path),
  /** What is still registered: empty after a clean teardown. */
  snapshot: (): { namespaces: string[]; pids: number[]; paths: string[] } => ({
    namespaces: [...namespaces],
    pids: [...pids],
    paths: [...paths],
  }),
};

let counter = 0;

/** A fresh `blb-<pid>-<n>-<label>` name: valid as a netns name and as an FRR pathspace. */
export function uniqueName(label: string): string {
  if (!/^[a-z0-9]{1,12}$/.test(label)) throw new Error(`name label must be [a-z0-9]{1,12}: '${label}'`);
  counter += 1;
  return `${RUN_PREFIX}${counter}-${label}`;
}

function ignoreErrors(step: () => void): void {
  try {
    step();
  } catch {
    // Best effort: this runs while the process is exiting, and each step is independent.
  }
}

/** Removes everything still registered. Synchronous so that it can run in an 'exit' handler. */
export function forceCleanupSync(): void {
  for (const pid of pids) ignoreErrors(() => process.kill(pid, 'SIGKILL'));
  pids.clear();
  for (const name of namespaces) removeNamespaceSync(name);
  namespaces.clear();
  for (const path of paths) ignoreErrors(() => rmSync(path, { recursive: true, force: true }));
  paths.clear();
}

let installed = false;

/** Installs the last-resort handlers once: on exit, and on SIGINT/SIGTERM/SIGHUP. */
export function installExitHandlers(): void {
  if (installed) return;
  installed = true;
  process.once('exit', forceCleanupSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      forceCleanupSync();
      process.exit(128 + constants.signals[signal]);
    });
  }
}

/** Namespaces (`ip netns list`) whose name says they belong to a run that no longer exists. */
export function staleNamespaces(): string[] {
  const out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8', timeout: 5_000 });
  return out
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => isStaleName(name));
}

/** True for `blb-<pid>-…` when that pid is gone (a run killed before its exit handler ran). */
export function isStaleName(name: string): boolean {
  const match = STALE_NAME.exec(name);
  return match?.[1] !== undefined && Number(match[1]) !== process.pid && !isAlive(Number(match[1]));
}

/**
 * Runs teardown steps in reverse order of registration. Every step runs even when an earlier
 * one throws; the first error is rethrown at the end so a broken teardown fails the suite.
 */
export class Teardown {
  readonly #steps: (() => Promise<void> | void)[] = [];

  defer(step: () => Promise<void> | void): void {
    this.#steps.push(step);
  }

  async run(): Promise<void> {
    const errors: unknown[] = [];
    for (let step = this.#steps.pop(); step !== undefined; step = this.#steps.pop()) {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}
