// Whole frames as the responder sees them: Ethernet II carrying ARP, or IPv6 carrying an NDP
// NS/NA; everything else is a drop with a literal reason. Also the inverse, for building replies.

import { err, ok, type Result } from '../../../core/result.ts';
import type { IPv6 } from '../../../net/ip.ts';
import { arpDropReasons, decodeArp, encodeArp, type ArpPacket } from './arp.ts';
import type { Mac } from './bytes.ts';
import { decodeEthernet, encodeEthernet, etherType, ethernetDropReasons, type EthernetHeader } from './ethernet.ts';
import { decodeIpv6, encodeIpv6, ipv6DropReasons, nextHeaderIcmpv6, type Ipv6Header } from './ipv6.ts';
import { decodeNdp, encodeNdp, ndpDropReasons, type NeighborAdvertisement, type NeighborSolicitation } from './ndp.ts';

export type DecodedFrame =
  | { readonly kind: 'arp'; readonly eth: EthernetHeader; readonly arp: ArpPacket }
  | { readonly kind: 'ns'; readonly eth: EthernetHeader; readonly ip: Ipv6Header; readonly ns: NeighborSolicitation }
  | { readonly kind: 'na'; readonly eth: EthernetHeader; readonly ip: Ipv6Header; readonly na: NeighborAdvertisement };

/** Every reason a frame can be dropped while decoding; declared once so metrics can pre-register labels. */
export const frameDropReasons = [
  ...ethernetDropReasons,
  'unsupported-ethertype',
  ...arpDropReasons,
  ...ipv6DropReasons,
  // An extension header (hop-by-hop, …) before ICMPv6: NS/NA are never sent with one in practice.
  'not-icmpv6',
  ...ndpDropReasons,
] as const;
export type FrameDropReason = (typeof frameDropReasons)[number];

function decodeIpv6Frame(eth: EthernetHeader, payload: Uint8Array): Result<DecodedFrame, FrameDropReason> {
  const packet = decodeIpv6(payload);
  if (!packet.ok) return packet;
  const ip = packet.value.header;
  if (ip.nextHeader !== nextHeaderIcmpv6) return err('not-icmpv6');
  const msg = decodeNdp(ip, packet.value.payload);
  if (!msg.ok) return msg;
  return ok(msg.value.kind === 'ns' ? { kind: 'ns', eth, ip, ns: msg.value } : { kind: 'na', eth, ip, na: msg.value });
}

/** Decodes a received Ethernet frame. Never throws, whatever the bytes. */
export function decodeFrame(bytes: Uint8Array): Result<DecodedFrame, FrameDropReason> {
  const frame = decodeEthernet(bytes);
  if (!frame.ok) return frame;
  const { payload, ...eth } = frame.value;
  if (eth.etherType === etherType.arp) {
    const arp = decodeArp(payload);
    return arp.ok ? ok({ kind: 'arp', eth, arp: arp.value }) : arp;
  }
  if (eth.etherType === etherType.ipv6) return decodeIpv6Frame(eth, payload);
  return err('unsupported-ethertype');
}

export type LinkAddresses = { readonly dst: Mac; readonly src: Mac };
export type NdpAddresses = { readonly src: IPv6; readonly dst: IPv6 };

export function encodeArpFrame(eth: LinkAddresses, arp: ArpPacket): Uint8Array {
  return encodeEthernet({ dst: eth.dst, src: eth.src, etherType: etherType.arp }, encodeArp(arp));
}

/** An NS or NA in IPv6 (hop limit 255, as RFC 4861 requires) in Ethernet. */
export function encodeNdpFrame(eth: LinkAddresses, ip: NdpAddresses, message: NeighborSolicitation | NeighborAdvertisement): Uint8Array {
  const header: Ipv6Header = { trafficClass: 0, flowLabel: 0, nextHeader: nextHeaderIcmpv6, hopLimit: 255, src: ip.src, dst: ip.dst };
  return encodeEthernet({ dst: eth.dst, src: eth.src, etherType: etherType.ipv6 }, encodeIpv6(header, encodeNdp(ip.src, ip.dst, message)));
}
