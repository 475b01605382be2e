// The local directory watcher: what starts a reload.

import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchLocalDir } from './local-source.ts';
import { writeState } from './state-file.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds; bounded, so a broken watcher fails instead of hanging. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('watchLocalDir', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'barelb-watch-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reloads on state file writes only while useState says so, and on manifest writes always', async () => {
    const stop = new AbortController();
    let loads = 0;
    let watchState = true;
    const done = watchLocalDir(dir, { signal: stop.signal, onError: (e) => { throw e; }, useState: () => watchState, onSnapshot: () => void (loads += 1) });
    try {
      await until(() => loads === 1, 'the initial load');
      await writeState(dir, '{"version":1}\n');
      await until(() => loads >= 2, 'a reload after the state write');
      await sleep(200);
      const before = loads;
      watchState = false;
      await writeState(dir, '{"version":1,"services":{}}\n');
      await sleep(300);
      expect(loads, 'no reload after the state write').to.equal(before);
      writeFileSync(join(dir, 'svc.yaml'), 'kind: Service\n');
      await until(() => loads > before, 'a reload after a manifest write');
    } finally {
      stop.abort();
      await done;
    }
  });

  it('hands on no state when useState says so (the caller holds the allocations)', async () => {
    await writeState(dir, '{"version":1}\n');
    const stop = new AbortController();
    const seen: (object | null)[] = [];
    const done = watchLocalDir(dir, { signal: stop.signal, onError: (e) => { throw e; }, useState: () => false, onSnapshot: (s) => void seen.push(s.state) });
    try {
      await until(() => seen.length === 1, 'the initial load');
      expect(seen).to.deep.equal([null]);
    } finally {
      stop.abort();
      await done;
    }
  });
});
