import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { watchFrrRestarts } from './frr-watch.ts';
import { silentLogger, systemClock } from './hooks.ts';

describe('watchFrrRestarts', () => {
  it('reports once when a pathspace directory comes back with a new bgpd pid file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'barelb-watch-'));
    const abort = new AbortController();
    let restarts = 0;
    try {
      const dir = join(root, 'node1');
      const watch = watchFrrRestarts({ dir, watchRoot: root, settleMs: 50, clock: systemClock, logger: silentLogger, onRestart: () => void (restarts += 1) }, abort.signal);
      await watch.ready;
      mkdirSync(dir);
      writeFileSync(join(dir, 'zebra.pid'), '1\n');
      writeFileSync(join(dir, 'bgpd.pid'), '2\n');
      writeFileSync(join(dir, 'bgpd.vty'), '');
      writeFileSync(join(root, 'bgpd.pid'), 'another instance\n');
      const deadline = Date.now() + 5_000;
      while (restarts === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(restarts).to.equal(1);
      abort.abort();
      await watch.closed;
    } finally {
      abort.abort();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
