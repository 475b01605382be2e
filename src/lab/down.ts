// Removes a lab: every recorded process (by PID and start time), every namespace named blab-*
// (with whatever runs inside), the FRR chroot entries of the lab's pathspaces, and the lab
// directory. Works from the record alone or, without one (a crash before it was written), from
// the name prefix. Synchronous, so it can also run in an exit handler after an interrupt.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { frrRoot } from './frr-root.ts';
import { LabRecord, isRunning } from './record.ts';
import { isLabName, type LabPaths } from './topology.ts';
import { removeNamespaceSync } from './tracker.ts';
import { waitFor } from './wait.ts';

export type DownReport = {
  readonly namespaces: readonly string[];
  /** PIDs signalled: recorded processes and whatever still ran inside the namespaces. */
  readonly pids: readonly number[];
  readonly paths: readonly string[];
};

/** The namespaces that exist and carry the lab's prefix. */
export function labNamespaces(): string[] {
  const out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8', timeout: 5_000 });
  return out.split('\n').map((line) => line.split(' ')[0] ?? '').filter(isLabName).sort();
}

function loadRecord(paths: LabPaths): LabRecord | null {
  try {
    return LabRecord.load(paths.record);
  } catch {
    return null;
  }
}

/** Chroot entries named for the lab (config, runtime and scratch directories of its pathspaces). */
function chrootEntries(root: string): string[] {
  return ['/etc/frr', '/run/frr', '/tmp'].flatMap((dir) => {
    try {
      return readdirSync(join(root, dir)).filter(isLabName).map((entry) => join(root, dir, entry));
    } catch {
      return [];
    }
  });
}

/** Kills, deletes and removes everything of the lab at `paths`; idempotent. */
export function removeLabSync(paths: LabPaths): DownReport {
  const record = loadRecord(paths);
  const root = record?.frrRoot ?? frrRoot();
  const pids: number[] = [];
  for (const p of record?.processes ?? []) {
    if (!isRunning(p)) continue;
    try {
      process.kill(p.pid, 'SIGKILL');
      pids.push(p.pid);
    } catch {
      // Gone meanwhile.
    }
  }
  const namespaces = labNamespaces();
  for (const name of namespaces) pids.push(...removeNamespaceSync(name));
  // Only files inside the FRR chroot or the lab directory are ever removed.
  const inside = (path: string): boolean => path.startsWith(`${root}/`) || path.startsWith(`${paths.dir}/`);
  const removed = [...new Set([...(record?.paths ?? []).filter(inside), ...chrootEntries(root)])].filter((path) => existsSync(path));
  for (const path of removed) rmSync(path, { recursive: true, force: true });
  if (existsSync(paths.record) || isEmptyDir(paths.dir)) {
    rmSync(paths.dir, { recursive: true, force: true });
    removed.push(paths.dir);
  }
  return { namespaces, pids: [...new Set(pids)], paths: removed };
}

function isEmptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

/** removeLabSync, then waits (bounded) until every signalled process has exited. */
export async function removeLab(paths: LabPaths): Promise<DownReport> {
  const report = removeLabSync(paths);
  // Reaped by init (or, for this process's own children, by Node) a moment after SIGKILL.
  await waitFor(() => report.pids.every((pid) => !isRunning({ pid, start: null, label: '' })), 10_000, { what: `processes ${report.pids.join(' ')} to exit`, intervalMs: 50 });
  return report;
}

export const describeDown = (r: DownReport): string =>
  r.namespaces.length + r.pids.length + r.paths.length === 0
    ? 'nothing to remove'
    : `${r.namespaces.length} namespaces, ${r.pids.length} processes and ${r.paths.length} files or directories removed`;
