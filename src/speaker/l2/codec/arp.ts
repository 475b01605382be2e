// ARP for IPv4 over Ethernet (RFC 826): the 28-byte request/reply packet and nothing else
// (no RARP, no other hardware or protocol types).

import { err, ok, type Result } from '../../../core/result.ts';
import type { IPv4 } from '../../../net/ip.ts';
import { ipv4Bytes, ipv4FromBytes, macBytes, macFromBytes, type Mac } from './bytes.ts';

export const arpOperations = ['request', 'reply'] as const;
export type ArpOperation = (typeof arpOperations)[number];

export type ArpPacket = {
  readonly op: ArpOperation;
  readonly senderMac: Mac;
  readonly senderIp: IPv4;
  readonly targetMac: Mac;
  readonly targetIp: IPv4;
};

export const arpDropReasons = ['arp-too-short', 'arp-not-ethernet-ipv4', 'arp-unknown-operation'] as const;
export type ArpDropReason = (typeof arpDropReasons)[number];

export const arpPacketBytes = 28;

/** Decodes the ARP payload of an Ethernet frame; trailing padding is ignored. Never throws. */
export function decodeArp(bytes: Uint8Array): Result<ArpPacket, ArpDropReason> {
  if (bytes.length < arpPacketBytes) return err('arp-too-short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // htype 1 (Ethernet), ptype 0x0800 (IPv4), hlen 6, plen 4.
  if (view.getUint16(0) !== 1 || view.getUint16(2) !== 0x0800 || bytes[4] !== 6 || bytes[5] !== 4) {
    return err('arp-not-ethernet-ipv4');
  }
  const code = view.getUint16(6);
  if (code !== 1 && code !== 2) return err('arp-unknown-operation');
  return ok({
    op: code === 1 ? 'request' : 'reply',
    senderMac: macFromBytes(bytes, 8),
    senderIp: ipv4FromBytes(bytes, 14),
    targetMac: macFromBytes(bytes, 18),
    targetIp: ipv4FromBytes(bytes, 24),
  });
}

export function encodeArp(p: ArpPacket): Uint8Array {
  const out = new Uint8Array(arpPacketBytes);
  const view = new DataView(out.buffer);
  view.setUint16(0, 1);
  view.setUint16(2, 0x0800);
  out[4] = 6;
  out[5] = 4;
  view.setUint16(6, p.op === 'request' ? 1 : 2);
  out.set(macBytes(p.senderMac), 8);
  out.set(ipv4Bytes(p.senderIp), 14);
  out.set(macBytes(p.targetMac), 18);
  out.set(ipv4Bytes(p.targetIp), 24);
  return out;
}
