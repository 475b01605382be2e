// Trials are independent only if the previous one is over everywhere: the speaker's read-back of
// FRR's running config, frr-reload.py's second pass and `write`, bgpd's own work. Rather than guess
// a delay, wait until the lab's own processes (barelb, and everything inside the lab's namespaces)
// are nearly idle, from /proc/PID/stat; bounded. Other work on the machine is not waited for (the
// results file records the load average instead).

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** utime + stime of a process in clock ticks (0 when it is gone). */
function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** PIDs inside a network namespace (FRR daemons, vtysh and frr-reload.py runs). */
export function namespacePids(name: string): number[] {
  try {
    return execFileSync('ip', ['netns', 'pids', name], { encoding: 'utf8', timeout: 5_000 }).split('\n').filter((l) => /^\d+$/.test(l)).map(Number);
  } catch {
    return [];
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves once the processes from `pids()` used at most `maxTicks` clock ticks (1/100 s) in each
 * of `windows` consecutive windows of `windowMs`, or after `timeoutMs` (false then).
 */
export async function waitForQuiet(pids: () => readonly number[], o: { maxTicks?: number; windowMs?: number; windows?: number; timeoutMs?: number } = {}): Promise<boolean> {
  const maxTicks = o.maxTicks ?? 2;
  const windowMs = o.windowMs ?? 200;
  const need = o.windows ?? 2;
  const deadline = Date.now() + (o.timeoutMs ?? 20_000);
  let calm = 0;
  const ticks = (list: readonly number[]): Map<number, number> => new Map(list.map((p) => [p, cpuTicks(p)]));
  let before = ticks(pids());
  while (Date.now() < deadline) {
    await sleep(windowMs);
    const now = ticks(pids());
    let used = 0;
    // A process that appeared during the window counts with all its ticks (it ran in it).
    for (const [pid, t] of now) used += t - (before.get(pid) ?? 0);
    before = now;
    calm = used <= maxTicks ? calm + 1 : 0;
    if (calm >= need) return true;
  }
  return false;
}

/** Load average over 1, 5 and 15 minutes (for the results file: was the machine busy?). */
export const loadAverage = (): number[] => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
