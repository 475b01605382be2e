// The ARP/NDP responder's decision for one received frame: a reply to send, a duplicate-address
// event, or a drop with a literal reason. Pure; the caller sends the frame and counts the reason.

import type { IP, IPv6 } from '../../net/ip.ts';
import type { ArpPacket } from './codec/arp.ts';
import { broadcastMac, isGroupMac, zeroMac, type Mac } from './codec/bytes.ts';
import type { EthernetHeader } from './codec/ethernet.ts';
import { decodeFrame, encodeArpFrame, encodeNdpFrame, frameDropReasons, type DecodedFrame } from './codec/frame.ts';
import { allNodes, isMulticastV6, multicastMac, solicitedNodeAddress, unspecified, type Ipv6Header } from './codec/ipv6.ts';
import type { NeighborAdvertisement, NeighborSolicitation } from './codec/ndp.ts';
import { assertNever } from '../../core/result.ts';
import { interfaceAllowed, type InterfaceFilter } from './interfaces.ts';

/** The interface a frame arrived on. */
export type LinkView = {
  readonly ifname: string;
  readonly mac: Mac;
  /** The interface's IPv6 link-local address; without one (IPv6 off), NS are not answered (as MetalLB). */
  readonly linkLocal: IPv6 | null;
};

/** Addresses this node announces, each with the interfaces it may be announced on. */
export type OwnedAddresses = ReadonlyMap<IP, InterfaceFilter>;

export type ResponderContext = {
  readonly link: LinkView;
  readonly owned: OwnedAddresses;
  /** Every MAC of this node, so our own frames on another interface are not duplicates. Default: link.mac. */
  readonly localMacs?: ReadonlySet<Mac>;
};

export const responderDropReasons = [
  ...frameDropReasons,
  'vlan-tagged',
  'from-self',
  'not-owned',
  'interface-not-allowed',
  'not-for-us',
  'not-a-request',
  'bad-sender-mac',
  'no-link-local',
] as const;
export type ResponderDropReason = (typeof responderDropReasons)[number];

export type ResponderOutcome =
  | { readonly kind: 'reply'; readonly ip: IP; readonly frame: Uint8Array }
  | { readonly kind: 'duplicate'; readonly ip: IP; readonly mac: Mac; readonly ifname: string }
  | { readonly kind: 'drop'; readonly reason: ResponderDropReason };

const drop = (reason: ResponderDropReason): ResponderOutcome => ({ kind: 'drop', reason });

type Ctx = { readonly link: LinkView; readonly owned: OwnedAddresses; readonly localMacs: ReadonlySet<Mac> };

/** The filter for `ip` when we own it and may announce it on this link; otherwise the drop reason. */
function ownedHere(ctx: Ctx, ip: IP): 'not-owned' | 'interface-not-allowed' | null {
  const filter = ctx.owned.get(ip);
  if (filter === undefined) return 'not-owned';
  return interfaceAllowed(filter, ctx.link.ifname) ? null : 'interface-not-allowed';
}

/** Someone else claims `ip` with `mac` (RFC 5227 §2.4 conflict; RFC 4862 §5.4.4 for IPv6). */
function claimedByOther(ctx: Ctx, ip: IP, mac: Mac): ResponderOutcome | null {
  if (ownedHere(ctx, ip) !== null || ctx.localMacs.has(mac)) return null;
  return { kind: 'duplicate', ip, mac, ifname: ctx.link.ifname };
}

function onArp(ctx: Ctx, eth: EthernetHeader, arp: ArpPacket): ResponderOutcome {
  // A reply, or a gratuitous request, naming one of our addresses as the sender's.
  const conflict = claimedByOther(ctx, arp.senderIp, arp.senderMac);
  if (conflict !== null) return conflict;
  if (arp.op !== 'request') return drop('not-a-request');
  const problem = ownedHere(ctx, arp.targetIp);
  if (problem !== null) return drop(problem);
  if (eth.dst !== broadcastMac && eth.dst !== ctx.link.mac) return drop('not-for-us');
  if (isGroupMac(arp.senderMac) || arp.senderMac === zeroMac) return drop('bad-sender-mac');
  const reply: ArpPacket = {
    op: 'reply',
    senderMac: ctx.link.mac,
    senderIp: arp.targetIp,
    targetMac: arp.senderMac,
    targetIp: arp.senderIp,
  };
  return { kind: 'reply', ip: arp.targetIp, frame: encodeArpFrame({ dst: arp.senderMac, src: ctx.link.mac }, reply) };
}

