// The fixed IPv6 header (RFC 8200 §3) and the multicast addresses NDP needs: solicited-node
// (RFC 4291 §2.7.1) and their Ethernet mapping 33:33:xx:xx:xx:xx (RFC 2464 §7).

import { err, ok, type Result } from '../../../core/result.ts';
import type { IPv6 } from '../../../net/ip.ts';
import { ipv6Bytes, ipv6FromBytes, macFromBytes, type Mac } from './bytes.ts';

export const ipv6HeaderBytes = 40;
export const nextHeaderIcmpv6 = 58;
export const allNodes = 'ff02::1' as IPv6;
export const unspecified = '::' as IPv6;

export type Ipv6Header = {
  readonly trafficClass: number;
  readonly flowLabel: number;
  readonly nextHeader: number;
  readonly hopLimit: number;
  readonly src: IPv6;
  readonly dst: IPv6;
};

export type Ipv6Packet = { readonly header: Ipv6Header; readonly payload: Uint8Array };

export const ipv6DropReasons = ['ipv6-too-short', 'ipv6-bad-version', 'ipv6-bad-payload-length'] as const;
export type Ipv6DropReason = (typeof ipv6DropReasons)[number];

/** Decodes the header; the payload is cut to Payload Length (dropping Ethernet padding). Never throws. */
export function decodeIpv6(bytes: Uint8Array): Result<Ipv6Packet, Ipv6DropReason> {
  if (bytes.length < ipv6HeaderBytes) return err('ipv6-too-short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const word = view.getUint32(0);
  if (word >>> 28 !== 6) return err('ipv6-bad-version');
  const payloadLength = view.getUint16(4);
  if (ipv6HeaderBytes + payloadLength > bytes.length) return err('ipv6-bad-payload-length');
  const header: Ipv6Header = {
    trafficClass: (word >>> 20) & 0xff,
    flowLabel: word & 0xfffff,
    nextHeader: bytes[6] ?? 0,
    hopLimit: bytes[7] ?? 0,
    src: ipv6FromBytes(bytes, 8),
    dst: ipv6FromBytes(bytes, 24),
  };
  return ok({ header, payload: bytes.subarray(ipv6HeaderBytes, ipv6HeaderBytes + payloadLength) });
}

export function encodeIpv6(header: Ipv6Header, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(ipv6HeaderBytes + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, ((6 << 28) | ((header.trafficClass & 0xff) << 20) | (header.flowLabel & 0xfffff)) >>> 0);
  view.setUint16(4, payload.length);
  out[6] = header.nextHeader;
  out[7] = header.hopLimit;
  out.set(ipv6Bytes(header.src), 8);
  out.set(ipv6Bytes(header.dst), 24);
  out.set(payload, ipv6HeaderBytes);
  return out;
}

export const isMulticastV6 = (ip: IPv6): boolean => ip.startsWith('ff');

/** ff02::1:ffXX:XXXX, from the low 24 bits of `ip` (RFC 4291 §2.7.1). */
export function solicitedNodeAddress(ip: IPv6): IPv6 {
  const b = ipv6Bytes(ip);
  const out = new Uint8Array(16);
  out.set([0xff, 0x02], 0);
  out.set([0x01, 0xff, b[13] ?? 0, b[14] ?? 0, b[15] ?? 0], 11);
  return ipv6FromBytes(out);
}

/** In ff02::1:ff00:0/104, the solicited-node groups. */
export function isSolicitedNode(ip: IPv6): boolean {
  const b = ipv6Bytes(ip);
  const prefix = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff];
  return prefix.every((v, i) => b[i] === v);
}

/** 33:33 followed by the low 32 bits of a multicast IPv6 address (RFC 2464 §7). */
export function multicastMac(ip: IPv6): Mac {
  const b = ipv6Bytes(ip);
  return macFromBytes(Uint8Array.of(0x33, 0x33, b[12] ?? 0, b[13] ?? 0, b[14] ?? 0, b[15] ?? 0));
}
