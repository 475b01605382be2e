import { expect } from 'chai';
import { keptList, none } from './kept-list.ts';

describe('keptList', () => {
  it('gives every empty list the one frozen empty array', () => {
    expect(keptList([])).to.equal(none);
    expect(keptList([1].filter(() => false))).to.equal(none);
    expect(Object.isFrozen(none)).to.equal(true);
  });

  it('copies a list with its items in order, leaving the original alone', () => {
    const items = [{ a: 1 }, { a: 2 }].filter(() => true);
    const kept = keptList(items);
    expect(kept).to.deep.equal(items);
    expect(kept).not.to.equal(items);
    expect(kept[0]).to.equal(items[0]);
  });
});
