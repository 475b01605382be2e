// ICMPv6 Neighbor Solicitation and Neighbor Advertisement (RFC 4861 §4.3, §4.4) with their
// link-layer address options (§4.6.1), validated on receipt as §7.1.1 and §7.1.2 require.

import { err, ok, type Result } from '../../../core/result.ts';
import type { IPv6 } from '../../../net/ip.ts';
import { ipv6Bytes, ipv6FromBytes, macBytes, macFromBytes, type Mac } from './bytes.ts';
import { icmpv6Checksum, icmpv6ChecksumValid } from './checksum.ts';
import { isMulticastV6, isSolicitedNode, unspecified, type Ipv6Header } from './ipv6.ts';

export const icmpv6Type = { neighborSolicitation: 135, neighborAdvertisement: 136 } as const;
const optionType = { sourceLinkLayer: 1, targetLinkLayer: 2 } as const;

export type NeighborSolicitation = {
  readonly kind: 'ns';
  readonly target: IPv6;
  /** The Source Link-Layer Address option, when present. */
  readonly sourceLinkLayer: Mac | null;
};

export type NeighborAdvertisement = {
  readonly kind: 'na';
  readonly router: boolean;
  readonly solicited: boolean;
  readonly override: boolean;
  readonly target: IPv6;
  /** The Target Link-Layer Address option, when present. */
  readonly targetLinkLayer: Mac | null;
};

export type NdpMessage = NeighborSolicitation | NeighborAdvertisement;

export const ndpDropReasons = [
  'icmpv6-too-short',
  'bad-checksum',
  'not-ndp',
  'hop-limit-not-255',
  'bad-icmp-code',
  'ndp-too-short',
  'target-multicast',
  'bad-option-length',
  'bad-link-layer-option',
  'unspecified-source-not-to-solicited-node',
  'unspecified-source-with-slla',
  'solicited-na-to-multicast',
] as const;
export type NdpDropReason = (typeof ndpDropReasons)[number];

/** NS and NA are 24 bytes before options: type, code, checksum, 4 bytes flags/reserved, target. */
const fixedBytes = 24;

/**
 * Walks the options after the fixed part; returns the first link-layer address option of
 * `wanted` type. Unknown options are skipped; a zero-length or overrunning option fails.
 */
function findLinkLayerOption(msg: Uint8Array, wanted: number): Result<Mac | null, NdpDropReason> {
  let found: Mac | null = null;
  for (let at = fixedBytes; at < msg.length; ) {
    if (at + 2 > msg.length) return err('bad-option-length');
    const type = msg[at] ?? 0;
    const len = (msg[at + 1] ?? 0) * 8;
    if (len === 0 || at + len > msg.length) return err('bad-option-length');
    if (type === wanted && found === null) {
      // Ethernet: one 8-byte unit holding a 6-byte address (RFC 2464 §6).
      if (len !== 8) return err('bad-link-layer-option');
      found = macFromBytes(msg, at + 2);
    }
    at += len;
  }
  return ok(found);
}

function checkCommon(ip: Ipv6Header, msg: Uint8Array): NdpDropReason | null {
  if (msg.length < 4) return 'icmpv6-too-short';
  const type = msg[0];
  if (type !== icmpv6Type.neighborSolicitation && type !== icmpv6Type.neighborAdvertisement) return 'not-ndp';
  if (ip.hopLimit !== 255) return 'hop-limit-not-255';
  if (msg[1] !== 0) return 'bad-icmp-code';
  if (msg.length < fixedBytes) return 'ndp-too-short';
  if (!icmpv6ChecksumValid(ipv6Bytes(ip.src), ipv6Bytes(ip.dst), msg)) return 'bad-checksum';
  return null;
}

function decodeNs(ip: Ipv6Header, msg: Uint8Array, target: IPv6): Result<NeighborSolicitation, NdpDropReason> {
  const slla = findLinkLayerOption(msg, optionType.sourceLinkLayer);
  if (!slla.ok) return slla;
  if (ip.src === unspecified) {
    if (!isSolicitedNode(ip.dst)) return err('unspecified-source-not-to-solicited-node');
    if (slla.value !== null) return err('unspecified-source-with-slla');
  }
  return ok({ kind: 'ns', target, sourceLinkLayer: slla.value });
}

function decodeNa(ip: Ipv6Header, msg: Uint8Array, target: IPv6): Result<NeighborAdvertisement, NdpDropReason> {
  const flags = msg[4] ?? 0;
  const solicited = (flags & 0x40) !== 0;
  if (solicited && isMulticastV6(ip.dst)) return err('solicited-na-to-multicast');
  const tlla = findLinkLayerOption(msg, optionType.targetLinkLayer);
  if (!tlla.ok) return tlla;
  return ok({ kind: 'na', router: (flags & 0x80) !== 0, solicited, override: (flags & 0x20) !== 0, target, targetLinkLayer: tlla.value });
}

/**
 * Decodes and validates an ICMPv6 message carried in `ip` as NS or NA. Anything else (other
 * ICMPv6 types included) is a drop with a reason. Never throws.
 */
export function decodeNdp(ip: Ipv6Header, msg: Uint8Array): Result<NdpMessage, NdpDropReason> {
  const problem = checkCommon(ip, msg);
  if (problem !== null) return err(problem);
  const target = ipv6FromBytes(msg, 8);
  if (isMulticastV6(target)) return err('target-multicast');
  return msg[0] === icmpv6Type.neighborSolicitation ? decodeNs(ip, msg, target) : decodeNa(ip, msg, target);
}

/** The ICMPv6 bytes of an NS or NA, checksummed for the given IPv6 source and destination. */
export function encodeNdp(src: IPv6, dst: IPv6, m: NdpMessage): Uint8Array {
  const lla = m.kind === 'ns' ? m.sourceLinkLayer : m.targetLinkLayer;
  const out = new Uint8Array(fixedBytes + (lla === null ? 0 : 8));
  out[0] = m.kind === 'ns' ? icmpv6Type.neighborSolicitation : icmpv6Type.neighborAdvertisement;
  if (m.kind === 'na') out[4] = (m.router ? 0x80 : 0) | (m.solicited ? 0x40 : 0) | (m.override ? 0x20 : 0);
  out.set(ipv6Bytes(m.target), 8);
  if (lla !== null) {
    out[fixedBytes] = m.kind === 'ns' ? optionType.sourceLinkLayer : optionType.targetLinkLayer;
    out[fixedBytes + 1] = 1;
    out.set(macBytes(lla), fixedBytes + 2);
  }
  const sum = icmpv6Checksum(ipv6Bytes(src), ipv6Bytes(dst), out);
  out[2] = sum >> 8;
  out[3] = sum & 0xff;
  return out;
}
