import { expect } from 'chai';
import fc from 'fast-check';
import { err, ok } from '../../../core/result.ts';
import type { IPv6 } from '../../../net/ip.ts';
import { anNa, anNs, editIcmpv6, v6, withAddresses } from '../testing.ts';
import { ipv6FromBytes, macFromBytes, toHex, type Mac } from './bytes.ts';
import { icmpv6Checksum, icmpv6ChecksumValid } from './checksum.ts';
import { decodeFrame, encodeNdpFrame, type FrameDropReason } from './frame.ts';
import { decodeIpv6, multicastMac, solicitedNodeAddress } from './ipv6.ts';
import type { NdpMessage } from './ndp.ts';
import { fixture, lab, type FixtureName } from './testdata/fixtures.ts';

const A = { mac: lab.macA as Mac, ll: lab.linkLocalA as IPv6 };
const B = { mac: lab.macB as Mac, ll: lab.linkLocalB as IPv6, ip: lab.ipv6B as IPv6 };

/** The NDP part of a decoded frame, with the IPv6 addresses it travelled between. */
function ndpOf(bytes: Uint8Array): unknown {
  const f = decodeFrame(bytes);
  if (!f.ok) return f;
  if (f.value.kind === 'arp') return 'arp';
  return ok({ src: f.value.ip.src, dst: f.value.ip.dst, msg: f.value.kind === 'ns' ? f.value.ns : f.value.na });
}

