import { expect } from 'chai';
import fc from 'fast-check';
import { err } from '../../../core/result.ts';
import { broadcastMac, macFromBytes, type Mac } from './bytes.ts';
import { decodeEthernet, encodeEthernet, etherType, type EthernetDropReason } from './ethernet.ts';
import { fixture, lab } from './testdata/fixtures.ts';

const arbMac = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => macFromBytes(b));

describe('Ethernet codec', () => {
  it('reads destination, source and EtherType of a captured ARP request', () => {
    const f = decodeEthernet(fixture('arp-request'));
    expect(f.ok && { dst: f.value.dst, src: f.value.src, vlan: f.value.vlan, type: f.value.etherType }).to.deep.equal({
      dst: broadcastMac,
      src: lab.macA,
      vlan: null,
      type: etherType.arp,
    });
  });

  it('reads one 802.1Q tag and the EtherType behind it', () => {
    const f = decodeEthernet(fixture('arp-request-vlan'));
    expect(f.ok && { vlan: f.value.vlan, type: f.value.etherType, payload: f.value.payload.length }).to.deep.equal({
      vlan: { id: 100, priority: 0, dropEligible: false },
      type: etherType.arp,
      payload: 44,
    });
  });

  const rows: readonly { name: string; bytes: Uint8Array; want: EthernetDropReason }[] = [
    { name: 'an empty frame', bytes: new Uint8Array(0), want: 'too-short' },
    { name: 'a frame cut inside the header', bytes: fixture('arp-request').subarray(0, 13), want: 'too-short' },
    { name: 'a tag without its EtherType', bytes: fixture('arp-request-vlan').subarray(0, 16), want: 'too-short' },
    { name: 'a second (QinQ) tag', bytes: encodeEthernet({ dst: broadcastMac, src: lab.macA as Mac, etherType: etherType.qinq, vlan: { id: 5, priority: 0, dropEligible: false } }, new Uint8Array(4)), want: 'stacked-vlan' },
    { name: 'an IEEE 802.3 length field', bytes: encodeEthernet({ dst: broadcastMac, src: lab.macA as Mac, etherType: 46 }, new Uint8Array(46)), want: 'not-ethernet-ii' },
  ];
  for (const row of rows) {
    it(`drops ${row.name} as ${row.want}`, () => {
      expect(decodeEthernet(row.bytes)).to.deep.equal(err(row.want));
    });
  }

  it('pads short frames to the 60-byte minimum', () => {
    expect(encodeEthernet({ dst: broadcastMac, src: lab.macA as Mac, etherType: etherType.arp }, new Uint8Array(28)).length).to.equal(60);
  });

  it('decodes what it encodes, tagged or not', () => {
    const tag = fc.record({ id: fc.integer({ min: 0, max: 4095 }), priority: fc.integer({ min: 0, max: 7 }), dropEligible: fc.boolean() });
    fc.assert(
      fc.property(arbMac, arbMac, fc.integer({ min: 0x0600, max: 0xffff }).filter((t) => t !== etherType.vlan && t !== etherType.qinq), fc.option(tag, { nil: undefined }), fc.uint8Array({ maxLength: 80 }), (dst, src, type, vlan, payload) => {
          const spec = vlan === undefined ? { dst, src, etherType: type } : { dst, src, etherType: type, vlan };
          const f = decodeEthernet(encodeEthernet(spec, payload));
          expect(f.ok).to.equal(true);
          if (!f.ok) return;
          expect({ dst: f.value.dst, src: f.value.src, type: f.value.etherType, vlan: f.value.vlan }).to.deep.equal({ dst, src, type, vlan: vlan ?? null });
          expect([...f.value.payload.subarray(0, payload.length)]).to.deep.equal([...payload]);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
