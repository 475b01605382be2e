// Offline validation of frr.conf text with the real FRR 10.x vtysh from the chroot: no daemon,
// no namespace. Golden files of the BGP renderer are checked with this.
import { rmSync, writeFileSync } from 'node:fs';
import { RUN_PREFIX, tracked } from './cleanup.ts';
import { frrRoot, inRoot } from './frr-root.ts';
import { run } from './run.ts';

export interface ConfigCheck {
  readonly ok: boolean;
  /** vtysh's stdout and stderr: `line N: % Unknown command…` and daemon explanations. */
  readonly output: string;
}

let checkCounter = 0;

/**
 * Checks frr.conf text with real FRR: `vtysh --dryrun -f` in the chroot parses every line with the
 * CLI grammar of all daemons (no daemon is contacted). Catches syntax and range errors; semantic
 * errors that only a daemon sees (e.g. options on a neighbor with no remote-as) pass: use
 * `FrrInstance.loadConfig` on a live instance for those.
 */
export async function checkConfig(text: string): Promise<ConfigCheck> {
  checkCounter += 1;
  const inside = `/tmp/${RUN_PREFIX}check-${checkCounter}.conf`;
  tracked.addPath(inRoot(inside));
  writeFileSync(inRoot(inside), text, { mode: 0o644 });
  try {
    const result = await run('chroot', [frrRoot(), '/usr/bin/vtysh', '--dryrun', '-f', inside], { timeoutMs: 30_000 });
    return { ok: result.exitCode === 0, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(inRoot(inside), { force: true });
    tracked.dropPath(inRoot(inside));
  }
}
