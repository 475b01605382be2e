// Where created namespaces, processes and files are recorded so that whoever cleans up finds them
// (the e2e run's registry, or the lab's record file), and the synchronous primitives both use to
// remove what they recorded: liveness by PID, and a namespace deleted with what runs inside it.
import { execFileSync } from 'node:child_process';

export interface Tracker {
  addNamespace(name: string): void;
  dropNamespace(name: string): void;
  addPid(pid: number): void;
  dropPid(pid: number): void;
  addPath(path: string): void;
  dropPath(path: string): void;
}

/** Records nothing: for callers that clean up by other means. */
export const untracked: Tracker = {
  addNamespace: () => undefined,
  dropNamespace: () => undefined,
  addPid: () => undefined,
  dropPid: () => undefined,
  addPath: () => undefined,
  dropPath: () => undefined,
};

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ignoreErrors(step: () => void): void {
  try {
    step();
  } catch {
    // Best effort: this also runs while the process is exiting, and each step is independent.
  }
}

/** The PIDs whose network namespace is `name` (`ip netns pids`). */
export function pidsInNamespace(name: string): number[] {
  const out = execFileSync('ip', ['netns', 'pids', name], { encoding: 'utf8', timeout: 5_000 });
  return out.split('\n').filter((line) => /^\d+$/.test(line)).map(Number);
}

/**
 * Kills what lives in the namespace (only ever one of ours), then deletes it. Synchronous.
 * Returns the PIDs it killed: they may linger for a moment until reaped.
 */
export function removeNamespaceSync(name: string): number[] {
  const killed: number[] = [];
  ignoreErrors(() => {
    for (const pid of pidsInNamespace(name)) {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    }
  });
  ignoreErrors(() => execFileSync('ip', ['netns', 'delete', name], { stdio: 'ignore', timeout: 5_000 }));
  return killed;
}
