// The operator docs keep up with the code: every reason code the allocator can give is explained.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { pendingReasons } from '../ipam/reasons.ts';

describe('docs/reason-codes.md', () => {
  const doc = readFileSync(new URL('../../docs/reason-codes.md', import.meta.url), 'utf8');
  const headings = [...doc.matchAll(/^## (.+)$/gm)].map((m) => m[1]);

  it('has a section for every pending reason, in the order of the code', () => {
    expect(headings).to.deep.equal([...pendingReasons]);
  });
});
