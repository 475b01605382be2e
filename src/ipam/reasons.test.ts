import { expect } from 'chai';
import { pendingReasons, reasonDocs } from './reasons.ts';

describe('pending reasons', () => {
  for (const reason of pendingReasons) {
    it(`documents ${reason} in one sentence on one line`, () => {
      expect(reasonDocs[reason]).to.match(/^[A-Z][^\n]+\.$/);
    });
  }

  it('documents no reason that is not in the list', () => {
    expect(Object.keys(reasonDocs).sort()).to.deep.equal([...pendingReasons].sort());
  });
});
