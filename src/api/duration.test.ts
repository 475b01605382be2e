import { expect } from 'chai';
import fc from 'fast-check';
import { formatDuration, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  const rows: ReadonlyArray<readonly [string, number | null]> = [
    ['90s', 90_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['1h2m3s', 3_723_000],
    ['0', 0],
    ['0s', 0],
    ['-3s', -3000],
    ['+3s', 3000],
    ['1500us', 1.5],
    ['2µs', 0.002],
    ['.5s', 500],
    ['', null],
    ['90', null],
    ['s', null],
    ['1d', null],
    ['1 s', null],
    ['1constructor', null],
    ['.s', null],
  ];
  for (const [text, want] of rows) {
    it(`${want === null ? 'rejects' : 'parses'} ${JSON.stringify(text)}`, () => {
      const got = parseDuration(text);
      if (want === null) expect(got.ok).to.equal(false);
      else expect(got).to.deep.equal({ ok: true, value: want });
    });
  }

  it('reads back what formatDuration writes for whole milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (ms) => {
        const got = parseDuration(formatDuration(ms));
        return got.ok && Math.abs(got.value - ms) < 1e-6;
      }),
    );
  });
});