describe('NDP codec', () => {
  const captured: readonly { name: string; fixture: FixtureName; src: string; dst: string; msg: NdpMessage }[] = [
    { name: 'ndisc6\'s multicast NS', fixture: 'ns-multicast', src: A.ll, dst: 'ff02::1:ff00:2', msg: { kind: 'ns', target: B.ip, sourceLinkLayer: A.mac } },
    { name: 'the kernel\'s unicast NUD probe', fixture: 'ns-unicast', src: A.ll, dst: B.ip, msg: { kind: 'ns', target: B.ip, sourceLinkLayer: A.mac } },
    { name: 'a DAD probe, skipping its nonce option', fixture: 'ns-dad', src: '::', dst: 'ff02::1:ff10:a', msg: { kind: 'ns', target: A.ll, sourceLinkLayer: null } },
    { name: 'a solicited NA with TLLA', fixture: 'na-solicited', src: B.ip, dst: A.ll, msg: { kind: 'na', router: false, solicited: true, override: true, target: B.ip, targetLinkLayer: B.mac } },
    { name: 'a solicited NA without TLLA', fixture: 'na-solicited-no-tlla', src: B.ip, dst: A.ll, msg: { kind: 'na', router: false, solicited: true, override: false, target: B.ip, targetLinkLayer: null } },
    { name: 'an unsolicited NA', fixture: 'na-unsolicited', src: B.ip, dst: 'ff02::1', msg: { kind: 'na', router: false, solicited: false, override: true, target: B.ip, targetLinkLayer: B.mac } },
  ];
  for (const row of captured) {
    it(`decodes ${row.name}`, () => {
      expect(ndpOf(fixture(row.fixture))).to.deep.equal(ok({ src: row.src, dst: row.dst, msg: row.msg }));
    });
  }

  // Kernel frames carry flow label 0 and no unknown options, so ours must match them exactly.
  for (const name of ['ns-unicast', 'na-solicited', 'na-solicited-no-tlla', 'na-unsolicited'] as const) {
    it(`re-encodes the kernel's ${name} byte for byte`, () => {
      const f = decodeFrame(fixture(name));
      if (!f.ok || f.value.kind === 'arp') throw new Error('not NDP');
      const msg = f.value.kind === 'ns' ? f.value.ns : f.value.na;
      expect(toHex(encodeNdpFrame(f.value.eth, f.value.ip, msg))).to.equal(toHex(fixture(name)));
    });
  }

  const icmpFixtures: readonly FixtureName[] = ['ns-multicast', 'ns-unicast', 'ns-dad', 'na-solicited', 'na-solicited-no-tlla', 'na-unsolicited', 'router-solicitation'];
  for (const name of icmpFixtures) {
    it(`computes the checksum the kernel put in ${name}`, () => {
      const packet = decodeIpv6(fixture(name).subarray(14));
      if (!packet.ok) throw new Error(packet.error);
      const { src, dst } = packet.value.header;
      const msg = packet.value.payload;
      const raw = fixture(name).subarray(14);
      expect(icmpv6Checksum(raw.subarray(8, 24), raw.subarray(24, 40), msg)).to.equal((msg[2] ?? 0) * 256 + (msg[3] ?? 0), `${src} > ${dst}`);
      expect(icmpv6ChecksumValid(raw.subarray(8, 24), raw.subarray(24, 40), msg)).to.equal(true);
    });
  }

  it('maps an address to its solicited-node group and that group to its MAC', () => {
    const f = decodeFrame(fixture('ns-multicast'));
    expect(f.ok && [f.value.eth.dst, f.value.kind !== 'arp' && f.value.ip.dst]).to.deep.equal([multicastMac(solicitedNodeAddress(B.ip)), solicitedNodeAddress(B.ip)]);
    expect([solicitedNodeAddress(v6('2001:db8::abcd:1234:5678')), multicastMac(v6('ff02::1:ff34:5678'))]).to.deep.equal(['ff02::1:ff34:5678', '33:33:ff:34:56:78']);
  });

  // RFC 4861 §7.1.1 / §7.1.2, one rule per row; each frame is valid but for that rule.
  const setByte = (at: number, value: number) => (m: Uint8Array): Uint8Array => { m[at] = value; return m; };
  const append = (...bytes: number[]) => (m: Uint8Array): Uint8Array => Uint8Array.from([...m, ...bytes]);
  const rules: readonly { name: string; frame: Uint8Array; want: FrameDropReason }[] = [
    { name: 'an NS with hop limit 254', frame: editIcmpv6(anNs(), (m) => m, 254), want: 'hop-limit-not-255' },
    { name: 'an NS with code 1', frame: editIcmpv6(anNs(), setByte(1, 1)), want: 'bad-icmp-code' },
    { name: 'an NS with a wrong checksum', frame: (() => { const f = anNs(); f[56] = (f[56] ?? 0) ^ 0xff; return f; })(), want: 'bad-checksum' },
    { name: 'an NS shorter than 24 bytes', frame: editIcmpv6(anNs(), (m) => m.slice(0, 20)), want: 'ndp-too-short' },
    { name: 'an ICMPv6 message shorter than its header', frame: editIcmpv6(anNs(), (m) => m.slice(0, 3)), want: 'icmpv6-too-short' },
    { name: 'an NS for a multicast target', frame: anNs({ target: v6('ff02::1'), dst: v6('ff02::1:ff00:1') }), want: 'target-multicast' },
    { name: 'an NS with a zero-length option', frame: editIcmpv6(anNs(), append(14, 0, 0, 0, 0, 0, 0, 0)), want: 'bad-option-length' },
    { name: 'an NS whose option overruns the message', frame: editIcmpv6(anNs(), append(14, 2, 0, 0, 0, 0, 0, 0)), want: 'bad-option-length' },
    { name: 'an NS with a dangling option byte', frame: editIcmpv6(anNs(), append(14)), want: 'bad-option-length' },
    { name: 'an NS whose SLLA option is 16 bytes', frame: editIcmpv6(anNs({ sourceLinkLayer: null }), append(1, 2, 1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0)), want: 'bad-link-layer-option' },
    { name: 'a DAD NS to all-nodes instead of the solicited-node group', frame: anNs({ src: v6('::'), dst: v6('ff02::1'), sourceLinkLayer: null }), want: 'unspecified-source-not-to-solicited-node' },
    { name: 'a DAD NS carrying an SLLA option', frame: anNs({ src: v6('::') }), want: 'unspecified-source-with-slla' },
    { name: 'a solicited NA sent to a multicast group', frame: anNa({ solicited: true }), want: 'solicited-na-to-multicast' },
    { name: 'an NA with hop limit 1', frame: editIcmpv6(anNa(), (m) => m, 1), want: 'hop-limit-not-255' },
    { name: 'an NA for a multicast target', frame: anNa({ target: v6('ff05::2') }), want: 'target-multicast' },
    { name: 'an MLDv2 report (hop-by-hop header first)', frame: fixture('mld-report'), want: 'not-icmpv6' },
    { name: 'a router solicitation', frame: fixture('router-solicitation'), want: 'not-ndp' },
    { name: 'a UDP datagram over IPv6', frame: fixture('udp6'), want: 'not-icmpv6' },
    { name: 'an IPv4 datagram', frame: fixture('udp4'), want: 'unsupported-ethertype' },
    { name: 'an NS whose addresses no longer match its checksum', frame: withAddresses(anNs(), v6('fe80::1'), solicitedNodeAddress(B.ip)), want: 'bad-checksum' },
  ];
  for (const row of rules) {
    it(`drops ${row.name} as ${row.want}`, () => {
      expect(decodeFrame(row.frame)).to.deep.equal(err(row.want));
    });
  }

  it('accepts unknown options and more than one SLLA, keeping the first', () => {
    const frame = editIcmpv6(anNs(), append(14, 1, 9, 9, 9, 9, 9, 9, 1, 1, 2, 2, 2, 2, 2, 2));
    expect(ndpOf(frame)).to.deep.equal(ok({ src: A.ll, dst: 'ff02::1:ff00:2', msg: { kind: 'ns', target: B.ip, sourceLinkLayer: A.mac } }));
  });

  it('decodes what it encodes', () => {
    const mac = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => macFromBytes(b));
    const unicast = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => ipv6FromBytes(b)).filter((a) => !a.startsWith('ff'));
    const ns = fc.record({ kind: fc.constant('ns' as const), target: unicast, sourceLinkLayer: fc.option(mac, { nil: null }) });
    const na = fc.record({ kind: fc.constant('na' as const), router: fc.boolean(), solicited: fc.boolean(), override: fc.boolean(), target: unicast, targetLinkLayer: fc.option(mac, { nil: null }) });
    fc.assert(
      fc.property(fc.oneof(ns, na), unicast, unicast, mac, mac, (msg, src, dst, ethSrc, ethDst) => {
        expect(ndpOf(encodeNdpFrame({ dst: ethDst, src: ethSrc }, { src, dst }, msg))).to.deep.equal(ok({ src, dst, msg }));
      }),
      { numRuns: 2000 },
    );
  });
});
