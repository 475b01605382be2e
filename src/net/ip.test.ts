import { expect } from 'chai';
import { isIP } from 'node:net';
import fc from 'fast-check';
import { bigIntToIP, compareIP, ipFamily, ipToBigInt, parseIP } from './ip.ts';
import { canonicalCidrText, cidrContains, makeCidr, maskIP, parseCidr, rangeToCidrs } from './cidr.ts';

describe('parseIP', () => {
  const rows: ReadonlyArray<readonly [string, string | null]> = [
    ['192.0.2.1', '192.0.2.1'],
    [' 192.0.2.1 ', '192.0.2.1'],
    ['192.0.2.01', null],
    ['192.0.2.256', null],
    ['192.0.2', null],
    ['2001:0DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8::', '2001:db8::'],
    ['::', '::'],
    ['::1', '::1'],
    ['2001:db8:1:1:1:1:1:0', '2001:db8:1:1:1:1:1:0'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
    ['fe80::1%eth0', null],
    ['1::2::3', null],
    ['1:2:3:4:5:6:7:8:9', null],
    ['1:2:3:4:5:6:7::8', null],
    ['', null],
    ['example.com', null],
  ];
  for (const [input, want] of rows) {
    it(`${want === null ? 'rejects' : 'canonicalises'} ${JSON.stringify(input)}`, () => {
      const got = parseIP(input);
      if (want === null) expect(got.ok).to.equal(false);
      else expect(got).to.deep.equal({ ok: true, value: want });
    });
  }

  it('round-trips every IPv6 value through canonical text', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (v) => {
        const ip = bigIntToIP(v, 'ipv6');
        const again = parseIP(ip);
        return again.ok && again.value === ip && (v >> 32n === 0xffffn || ipToBigInt(ip) === v);
      }),
    );
  });

  // Any spelling of any address: leading zeros, either case, "::" over any run of zero groups, a
  // dotted-quad tail. The WHATWG URL parser's IPv6 serialisation is RFC 5952's (hex for the last
  // 32 bits too), so it is the reference for everything but IPv4-mapped addresses.
  const spelling = fc
    .record({
      groups: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 }),
      pads: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }),
      upper: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      gapAt: fc.integer({ min: -1, max: 7 }),
      gapLen: fc.integer({ min: 1, max: 8 }),
      dotted: fc.boolean(),
    })
    .map(({ groups, pads, upper, gapAt, gapLen, dotted }) => {
      const hex = groups.map((g, i) => {
        const h = g.toString(16).padStart(Math.min(4, g.toString(16).length + (pads[i] ?? 0)), '0');
        return upper[i] === true ? h.toUpperCase() : h;
      });
      const words = dotted ? [...hex.slice(0, 6), `${(groups[6] ?? 0) >> 8}.${(groups[6] ?? 0) & 255}.${(groups[7] ?? 0) >> 8}.${(groups[7] ?? 0) & 255}`] : hex;
      const slots = dotted ? [...groups.slice(0, 6), -1] : groups;
      let text = words.join(':');
      // "::" over slots [gapAt, gapAt + len) when they are all zero groups.
      const len = Math.min(gapLen, slots.length - gapAt);
      if (gapAt >= 0 && len >= 1 && slots.slice(gapAt, gapAt + len).every((g) => g === 0)) text = `${words.slice(0, gapAt).join(':')}::${words.slice(gapAt + len).join(':')}`;
      return { groups, text };
    });

  it('reads every spelling of an IPv6 address as its RFC 5952 text', () => {
    fc.assert(
      fc.property(spelling, ({ groups, text }) => {
        const got = parseIP(text);
        const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
        const want = mapped ? [(groups[6] ?? 0) >> 8, (groups[6] ?? 0) & 255, (groups[7] ?? 0) >> 8, (groups[7] ?? 0) & 255].join('.') : new URL(`http://[${text}]/`).hostname.slice(1, -1);
        expect(got, text).to.deep.equal({ ok: true, value: want });
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts exactly what node:net accepts as an address (zones aside)', () => {
    const chars = fc.constantFrom(...'0123456789abcdefABCDEF:::::....g%'.split(''));
    const near = fc.oneof(fc.string({ unit: chars, maxLength: 24 }), spelling.map((s) => s.text), spelling.chain((s) => fc.integer({ min: 0, max: Math.max(0, s.text.length - 1) }).map((at) => s.text.slice(0, at) + s.text.slice(at + 1))));
    fc.assert(
      fc.property(near, (text) => {
        expect(parseIP(text).ok, JSON.stringify(text)).to.equal(isIP(text) !== 0 && !text.includes('%'));
      }),
      { numRuns: 3000 },
    );
  });

  it('orders addresses as their numbers', () => {
    const v6 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map((v) => bigIntToIP(v, 'ipv6')).filter((ip) => ipFamily(ip) === 'ipv6');
    const v4 = fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }).map((v) => bigIntToIP(v, 'ipv4'));
    fc.assert(
      fc.property(fc.oneof(fc.tuple(v6, v6), fc.tuple(v4, v4)), ([a, b]) => {
        const va = ipToBigInt(a);
        const vb = ipToBigInt(b);
        expect(compareIP(a, b)).to.equal(va < vb ? -1 : va > vb ? 1 : 0);
      }),
    );
  });

  it('orders IPv4 before IPv6 and numerically within a family', () => {
    const ips = ['2001:db8::2', '192.0.2.10', '2001:db8::1', '192.0.2.9'].map((s) => {
      const r = parseIP(s);
      if (!r.ok) throw new Error(r.error);
      return r.value;
    });
    expect([...ips].sort(compareIP)).to.deep.equal(['192.0.2.9', '192.0.2.10', '2001:db8::1', '2001:db8::2']);
    expect(ipFamily(ips[0]!)).to.equal('ipv6');
  });
});

