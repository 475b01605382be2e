// Mocha root hooks for e2e: fail loudly unless running as root with the FRR chroot in place (built
// on the first run), sweep what killed earlier runs left, and fail if this run left anything.
import { readdirSync, rmSync } from 'node:fs';
import {
  forceCleanupSync,
  installExitHandlers,
  isAlive,
  isStaleName,
  removeNamespaceSync,
  staleNamespaces,
  tracked,
} from './cleanup.ts';
import { ensureFrrRoot, inRoot } from './frr-root.ts';
import { waitFor } from './wait.ts';

/** Removes namespaces and chroot files named `blb-<pid>-…` whose run is dead. */
async function sweepStaleRuns(): Promise<void> {
  const killed: number[] = [];
  for (const name of staleNamespaces()) {
    console.error(`[e2e] removing namespace ${name} left by a dead run`);
    killed.push(...removeNamespaceSync(name));
  }
  // Orphaned daemons are reaped by init shortly after SIGKILL; their crash-log dirs go below.
  await waitFor(() => killed.every((pid) => !isAlive(pid)), 5_000, { what: `killed PIDs ${killed.join(' ')} to exit` });
  for (const dir of ['/etc/frr', '/run/frr', '/tmp']) {
    for (const entry of readdirOrEmpty(inRoot(dir))) {
      if (isStaleName(entry)) rmSync(inRoot(`${dir}/${entry}`), { recursive: true, force: true });
    }
  }
  // Crash-log directories are named DAEMON.PID.
  for (const entry of readdirOrEmpty(inRoot('/var/tmp/frr'))) {
    const pid = Number(/\.(\d+)$/.exec(entry)?.[1]);
    if (pid > 0 && !isAlive(pid)) rmSync(inRoot(`/var/tmp/frr/${entry}`), { recursive: true, force: true });
  }
}

function readdirOrEmpty(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(16 * 60_000);
    installExitHandlers();
    await ensureFrrRoot();
    await sweepStaleRuns();
  },

  afterAll(): void {
    const left = tracked.snapshot();
    forceCleanupSync();
    const count = left.namespaces.length + left.pids.length + left.paths.length;
    if (count > 0) {
      throw new Error(`e2e teardown left resources behind (now force-removed): ${JSON.stringify(left)}`);
    }
  },
};
