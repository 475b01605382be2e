import { expect } from 'chai';
import { parseCommunity } from './community.ts';
import { aCommunity, itReportsEach, parseClean, ref } from './test-builders.ts';

describe('parseCommunity', () => {
  const rows = [
    { text: '65000:100', want: { ok: true, value: { kind: 'standard', high: 65000, low: 100 } } },
    { text: '0:0', want: { ok: true, value: { kind: 'standard', high: 0, low: 0 } } },
    { text: 'large:4294967295:0:7', want: { ok: true, value: { kind: 'large', a: 4294967295, b: 0, c: 7 } } },
    { text: 'no-export', want: { ok: false, error: { reason: 'format', message: '"no-export" is not a community (use "A:B" or "large:A:B:C")' } } },
    { text: '1:2:3', want: { ok: false, error: { reason: 'format', message: '"1:2:3" is not a community (use "A:B" or "large:A:B:C")' } } },
    { text: '65536:0', want: { ok: false, error: { reason: 'range', message: '"65536:0": "65536" must be a number 0..65535' } } },
    { text: '-1:0', want: { ok: false, error: { reason: 'range', message: '"-1:0": "-1" must be a number 0..65535' } } },
    { text: 'large:1:2:4294967296', want: { ok: false, error: { reason: 'range', message: '"1:2:4294967296": "4294967296" must be a number 0..4294967295' } } },
  ];
  for (const row of rows) {
    it(`${row.want.ok ? 'parses' : 'rejects'} ${JSON.stringify(row.text)}`, () => {
      expect(parseCommunity(row.text)).to.deep.equal(row.want);
    });
  }
});

describe('Community validation', () => {
  const obj = ref('Community', 'communities');
  itReportsEach([
    { name: 'rejects a bad community value', objects: [aCommunity({ spec: { communities: [{ name: 'x', value: '1:99999' }] } })], object: obj, field: 'spec.communities[0].value', message: 'must be a number 0..65535' },
    { name: 'rejects an alias value that is not a community', objects: [aCommunity({ spec: { communities: [{ name: 'x', value: 'other-alias' }] } })], object: obj, field: 'spec.communities[0].value', message: 'is not a community' },
    { name: 'rejects an alias without a value', objects: [aCommunity({ spec: { communities: [{ name: 'x' }] } })], object: obj, field: 'spec.communities[0].value', message: 'is required' },
    { name: 'rejects an alias name with a newline', objects: [aCommunity({ spec: { communities: [{ name: 'x\ny', value: '1:1' }] } })], object: obj, field: 'spec.communities[0].name', message: 'control characters' },
    { name: 'rejects an alias name with a space', objects: [aCommunity({ spec: { communities: [{ name: 'no export', value: '1:1' }] } })], object: obj, field: 'spec.communities[0].name', message: 'whitespace' },
    {
      name: 'rejects an alias defined in two Community objects',
      objects: [aCommunity(), aCommunity({ name: 'more', spec: { communities: [{ name: 'no-export', value: '1:1' }] } })],
      object: ref('Community', 'more'),
      field: 'spec.communities[0].name',
      message: 'duplicate definition of community "no-export" (already defined in Community/barelb-system/communities)',
    },
  ]);

  it('collects aliases of all Community objects into one map', () => {
    const { config } = parseClean([aCommunity(), aCommunity({ name: 'more', spec: { communities: [{ name: 'big', value: 'large:1:2:3' }] } })]);
    expect([...config.communities]).to.deep.equal([
      ['no-export', { kind: 'standard', high: 65535, low: 65281 }],
      ['big', { kind: 'large', a: 1, b: 2, c: 3 }],
    ]);
  });
});
