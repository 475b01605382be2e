import { expect } from 'chai';
import type { IPv6 } from '../../net/ip.ts';
import { broadcastMac, toHex, type Mac } from './codec/bytes.ts';
import { decodeFrame, type DecodedFrame } from './codec/frame.ts';
import { fixture, lab } from './codec/testdata/fixtures.ts';
import { allInterfaces } from './interfaces.ts';
import { respond, type ResponderContext, type ResponderOutcome } from './responder.ts';
import { aLink, anArpRequest, anNa, anNs, mac, onlyOn, owning, v4, v6 } from './testing.ts';

const B = { mac: lab.macB as Mac, ll: lab.linkLocalB as IPv6 };
const ctx = (o: Partial<ResponderContext> = {}): ResponderContext => ({ link: aLink(), owned: owning([lab.ipv4B, lab.ipv6B]), ...o });

/** The reply, decoded, or the outcome itself when there is none. */
function replyOf(outcome: ResponderOutcome): DecodedFrame | ResponderOutcome {
  if (outcome.kind !== 'reply') return outcome;
  const f = decodeFrame(outcome.frame);
  if (!f.ok) throw new Error(`the reply does not decode: ${f.error}`);
  return f.value;
}

function naSummary(outcome: ResponderOutcome): unknown {
  const f = replyOf(outcome);
  if (!('eth' in f) || f.kind !== 'na') return f;
  return { ethDst: f.eth.dst, ethSrc: f.eth.src, src: f.ip.src, dst: f.ip.dst, hopLimit: f.ip.hopLimit, na: f.na };
}

const naFromB = (o: { solicited: boolean; target?: string }) => ({
  kind: 'na',
  router: false,
  solicited: o.solicited,
  override: true,
  target: o.target ?? lab.ipv6B,
  targetLinkLayer: B.mac,
});

