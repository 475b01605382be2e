// Property tests over 100 000 generated frames in total: no decoder throws, and the responder
// replies only to a well-formed request for an address it owns, with a well-formed frame.

import { expect } from 'chai';
import fc from 'fast-check';
import { decodeArp } from './codec/arp.ts';
import { decodeEthernet, encodeEthernet, etherType } from './codec/ethernet.ts';
import { decodeFrame } from './codec/frame.ts';
import { decodeIpv6 } from './codec/ipv6.ts';
import { decodeNdp } from './codec/ndp.ts';
import { fixture, fixtureNames, lab } from './codec/testdata/fixtures.ts';
import { macFromBytes } from './codec/bytes.ts';
import { respond, type ResponderContext } from './responder.ts';
import { aLink, anArpRequest, anNs, editIcmpv6, owning, v6 } from './testing.ts';

const ctx: ResponderContext = { link: aLink(), owned: owning([lab.ipv4B, lab.ipv6B]) };

/** Runs every decoder on the bytes (each layer as if it were the whole input); none may throw. */
function decodeAll(bytes: Uint8Array): void {
  decodeEthernet(bytes);
  decodeArp(bytes);
  const ip = decodeIpv6(bytes);
  if (ip.ok) decodeNdp(ip.value.header, ip.value.payload);
  decodeNdp({ trafficClass: 0, flowLabel: 0, nextHeader: 58, hopLimit: 255, src: v6('fe80::1'), dst: v6('ff02::1:ff00:2') }, bytes);
  decodeFrame(bytes);
}

/** A reply is allowed only for a valid ARP request or NS whose target we own, and must itself decode. */
function checkReply(bytes: Uint8Array): void {
  const out = respond(bytes, ctx);
  if (out.kind !== 'reply') return;
  const f = decodeFrame(bytes);
  expect(f.ok, 'replied to a frame that does not decode').to.equal(true);
  if (!f.ok) return;
  const target = f.value.kind === 'arp' ? f.value.arp.op === 'request' && f.value.arp.targetIp : f.value.kind === 'ns' && f.value.ns.target;
  expect(target !== false && ctx.owned.has(target), 'replied to something that is not a request for an owned address').to.equal(true);
  const reply = decodeFrame(out.frame);
  expect(reply.ok && (reply.value.kind === 'na' || (reply.value.kind === 'arp' && reply.value.arp.op === 'reply'))).to.equal(true);
}

const flips = fc.array(fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 4 });

function mutate(bytes: Uint8Array, edits: readonly { at: number; xor: number }[], cut: number | null): Uint8Array {
  const out = bytes.slice(0, cut === null ? bytes.length : cut % (bytes.length + 1));
  for (const e of edits) if (out.length > 0) out[e.at % out.length] = (out[e.at % out.length] ?? 0) ^ e.xor;
  return out;
}

describe('Codecs and responder on garbage', function () {
  this.timeout(120_000);

  it('never throw on random bytes, and never reply to them (30 000 frames)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 128 }), (bytes) => {
        decodeAll(bytes);
        expect(respond(bytes, ctx).kind).to.not.equal('reply');
      }),
      { numRuns: 30_000 },
    );
  });

  it('never throw on captured frames with flipped bytes or cut short, and reply only to valid requests (30 000 frames)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fixtureNames), flips, fc.option(fc.nat(), { nil: null }), (name, edits, cut) => {
        const bytes = mutate(fixture(name), edits, cut);
        decodeAll(bytes);
        checkReply(bytes);
      }),
      { numRuns: 30_000 },
    );
  });

  it('never throw on well-framed ARP and IPv6 with random contents (20 000 frames)', () => {
    const mac = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => macFromBytes(b));
    fc.assert(
      fc.property(mac, mac, fc.constantFrom(etherType.arp, etherType.ipv6), fc.uint8Array({ maxLength: 120 }), (dst, src, type, payload) => {
        const bytes = encodeEthernet({ dst, src, etherType: type }, payload);
        decodeAll(bytes);
        checkReply(bytes);
      }),
      { numRuns: 20_000 },
    );
  });

  it('reply only to valid requests among mutated requests for owned addresses, checksums fixed (20 000 frames)', () => {
    const ns = fc.tuple(flips, fc.option(fc.nat(), { nil: null })).map(([edits, cut]) => editIcmpv6(anNs(), (m) => mutate(m, edits, cut)));
    const arp = fc.tuple(flips, fc.option(fc.nat(), { nil: null })).map(([edits, cut]) => mutate(anArpRequest(), edits, cut));
    fc.assert(
      fc.property(fc.oneof(ns, arp), (bytes) => {
        decodeAll(bytes);
        checkReply(bytes);
      }),
      { numRuns: 20_000 },
    );
  });
});
