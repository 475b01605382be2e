// The unsolicited packets a new owner sends so neighbours move their caches to it: gratuitous
// ARP in request and reply form (RFC 5227 §3) and unsolicited Neighbor Advertisement (RFC 4861 §7.2.6).

import { ipFamily, type IP, type IPv4, type IPv6 } from '../../net/ip.ts';
import { broadcastMac } from './codec/bytes.ts';
import { encodeArpFrame, encodeNdpFrame } from './codec/frame.ts';
import { allNodes, multicastMac } from './codec/ipv6.ts';
import type { LinkView } from './responder.ts';

/**
 * Two broadcast frames with sender IP = target IP = `ip` and sender MAC = the link's MAC:
 * a request (which every stack accepts) and a reply (which some only accept). The target MAC
 * is broadcast, as MetalLB and arping -U send it.
 */
export function gratuitousArp(link: Pick<LinkView, 'mac'>, ip: IPv4): readonly [request: Uint8Array, reply: Uint8Array] {
  const eth = { dst: broadcastMac, src: link.mac };
  const packet = { senderMac: link.mac, senderIp: ip, targetMac: broadcastMac, targetIp: ip };
  return [encodeArpFrame(eth, { op: 'request', ...packet }), encodeArpFrame(eth, { op: 'reply', ...packet })];
}

/**
 * An NA to all-nodes with Solicited=0, Override=1 and our MAC as target link-layer address,
 * sent from the address itself, as Linux sends its own. null when the link has no link-local
 * address (IPv6 is off there).
 */
export function unsolicitedNa(link: LinkView, ip: IPv6): Uint8Array | null {
  if (link.linkLocal === null) return null;
  return encodeNdpFrame(
    { dst: multicastMac(allNodes), src: link.mac },
    { src: ip, dst: allNodes },
    { kind: 'na', router: false, solicited: false, override: true, target: ip, targetLinkLayer: link.mac },
  );
}

/** Every frame one announcement round sends for `ip` on `link` (empty for IPv6 without a link-local). */
export function announcementFrames(link: LinkView, ip: IP): readonly Uint8Array[] {
  if (ipFamily(ip) === 'ipv4') return gratuitousArp(link, ip as IPv4);
  const na = unsolicitedNa(link, ip as IPv6);
  return na === null ? [] : [na];
}
