import { expect } from 'chai';
import { sameItems } from './same-items.ts';

describe('sameItems', () => {
  it('compares lists item by item by identity, absent lists only with absent ones', () => {
    const a = { n: 1 };
    const b = { n: 2 };
    expect(sameItems([a, b], [a, b])).to.equal(true);
    expect(sameItems([a, b], [a, { n: 2 }]), 'equal content, other object').to.equal(false);
    expect(sameItems([a, b], [b, a])).to.equal(false);
    expect(sameItems([a], [a, b])).to.equal(false);
    expect(sameItems(undefined, undefined)).to.equal(true);
    expect(sameItems(undefined, [])).to.equal(false);
    expect(sameItems([], [])).to.equal(true);
  });
});
