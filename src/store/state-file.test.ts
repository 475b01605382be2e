// Reading the state file again and again (the speaker): the same state while the file is the same.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceKey } from '../api/model.ts';
import type { IP } from '../net/ip.ts';
import { StateCache, StateEncoder, readState, writeState } from './state-file.ts';

const plan = { services: [], pools: [] };
const allocations = (n: number) => new Map(Array.from({ length: n }, (_, i) => [`default/s${i}` as ServiceKey, { ips: [`192.0.2.${i + 1}` as IP], pool: 'p' }]));

describe('StateCache', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'barelb-state-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a missing file as the empty state', async () => {
    const state = await new StateCache().read(dir);
    expect(state.allocations.size).to.equal(0);
  });

  it('gives the same state while the file holds the same text, and the same allocation for an unchanged entry', async () => {
    const encoder = new StateEncoder();
    const cache = new StateCache();
    await writeState(dir, encoder.encode(plan, allocations(3)));
    const first = await cache.read(dir);
    expect(await cache.read(dir)).to.equal(first);
    await writeState(dir, encoder.encode(plan, allocations(4)));
    const second = await cache.read(dir);
    expect(second).to.not.equal(first);
    expect(second.allocations.get('default/s0' as ServiceKey)).to.equal(first.allocations.get('default/s0' as ServiceKey));
    expect([...second.allocations]).to.deep.equal([...(await readState(dir)).allocations]);
  });

  it('reads another layout as JSON, and reports a corrupt file', async () => {
    const cache = new StateCache();
    await writeState(dir, `${JSON.stringify({ version: 1, services: { 'default/a': { ips: ['192.0.2.9'], pool: 'p' } } }, null, 2)}\n`);
    expect([...(await cache.read(dir)).allocations.keys()]).to.deep.equal(['default/a']);
    await writeState(dir, '{"version": 1, "services": ');
    await expectReject(cache.read(dir), /JSON/);
  });
});

async function expectReject(p: Promise<unknown>, message: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(String(e)).to.match(message);
    return;
  }
  expect.fail('no error');
}
