import { expect } from 'chai';
import fc from 'fast-check';
import { CidrSpace, MinHeap, cidrCapacity } from './free-space.ts';
import { cidr } from './testing.ts';

describe('cidrCapacity', () => {
  const rows: ReadonlyArray<readonly [string, boolean, bigint]> = [
    ['192.0.2.0/24', false, 256n],
    ['192.0.2.0/24', true, 254n],
    ['192.0.0.0/16', true, 65536n - 512n],
    ['192.0.2.128/25', true, 127n],
    ['192.0.2.4/30', true, 4n],
    ['192.0.2.254/31', true, 1n],
    ['192.0.2.0/32', true, 0n],
    ['192.0.2.255/32', true, 0n],
    ['2001:db8::/64', true, 1n << 64n],
  ];
  for (const [text, avoid, want] of rows) {
    it(`counts ${want} usable addresses in ${text}${avoid ? ' avoiding buggy IPs' : ''}`, () => {
      expect(cidrCapacity(cidr(text), avoid)).to.equal(want);
    });
  }
});

describe('MinHeap', () => {
  it('pops values in ascending order', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 1000n })), (values) => {
        const heap = new MinHeap();
        for (const v of values) heap.push(v);
        const out: bigint[] = [];
        for (let v = heap.pop(); v !== undefined; v = heap.pop()) out.push(v);
        expect(out).to.deep.equal([...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      }),
    );
  });
});

describe('CidrSpace', () => {
  it('hands out addresses lowest first and reuses the lowest released one', () => {
    const space = new CidrSpace(cidr('192.0.2.0/30'), false);
    for (const v of [0n, 1n, 2n]) space.take(space.base + v);
    space.free(space.base + 1n);
    space.free(space.base);
    expect(space.lowestFree()).to.equal(space.base);
  });

  it('steps over addresses claimed explicitly above the lowest free one', () => {
    const space = new CidrSpace(cidr('192.0.2.0/30'), false);
    space.take(space.base + 1n);
    space.take(space.base);
    expect(space.lowestFree()).to.equal(space.base + 2n);
  });

  it('skips .0 and .255 without enumerating when avoiding buggy IPs', () => {
    const space = new CidrSpace(cidr('192.0.2.254/31'), true);
    space.take(space.base);
    expect(space.lowestFree()).to.equal(null);
    expect(space.allows(space.base + 1n)).to.equal(false);
  });

  it('finds the lowest free address of an IPv6 /48 without enumerating it', () => {
    const space = new CidrSpace(cidr('2001:db8::/48'), false);
    space.take(space.last);
    expect(space.lowestFree()).to.equal(space.base);
  });

  it('agrees with a naive scan under any sequence of takes and frees', () => {
    const op = fc.record({ take: fc.boolean(), offset: fc.integer({ min: 0, max: 15 }), lowest: fc.boolean() });
    fc.assert(
      fc.property(fc.boolean(), fc.array(op, { maxLength: 60 }), (avoid, ops) => {
        const c = cidr('192.0.2.248/28'); // crosses 192.0.2.255 / 192.0.3.0
        const space = new CidrSpace(c, avoid);
        const used = new Set<bigint>();
        for (const o of ops) {
          const value = c.base + BigInt(o.offset);
          // Mirror the allocator: take either the lowest free address or an explicit allowed one.
          const target = o.lowest ? space.lowestFree() : value;
          if (o.take && target !== null && space.allows(target) && !used.has(target)) { space.take(target); used.add(target); }
          if (!o.take) { space.free(value); used.delete(value); }
          let naive: bigint | null = null;
          for (let v = c.base; v < c.base + 16n && naive === null; v++) if (space.allows(v) && !used.has(v)) naive = v;
          expect(space.lowestFree()).to.equal(naive);
          expect(space.usedCount).to.equal(used.size);
        }
      }),
    );
  });
});