/** RFC 4861 §7.2.3: a solicitation for us arrives at the solicited-node group, the target, or our link-local address. */
function addressedToUs(ctx: Ctx, eth: EthernetHeader, ip: Ipv6Header, target: IPv6): boolean {
  const ipOk = ip.dst === solicitedNodeAddress(target) || ip.dst === target || ip.dst === ctx.link.linkLocal;
  const ethOk = isMulticastV6(ip.dst) ? eth.dst === multicastMac(ip.dst) : eth.dst === ctx.link.mac;
  return ipOk && ethOk;
}

/**
 * RFC 4861 §7.2.4. Override=1: we are the only owner of the address (not an anycast or proxy
 * answer), and a neighbour still caching the previous owner's MAC must replace it at once.
 * Sent from the target address itself, as Linux does: tools that check the reply's scope
 * (ndisc6) drop an NA for a global target that comes from a link-local address.
 */
function onNs(ctx: Ctx, eth: EthernetHeader, ip: Ipv6Header, ns: NeighborSolicitation): ResponderOutcome {
  const problem = ownedHere(ctx, ns.target);
  if (problem !== null) return drop(problem);
  if (!addressedToUs(ctx, eth, ip, ns.target)) return drop('not-for-us');
  // No link-local address: IPv6 is off on this interface, so it answers no NS (as MetalLB).
  if (ctx.link.linkLocal === null) return drop('no-link-local');
  const src = ns.target;
  const dad = ip.src === unspecified;
  const na: NeighborAdvertisement = { kind: 'na', router: false, solicited: !dad, override: true, target: ns.target, targetLinkLayer: ctx.link.mac };
  // §7.2.4: to all-nodes when the solicitor has no address yet (DAD); else to the solicitor,
  // at its SLLA when given (§4.3 lets unicast NS omit it; its Ethernet source is then the solicitor).
  const dstMac = dad ? multicastMac(allNodes) : (ns.sourceLinkLayer ?? eth.src);
  if (isGroupMac(dstMac) !== dad) return drop('bad-sender-mac');
  const frame = encodeNdpFrame({ dst: dstMac, src: ctx.link.mac }, { src, dst: dad ? allNodes : ip.src }, na);
  return { kind: 'reply', ip: ns.target, frame };
}

function onNa(ctx: Ctx, eth: EthernetHeader, na: NeighborAdvertisement): ResponderOutcome {
  return claimedByOther(ctx, na.target, na.targetLinkLayer ?? eth.src) ?? drop('not-a-request');
}

function decide(ctx: Ctx, f: DecodedFrame): ResponderOutcome {
  // A tagged frame belongs to the VLAN sub-interface's segment, which has its own responder.
  if (f.eth.vlan !== null) return drop('vlan-tagged');
  if (ctx.localMacs.has(f.eth.src)) return drop('from-self');
  switch (f.kind) {
    case 'arp':
      return onArp(ctx, f.eth, f.arp);
    case 'ns':
      return onNs(ctx, f.eth, f.ip, f.ns);
    case 'na':
      return onNa(ctx, f.eth, f.na);
    default:
      return assertNever(f);
  }
}

/** Decides what to do with one frame received on `ctx.link`. Never throws on any input. */
export function respond(frame: Uint8Array, ctx: ResponderContext): ResponderOutcome {
  const decoded = decodeFrame(frame);
  if (!decoded.ok) return drop(decoded.error);
  return decide({ link: ctx.link, owned: ctx.owned, localMacs: ctx.localMacs ?? new Set([ctx.link.mac]) }, decoded.value);
}