describe('parseCidr', () => {
  it('normalises host bits away', () => {
    const c = parseCidr('192.0.2.77/24');
    expect(c.ok && c.value.text).to.equal('192.0.2.0/24');
  });
  it('rejects a prefix length outside the family', () => {
    expect(parseCidr('192.0.2.0/33').ok).to.equal(false);
    expect(parseCidr('2001:db8::/129').ok).to.equal(false);
    expect(parseCidr('192.0.2.0').ok).to.equal(false);
  });
  it('contains exactly its own addresses', () => {
    const c = parseCidr('198.51.100.0/30');
    if (!c.ok) throw new Error(c.error);
    const ip = (s: string) => { const r = parseIP(s); if (!r.ok) throw new Error(r.error); return r.value; };
    expect(cidrContains(c.value, ip('198.51.100.3'))).to.equal(true);
    expect(cidrContains(c.value, ip('198.51.100.4'))).to.equal(false);
    expect(cidrContains(c.value, ip('2001:db8::'))).to.equal(false);
  });
});

describe('canonicalCidrText', () => {
  it('is parseCidr\'s text, and the text itself when that is canonical already', () => {
    const prefix = fc.oneof(
      fc.tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 130 })).map(([v, len]) => `${bigIntToIP(v, 'ipv6')}/${len}`),
      fc.tuple(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), fc.integer({ min: 0, max: 33 })).map(([v, len]) => `${bigIntToIP(v, 'ipv4')}/${len}`),
      fc.constantFrom('2001:DB8::/32', '2001:db8:0::1/128', '192.0.2.01/32', '::ffff:192.0.2.1/128', '192.0.2.1', '/24', 'any', '2001:db8::/032'),
    );
    fc.assert(
      fc.property(prefix, (text) => {
        const parsed = parseCidr(text);
        const got = canonicalCidrText(text);
        expect(got, text).to.equal(parsed.ok ? parsed.value.text : null);
        if (got === text) expect(parsed.ok && parsed.value.text === text).to.equal(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('maskIP', () => {
  it('is the prefix of that length holding the address', () => {
    const masked = fc.oneof(
      fc.tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map((v) => bigIntToIP(v, 'ipv6')), fc.integer({ min: 0, max: 128 })),
      fc.tuple(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }).map((v) => bigIntToIP(v, 'ipv4')), fc.integer({ min: 0, max: 32 })),
    );
    fc.assert(
      fc.property(masked, ([ip, len]) => {
        expect(maskIP(ip, len)).to.deep.equal(makeCidr(ipFamily(ip), ipToBigInt(ip), len));
      }),
      { numRuns: 2000 },
    );
    expect(maskIP('2001:db8::7' as never, 128).text).to.equal('2001:db8::7/128');
  });
});

describe('rangeToCidrs', () => {
  it('summarises a range into the minimal list of prefixes', () => {
    const cidrs = rangeToCidrs({ family: 'ipv4', first: 0xc0000201n, last: 0xc000020an });
    expect(cidrs.map((c) => c.text)).to.deep.equal([
      '192.0.2.1/32', '192.0.2.2/31', '192.0.2.4/30', '192.0.2.8/31', '192.0.2.10/32',
    ]);
  });
  it('covers any range exactly, without gaps or overlap', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), fc.bigInt({ min: 0n, max: 5000n }), (first, span) => {
        const last = first + span > 0xffffffffn ? 0xffffffffn : first + span;
        const cidrs = rangeToCidrs({ family: 'ipv4', first, last });
        let next = first;
        for (const c of cidrs) {
          if (c.base !== next) return false;
          next = c.base + (1n << BigInt(32 - c.prefixLen));
        }
        return next === last + 1n;
      }),
    );
  });
});
