import { expect } from 'chai';
import fc from 'fast-check';
import { err, ok } from '../../../core/result.ts';
import type { IPv4 } from '../../../net/ip.ts';
import { arpOperations, decodeArp, encodeArp, type ArpDropReason, type ArpPacket } from './arp.ts';
import { broadcastMac, ipv4FromBytes, macFromBytes, zeroMac, type Mac } from './bytes.ts';
import { decodeEthernet } from './ethernet.ts';
import { fixture, lab, type FixtureName } from './testdata/fixtures.ts';

const payloadOf = (name: FixtureName): Uint8Array => {
  const f = decodeEthernet(fixture(name));
  if (!f.ok) throw new Error(f.error);
  return f.value.payload;
};
const A = { mac: lab.macA as Mac, ip: lab.ipv4A as IPv4 };
const B = { mac: lab.macB as Mac, ip: lab.ipv4B as IPv4 };

describe('ARP codec', () => {
  const captured: readonly { name: string; fixture: FixtureName; want: ArpPacket }[] = [
    { name: 'arping\'s request', fixture: 'arp-request', want: { op: 'request', senderMac: A.mac, senderIp: A.ip, targetMac: zeroMac, targetIp: B.ip } },
    { name: 'the kernel\'s reply', fixture: 'arp-reply', want: { op: 'reply', senderMac: B.mac, senderIp: B.ip, targetMac: A.mac, targetIp: A.ip } },
    { name: 'a gratuitous request (arping -U)', fixture: 'arp-gratuitous-request', want: { op: 'request', senderMac: A.mac, senderIp: A.ip, targetMac: broadcastMac, targetIp: A.ip } },
    { name: 'a gratuitous reply (arping -U -P)', fixture: 'arp-gratuitous-reply', want: { op: 'reply', senderMac: A.mac, senderIp: A.ip, targetMac: broadcastMac, targetIp: A.ip } },
    { name: 'a request inside VLAN 100', fixture: 'arp-request-vlan', want: { op: 'request', senderMac: A.mac, senderIp: A.ip, targetMac: zeroMac, targetIp: B.ip } },
  ];
  for (const row of captured) {
    it(`decodes ${row.name}`, () => {
      expect(decodeArp(payloadOf(row.fixture))).to.deep.equal(ok(row.want));
    });
    it(`re-encodes ${row.name} byte for byte (padding aside)`, () => {
      const payload = payloadOf(row.fixture);
      const decoded = decodeArp(payload);
      expect(decoded.ok && [...encodeArp(decoded.value)]).to.deep.equal([...payload.subarray(0, 28)]);
    });
  }

  const patch = (at: number, bytes: number[]): Uint8Array => {
    const p = payloadOf('arp-request').slice();
    p.set(bytes, at);
    return p;
  };
  const drops: readonly { name: string; bytes: Uint8Array; want: ArpDropReason }[] = [
    { name: 'a truncated packet', bytes: payloadOf('arp-request').subarray(0, 27), want: 'arp-too-short' },
    { name: 'hardware type IEEE 802 (6)', bytes: patch(0, [0, 6]), want: 'arp-not-ethernet-ipv4' },
    { name: 'protocol type IPv6', bytes: patch(2, [0x86, 0xdd]), want: 'arp-not-ethernet-ipv4' },
    { name: 'an 8-byte hardware length', bytes: patch(4, [8]), want: 'arp-not-ethernet-ipv4' },
    { name: 'a 16-byte protocol length', bytes: patch(5, [16]), want: 'arp-not-ethernet-ipv4' },
    { name: 'operation 3 (RARP request)', bytes: patch(6, [0, 3]), want: 'arp-unknown-operation' },
  ];
  for (const row of drops) {
    it(`drops ${row.name} as ${row.want}`, () => {
      expect(decodeArp(row.bytes)).to.deep.equal(err(row.want));
    });
  }

  it('decodes what it encodes', () => {
    const mac = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => macFromBytes(b));
    const ipv4 = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => ipv4FromBytes(b));
    const packet = fc.record({ op: fc.constantFrom(...arpOperations), senderMac: mac, senderIp: ipv4, targetMac: mac, targetIp: ipv4 });
    fc.assert(fc.property(packet, (p) => {
      expect(decodeArp(encodeArp(p))).to.deep.equal(ok(p));
    }), { numRuns: 2000 });
  });
});
