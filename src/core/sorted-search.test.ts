import { expect } from 'chai';
import { sortedSearch } from './sorted-search.ts';

describe('sortedSearch', () => {
  it('finds an item, or the place it goes', () => {
    const list = [2, 4, 6, 8];
    const find = (n: number) => sortedSearch(list, (x) => x - n);
    expect(find(6)).to.deep.equal({ at: 2, found: true });
    expect(find(5)).to.deep.equal({ at: 2, found: false });
    expect(find(1)).to.deep.equal({ at: 0, found: false });
    expect(find(9)).to.deep.equal({ at: 4, found: false });
    expect(sortedSearch([], () => 0)).to.deep.equal({ at: 0, found: false });
  });
});
