import { expect } from 'chai';
import { closeMatches, editDistance } from './close-matches.ts';

describe('closeMatches', () => {
  const keys = ['demo/web', 'demo/api', 'prod/web', 'shop/website', 'team-a/cart'];

  it('counts insertions, deletions, substitutions and adjacent swaps', () => {
    expect([editDistance('web', 'wbe'), editDistance('', 'abc'), editDistance('kitten', 'sitting'), editDistance('wbe', 'late')]).to.deep.equal([1, 3, 3, 3]);
  });

  it('offers the same name in other namespaces first, then near misspellings', () => {
    expect(closeMatches('stage/web', keys)).to.deep.equal(['demo/web', 'prod/web']);
    expect(closeMatches('demo/wbe', keys)).to.deep.equal(['demo/web']);
    expect(closeMatches('team-a/crat', keys)).to.deep.equal(['team-a/cart']);
    expect(closeMatches('dmeo/api', keys)).to.deep.equal(['demo/api']);
  });

  it('offers nothing when nothing is close', () => {
    expect(closeMatches('x/database', keys)).to.deep.equal([]);
    expect(closeMatches('demo/wbe', ['demo/web', 'demo/late'])).to.deep.equal(['demo/web']);
  });
});
