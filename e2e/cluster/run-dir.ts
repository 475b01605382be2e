// The per-run directory of one control plane (certificates, tokens, etcd data, logs, PID files):
// `<tmpdir>/blb-<pid>-k8s-XXXXXX`, registered for removal at exit. Also sweeps directories, and
// kills daemons, that a killed earlier run left behind.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, isStaleName, RUN_PREFIX, tracked } from '../harness/cleanup.ts';

const DIR_PATTERN = /^blb-\d+-k8s-/;

export function createRunDir(): string {
  const dir = mkdtempSync(join(tmpdir(), `${RUN_PREFIX}k8s-`));
  tracked.addPath(dir);
  return dir;
}

export function removeRunDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tracked.dropPath(dir);
}

/**
 * For every run directory whose owning test process is gone: SIGKILLs each daemon named in its
 * `*.pid` files (only if that PID's command line still mentions the directory, so a recycled PID
 * is never hit), then removes the directory. Returns the PIDs it killed.
 */
export function sweepStaleRunDirs(): number[] {
  const killed: number[] = [];
  for (const entry of readdirSync(tmpdir())) {
    if (!DIR_PATTERN.test(entry) || !isStaleName(entry)) continue;
    const dir = join(tmpdir(), entry);
    const here: number[] = [];
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.pid'))) {
      const pid = Number(readFileSync(join(dir, file), 'utf8').trim());
      if (pid > 0 && isAlive(pid) && commandLine(pid).includes(dir)) {
        process.kill(pid, 'SIGKILL');
        here.push(pid);
      }
    }
    console.error(`[k8s] removing ${dir} left by a dead run${here.length > 0 ? `; killed ${here.join(' ')}` : ''}`);
    killed.push(...here);
    rmSync(dir, { recursive: true, force: true });
  }
  return killed;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}
