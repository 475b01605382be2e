import { expect } from 'chai';
import { changedWindow } from './changed-window.ts';

describe('changedWindow', () => {
  it('skips the common head and tail, never counting an item twice', () => {
    expect(changedWindow(['a', 'b', 'c', 'd'], ['a', 'x', 'y', 'd'])).to.deep.equal({ start: 1, oldEnd: 3, newEnd: 3 });
    expect(changedWindow(['a', 'b'], ['a', 'b', 'b'])).to.deep.equal({ start: 2, oldEnd: 2, newEnd: 3 });
    expect(changedWindow(['a', 'a'], ['a'])).to.deep.equal({ start: 1, oldEnd: 2, newEnd: 1 });
    expect(changedWindow([], ['a'])).to.deep.equal({ start: 0, oldEnd: 0, newEnd: 1 });
    expect(changedWindow(['a'], ['a'])).to.deep.equal({ start: 1, oldEnd: 1, newEnd: 1 });
  });
});
