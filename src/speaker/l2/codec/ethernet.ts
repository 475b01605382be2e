// Ethernet II framing: destination, source, at most one 802.1Q tag, EtherType (IEEE 802.3 §3.2,
// IEEE 802.1Q §9.6). Encoding pads to the 60-byte minimum frame (FCS excluded).

import { err, ok, type Result } from '../../../core/result.ts';
import { macBytes, macFromBytes, type Mac } from './bytes.ts';

export const etherType = { ipv4: 0x0800, arp: 0x0806, vlan: 0x8100, qinq: 0x88a8, ipv6: 0x86dd } as const;

/** Minimum Ethernet frame without the 4-byte FCS. */
export const minFrameBytes = 60;

export type VlanTag = {
  /** VLAN identifier, 0..4095 (0 = priority tag only). */
  readonly id: number;
  /** Priority code point, 0..7. */
  readonly priority: number;
  readonly dropEligible: boolean;
};

export type EthernetHeader = {
  readonly dst: Mac;
  readonly src: Mac;
  readonly vlan: VlanTag | null;
  /** The EtherType after the tag, if any. */
  readonly etherType: number;
};

export type EthernetFrame = EthernetHeader & { readonly payload: Uint8Array };

export const ethernetDropReasons = ['too-short', 'stacked-vlan', 'not-ethernet-ii'] as const;
export type EthernetDropReason = (typeof ethernetDropReasons)[number];

const isTagType = (t: number): boolean => t === etherType.vlan || t === etherType.qinq;

/** Splits a frame into header and payload (the payload may carry trailing padding). Never throws. */
export function decodeEthernet(bytes: Uint8Array): Result<EthernetFrame, EthernetDropReason> {
  if (bytes.length < 14) return err('too-short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dst = macFromBytes(bytes, 0);
  const src = macFromBytes(bytes, 6);
  let type = view.getUint16(12);
  let vlan: VlanTag | null = null;
  let offset = 14;
  if (isTagType(type)) {
    if (bytes.length < 18) return err('too-short');
    const tci = view.getUint16(14);
    vlan = { id: tci & 0x0fff, priority: tci >> 13, dropEligible: (tci & 0x1000) !== 0 };
    type = view.getUint16(16);
    offset = 18;
    if (isTagType(type)) return err('stacked-vlan');
  }
  // Values below 0x0600 are IEEE 802.3 lengths, not EtherTypes.
  if (type < 0x0600) return err('not-ethernet-ii');
  return ok({ dst, src, vlan, etherType: type, payload: bytes.subarray(offset) });
}

export type EthernetSpec = {
  readonly dst: Mac;
  readonly src: Mac;
  readonly etherType: number;
  readonly vlan?: VlanTag;
};

/** Builds a frame, zero-padded to 60 bytes. */
export function encodeEthernet(header: EthernetSpec, payload: Uint8Array): Uint8Array {
  const headerLen = header.vlan === undefined ? 14 : 18;
  const out = new Uint8Array(Math.max(minFrameBytes, headerLen + payload.length));
  const view = new DataView(out.buffer);
  out.set(macBytes(header.dst), 0);
  out.set(macBytes(header.src), 6);
  if (header.vlan !== undefined) {
    const v = header.vlan;
    view.setUint16(12, etherType.vlan);
    view.setUint16(14, ((v.priority & 7) << 13) | (v.dropEligible ? 0x1000 : 0) | (v.id & 0x0fff));
  }
  view.setUint16(headerLen - 2, header.etherType);
  out.set(payload, headerLen);
  return out;
}