describe('ARP/NDP responder', () => {
  describe('ARP', () => {
    it('answers a captured broadcast request exactly as the Linux kernel did', () => {
      const out = respond(fixture('arp-request'), ctx());
      expect(out.kind === 'reply' && toHex(out.frame.subarray(0, 42))).to.equal(toHex(fixture('arp-reply')));
    });

    it('answers a request sent to our MAC', () => {
      expect(respond(anArpRequest({ ethDst: B.mac }), ctx()).kind).to.equal('reply');
    });

    it('answers an RFC 5227 probe (sender IP 0.0.0.0), defending the address', () => {
      const f = replyOf(respond(anArpRequest({ senderIp: v4('0.0.0.0') }), ctx()));
      expect('arp' in f && f.arp).to.deep.equal({ op: 'reply', senderMac: B.mac, senderIp: lab.ipv4B, targetMac: lab.macA, targetIp: '0.0.0.0' });
    });

    const drops: readonly { name: string; frame: Uint8Array; ctx?: Partial<ResponderContext>; want: string }[] = [
      { name: 'a request for an address it does not own', frame: anArpRequest({ targetIp: v4('192.0.2.77') }), want: 'not-owned' },
      { name: 'a request sent to another MAC', frame: anArpRequest({ ethDst: mac('02:00:5e:10:00:99') }), want: 'not-for-us' },
      { name: 'a request on an interface the advertisement excludes', frame: anArpRequest(), ctx: { owned: owning({ [lab.ipv4B]: onlyOn('eth1') }) }, want: 'interface-not-allowed' },
      { name: 'a request on an interface matching an exclusion pattern', frame: anArpRequest(), ctx: { owned: owning({ [lab.ipv4B]: { ...allInterfaces, exclude: [/^eth/] } }) }, want: 'interface-not-allowed' },
      { name: 'a request inside a VLAN tag', frame: fixture('arp-request-vlan'), want: 'vlan-tagged' },
      { name: 'a request looped back from our own MAC', frame: anArpRequest({ ethSrc: B.mac, senderMac: B.mac }), want: 'from-self' },
      { name: 'a request whose sender MAC is multicast', frame: anArpRequest({ senderMac: mac('01:00:5e:00:00:01') }), want: 'bad-sender-mac' },
      { name: 'a reply from a neighbour about its own address', frame: fixture('arp-reply'), ctx: { link: aLink({ mac: mac('02:00:5e:10:00:99') }), owned: owning([lab.ipv4A]) }, want: 'not-a-request' },
    ];
    for (const row of drops) {
      it(`drops ${row.name} (${row.want})`, () => {
        expect(respond(row.frame, ctx(row.ctx))).to.deep.equal({ kind: 'drop', reason: row.want });
      });
    }

    it('reports a duplicate when another MAC replies for an address we own', () => {
      const frame = anArpRequest({ op: 'reply', senderIp: v4(lab.ipv4B), ethDst: broadcastMac });
      expect(respond(frame, ctx())).to.deep.equal({ kind: 'duplicate', ip: lab.ipv4B, mac: lab.macA, ifname: 'eth0' });
    });

    it('reports a duplicate when another MAC sends a gratuitous request for an address we own', () => {
      const out = respond(fixture('arp-gratuitous-request'), ctx({ owned: owning([lab.ipv4A]) }));
      expect(out).to.deep.equal({ kind: 'duplicate', ip: lab.ipv4A, mac: lab.macA, ifname: 'eth0' });
    });

    it('does not count our own MAC on another interface as a duplicate', () => {
      const other = mac('02:00:5e:10:00:0c');
      const frame = anArpRequest({ op: 'reply', senderIp: v4(lab.ipv4B), senderMac: other, ethSrc: mac(lab.macA) });
      expect(respond(frame, ctx({ localMacs: new Set([B.mac, other]) }))).to.deep.equal({ kind: 'drop', reason: 'not-a-request' });
    });
  });

  describe('NDP', () => {
    it('answers a multicast NS with a solicited, overriding NA from the target address', () => {
      expect(naSummary(respond(fixture('ns-multicast'), ctx()))).to.deep.equal({
        ethDst: lab.macA, ethSrc: B.mac, src: lab.ipv6B, dst: lab.linkLocalA, hopLimit: 255, na: naFromB({ solicited: true }),
      });
    });

    it('answers ndisc6\'s NS and the kernel\'s NUD probe byte for byte as the kernel answered them', () => {
      for (const ns of ['ns-multicast', 'ns-unicast'] as const) {
        const out = respond(fixture(ns), ctx());
        expect(out.kind === 'reply' ? toHex(out.frame) : out, ns).to.equal(toHex(fixture('na-solicited')));
      }
    });

    it('answers the kernel\'s unicast NUD probe addressed to the target itself', () => {
      expect(naSummary(respond(fixture('ns-unicast'), ctx()))).to.deep.equal({
        ethDst: lab.macA, ethSrc: B.mac, src: lab.ipv6B, dst: lab.linkLocalA, hopLimit: 255, na: naFromB({ solicited: true }),
      });
    });

    it('answers a unicast NS addressed to our link-local address', () => {
      expect(respond(anNs({ dst: B.ll }), ctx()).kind).to.equal('reply');
    });

    it('answers a unicast NS without SLLA at the solicitor\'s Ethernet source', () => {
      const out = naSummary(respond(anNs({ dst: v6(lab.ipv6B), sourceLinkLayer: null }), ctx()));
      expect(out).to.include({ ethDst: lab.macA, dst: lab.linkLocalA });
    });

    it('defends an owned address against a DAD probe with an NA to all-nodes, Solicited=0', () => {
      const dad = anNs({ src: v6('::'), sourceLinkLayer: null });
      expect(naSummary(respond(dad, ctx()))).to.deep.equal({
        ethDst: '33:33:00:00:00:01', ethSrc: B.mac, src: lab.ipv6B, dst: 'ff02::1', hopLimit: 255, na: naFromB({ solicited: false }),
      });
    });

    const drops: readonly { name: string; frame: Uint8Array; ctx?: Partial<ResponderContext>; want: string }[] = [
      { name: 'an NS for an address it does not own', frame: anNs({ target: v6('2001:db8::77') }), want: 'not-owned' },
      { name: 'an NS to another node\'s unicast address', frame: anNs({ dst: v6('2001:db8::1') }), want: 'not-for-us' },
      { name: 'an NS to all-nodes instead of the solicited-node group', frame: anNs({ dst: v6('ff02::1') }), want: 'not-for-us' },
      { name: 'a DAD probe sent to another address\'s solicited-node group', frame: anNs({ src: v6('::'), dst: v6('ff02::1:ff00:77'), sourceLinkLayer: null }), want: 'not-for-us' },
      { name: 'an NS whose Ethernet group does not match its IPv6 group', frame: anNs({ ethDst: mac('33:33:00:00:00:01') }), want: 'not-for-us' },
      { name: 'an NS unicast to another MAC', frame: anNs({ dst: v6(lab.ipv6B), ethDst: mac('02:00:5e:10:00:99') }), want: 'not-for-us' },
      { name: 'an NS on an interface without a link-local address', frame: anNs(), ctx: { link: aLink({ linkLocal: null }) }, want: 'no-link-local' },
      { name: 'an NS on a disallowed interface', frame: anNs(), ctx: { owned: owning({ [lab.ipv6B]: onlyOn('eth1') }) }, want: 'interface-not-allowed' },
      { name: 'an NS whose SLLA is a group address', frame: anNs({ sourceLinkLayer: broadcastMac }), want: 'bad-sender-mac' },
      { name: 'an NA about an address it does not own', frame: anNa({ target: v6('2001:db8::77') }), want: 'not-a-request' },
      { name: 'an MLD report', frame: fixture('mld-report'), want: 'not-icmpv6' },
      { name: 'a router solicitation', frame: fixture('router-solicitation'), want: 'not-ndp' },
    ];
    for (const row of drops) {
      it(`drops ${row.name} (${row.want})`, () => {
        expect(respond(row.frame, ctx(row.ctx))).to.deep.equal({ kind: 'drop', reason: row.want });
      });
    }

    it('reports a duplicate when another node advertises an address we own', () => {
      const out = respond(fixture('na-unsolicited'), ctx({ link: aLink({ mac: mac('02:00:5e:10:00:99') }) }));
      expect(out).to.deep.equal({ kind: 'duplicate', ip: lab.ipv6B, mac: lab.macB, ifname: 'eth0' });
    });

    it('falls back to the Ethernet source of an NA without TLLA when reporting a duplicate', () => {
      const out = respond(anNa({ dst: v6(lab.linkLocalB), targetLinkLayer: null, solicited: true }), ctx());
      expect(out).to.deep.equal({ kind: 'duplicate', ip: lab.ipv6B, mac: lab.macA, ifname: 'eth0' });
    });
  });
});
