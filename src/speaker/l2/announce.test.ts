import { expect } from 'chai';
import { toHex } from './codec/bytes.ts';
import { decodeFrame } from './codec/frame.ts';
import { fixture, lab } from './codec/testdata/fixtures.ts';
import { announcementFrames, gratuitousArp, unsolicitedNa } from './announce.ts';
import { aLink, mac, v4, v6 } from './testing.ts';

const linkA = aLink({ mac: mac(lab.macA), linkLocal: v6(lab.linkLocalA) });

describe('Gratuitous announcements', () => {
  it('builds the gratuitous request exactly as arping -U sends it (padding aside)', () => {
    const [request] = gratuitousArp(linkA, v4(lab.ipv4A));
    expect(toHex(request.subarray(0, 42))).to.equal(toHex(fixture('arp-gratuitous-request').subarray(0, 42)));
  });

  it('builds the gratuitous reply exactly as arping -U -P sends it (padding aside)', () => {
    const [, reply] = gratuitousArp(linkA, v4(lab.ipv4A));
    expect(toHex(reply.subarray(0, 42))).to.equal(toHex(fixture('arp-gratuitous-reply').subarray(0, 42)));
  });

  it('sends an unsolicited NA to all-nodes from the address itself with Override=1, Solicited=0', () => {
    const frame = unsolicitedNa(aLink(), v6(lab.ipv6B));
    const f = frame === null ? null : decodeFrame(frame);
    expect(f?.ok && f.value.kind === 'na' && { ethDst: f.value.eth.dst, src: f.value.ip.src, dst: f.value.ip.dst, na: f.value.na }).to.deep.equal({
      ethDst: '33:33:00:00:00:01',
      src: lab.ipv6B,
      dst: 'ff02::1',
      na: { kind: 'na', router: false, solicited: false, override: true, target: lab.ipv6B, targetLinkLayer: lab.macB },
    });
  });

  it('matches the kernel\'s unsolicited NA byte for byte', () => {
    const ours = unsolicitedNa(aLink(), v6(lab.ipv6B));
    expect(ours === null ? null : toHex(ours)).to.equal(toHex(fixture('na-unsolicited')));
  });

  it('sends two ARP frames for IPv4, one NA for IPv6, and nothing for IPv6 without a link-local address', () => {
    expect([
      announcementFrames(aLink(), v4(lab.ipv4B)).length,
      announcementFrames(aLink(), v6(lab.ipv6B)).length,
      announcementFrames(aLink({ linkLocal: null }), v6(lab.ipv6B)).length,
    ]).to.deep.equal([2, 1, 0]);
  });
});
