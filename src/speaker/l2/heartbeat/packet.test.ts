import { expect } from 'chai';
import fc from 'fast-check';
import { err, ok } from '../../../core/result.ts';
import { decodeHeartbeat, encodeHeartbeat, type Heartbeat } from './packet.ts';

const key = new TextEncoder().encode('0123456789abcdef0123456789abcdef');
const beat: Heartbeat = { node: 'node-a', incarnation: 0xfedcba9876543210n, seq: 7n, sentAt: 1_700_000_000_123 };

describe('Heartbeat packet', () => {
  it('decodes what it encodes under the same key', () => {
    expect(decodeHeartbeat(encodeHeartbeat(beat, key), key)).to.deep.equal(ok(beat));
  });

  it('rejects a packet made with another key as bad-mac', () => {
    const other = new TextEncoder().encode('another key, also 32 bytes long!');
    expect(decodeHeartbeat(encodeHeartbeat(beat, other), key)).to.deep.equal(err('bad-mac'));
  });

  it('rejects a packet with any single byte changed after the header', () => {
    const good = encodeHeartbeat(beat, key);
    for (let i = 6; i < good.length; i++) {
      const bad = good.slice();
      bad[i] = (bad[i] ?? 0) ^ 0x01;
      expect(decodeHeartbeat(bad, key), `byte ${i}`).to.deep.equal(err('bad-mac'));
    }
  });

  const framing = (edit: (p: Uint8Array) => Uint8Array) => edit(encodeHeartbeat(beat, key).slice());
  const rows = [
    { name: 'a truncated packet', bytes: framing((p) => p.subarray(0, 40)), want: 'too-short' },
    { name: 'a packet without the magic', bytes: framing((p) => { p[0] = 0; return p; }), want: 'bad-magic' },
    { name: 'a packet of version 2', bytes: framing((p) => { p[4] = 2; return p; }), want: 'unsupported-version' },
    { name: 'a packet whose name length disagrees with its size', bytes: framing((p) => { p[5] = 9; return p; }), want: 'bad-length' },
    { name: 'a packet with a byte appended', bytes: framing((p) => Uint8Array.from([...p, 0])), want: 'bad-length' },
  ] as const;
  for (const row of rows) {
    it(`rejects ${row.name} as ${row.want}`, () => {
      expect(decodeHeartbeat(row.bytes, key)).to.deep.equal(err(row.want));
    });
  }

  it('never throws and never accepts random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        expect(decodeHeartbeat(bytes, key).ok).to.equal(false);
      }),
      { numRuns: 5000 },
    );
  });
});
