// File stamps: a stamp is trusted only once the file's times are well in the past.

import { expect } from 'chai';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SETTLE_NS, stampFileSync, stillValid } from './file-stamp.ts';

describe('file stamps', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'barelb-stamp-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('trusts an unchanged stamp only when it was settled', () => {
    const file = join(dir, 'a.yaml');
    writeFileSync(file, 'a');
    const changed = statSync(file, { bigint: true }).ctimeNs;
    const fresh = stampFileSync(file, changed + 1n);
    const settled = stampFileSync(file, changed + SETTLE_NS);
    expect(fresh.settled).to.equal(false);
    expect(settled.settled).to.equal(true);
    expect(stillValid(fresh, stampFileSync(file, changed + SETTLE_NS))).to.equal(false);
    expect(stillValid(settled, stampFileSync(file, changed + SETTLE_NS))).to.equal(true);
    expect(stillValid(null, settled)).to.equal(false);
  });

  it('changes with any write, even one that keeps the size', () => {
    const file = join(dir, 'a.yaml');
    writeFileSync(file, 'a');
    const far = statSync(file, { bigint: true }).ctimeNs + SETTLE_NS;
    const before = stampFileSync(file, far);
    writeFileSync(file, 'b');
    expect(stillValid(before, stampFileSync(file, far))).to.equal(false);
  });
});
