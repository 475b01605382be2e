import { expect } from 'chai';
import fc from 'fast-check';
import { bigIntToIP, compareIP, ipFamily, ipToBigInt, parseIP } from './ip.ts';
import { cidrContains, parseCidr, rangeToCidrs } from './cidr.ts';

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
