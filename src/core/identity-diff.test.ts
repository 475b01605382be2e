// identityDiff: never misses a changed item, and reports exactly the edits of a few.

import { expect } from 'chai';
import fc from 'fast-check';
import { identityDiff } from './identity-diff.ts';

const items = Array.from({ length: 200 }, (_, i) => ({ i }));

describe('identityDiff', () => {
  it('reports one insertion, removal or replacement exactly', () => {
    const before = items.slice(0, 10);
    expect(identityDiff(before, [...before.slice(0, 4), items[50], ...before.slice(4)])).to.deep.equal({ removed: [], added: [items[50]] });
    expect(identityDiff(before, [...before.slice(0, 4), ...before.slice(5)])).to.deep.equal({ removed: [items[4]], added: [] });
    expect(identityDiff(before, [...before.slice(0, 4), items[50], ...before.slice(5)])).to.deep.equal({ removed: [items[4]], added: [items[50]] });
  });

  it('never misses an item that is only in one of the lists', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(199)), fc.uniqueArray(fc.nat(199)), (a, b) => {
        const before = a.map((i) => items[i]);
        const after = b.map((i) => items[i]);
        const { removed, added } = identityDiff(before, after);
        for (const x of before) if (!after.includes(x)) expect(removed).to.include(x);
        for (const x of after) if (!before.includes(x)) expect(added).to.include(x);
      }),
      { numRuns: 500 },
    );
  });
});
