// Builders for the L2 tests: links, owned-address maps, and request frames with every field
// overridable, plus a helper to corrupt an ICMPv6 message and re-checksum it.

import { parseIP, type IP, type IPv4, type IPv6 } from '../../net/ip.ts';
import { broadcastMac, ipv6Bytes, parseMac, zeroMac, type Mac } from './codec/bytes.ts';
import { icmpv6Checksum } from './codec/checksum.ts';
import { encodeArpFrame, encodeNdpFrame } from './codec/frame.ts';
import { multicastMac, solicitedNodeAddress } from './codec/ipv6.ts';
import type { ArpPacket } from './codec/arp.ts';
import { lab } from './codec/testdata/fixtures.ts';
import { allInterfaces, type InterfaceFilter } from './interfaces.ts';
import type { LinkView, OwnedAddresses } from './responder.ts';

export const mac = (text: string): Mac => {
  const m = parseMac(text);
  if (!m.ok) throw new Error(m.error);
  return m.value;
};
export const ip = (text: string): IP => {
  const p = parseIP(text);
  if (!p.ok) throw new Error(p.error);
  return p.value;
};
export const v4 = (text: string): IPv4 => ip(text) as IPv4;
export const v6 = (text: string): IPv6 => ip(text) as IPv6;

/** Node B of the capture lab: the one that answers. */
export const aLink = (o: Partial<LinkView> = {}): LinkView => ({
  ifname: 'eth0',
  mac: mac(lab.macB),
  linkLocal: v6(lab.linkLocalB),
  ...o,
});

export const owning = (entries: Record<string, InterfaceFilter> | readonly string[]): OwnedAddresses =>
  Array.isArray(entries)
    ? new Map(entries.map((t) => [ip(t), allInterfaces]))
    : new Map(Object.entries(entries).map(([t, f]) => [ip(t), f]));

export const onlyOn = (...names: string[]): InterfaceFilter => ({ choice: { kind: 'only', names }, exclude: [] });

export type ArpOverrides = Partial<ArpPacket> & { readonly ethDst?: Mac; readonly ethSrc?: Mac };

/** A broadcast ARP request from A for B's IPv4 address. */
export function anArpRequest(o: ArpOverrides = {}): Uint8Array {
  const packet: ArpPacket = {
    op: o.op ?? 'request',
    senderMac: o.senderMac ?? mac(lab.macA),
    senderIp: o.senderIp ?? v4(lab.ipv4A),
    targetMac: o.targetMac ?? zeroMac,
    targetIp: o.targetIp ?? v4(lab.ipv4B),
  };
  return encodeArpFrame({ dst: o.ethDst ?? broadcastMac, src: o.ethSrc ?? packet.senderMac }, packet);
}

export type NsOverrides = {
  readonly target?: IPv6;
  readonly src?: IPv6;
  readonly dst?: IPv6;
  readonly ethDst?: Mac;
  readonly ethSrc?: Mac;
  readonly sourceLinkLayer?: Mac | null;
};

/** A multicast NS from A's link-local address for B's IPv6 address, with an SLLA option. */
export function anNs(o: NsOverrides = {}): Uint8Array {
  const target = o.target ?? v6(lab.ipv6B);
  const dst = o.dst ?? solicitedNodeAddress(target);
  const ethDst = o.ethDst ?? (dst.startsWith('ff') ? multicastMac(dst) : mac(lab.macB));
  const sll = o.sourceLinkLayer === undefined ? mac(lab.macA) : o.sourceLinkLayer;
  return encodeNdpFrame({ dst: ethDst, src: o.ethSrc ?? mac(lab.macA) }, { src: o.src ?? v6(lab.linkLocalA), dst }, { kind: 'ns', target, sourceLinkLayer: sll });
}

export type NaOverrides = NsOverrides & { readonly solicited?: boolean; readonly override?: boolean; readonly targetLinkLayer?: Mac | null };

/** An unsolicited NA from A announcing `target` (default B's IPv6 address) with A's MAC. */
export function anNa(o: NaOverrides = {}): Uint8Array {
  const dst = o.dst ?? v6('ff02::1');
  const ethDst = o.ethDst ?? (dst.startsWith('ff') ? multicastMac(dst) : mac(lab.macB));
  const tll = o.targetLinkLayer === undefined ? mac(lab.macA) : o.targetLinkLayer;
  const na = { kind: 'na', router: false, solicited: o.solicited ?? false, override: o.override ?? true, target: o.target ?? v6(lab.ipv6B), targetLinkLayer: tll } as const;
  return encodeNdpFrame({ dst: ethDst, src: o.ethSrc ?? mac(lab.macA) }, { src: o.src ?? v6(lab.linkLocalA), dst }, na);
}

const icmpAt = 14 + 40;

/**
 * Rewrites the ICMPv6 part of an untagged NDP frame (`edit` may return a longer or shorter
 * message), fixes the IPv6 payload length and recomputes the checksum, so only the edit is wrong.
 */
export function editIcmpv6(frame: Uint8Array, edit: (icmp: Uint8Array) => Uint8Array, hopLimit?: number): Uint8Array {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const icmp = edit(frame.slice(icmpAt, icmpAt + view.getUint16(18)));
  const out = new Uint8Array(icmpAt + icmp.length);
  out.set(frame.subarray(0, icmpAt));
  new DataView(out.buffer).setUint16(18, icmp.length);
  if (hopLimit !== undefined) out[21] = hopLimit;
  icmp[2] = 0;
  icmp[3] = 0;
  const sum = icmpv6Checksum(out.subarray(22, 38), out.subarray(38, 54), icmp);
  icmp[2] = sum >> 8;
  icmp[3] = sum & 0xff;
  out.set(icmp, icmpAt);
  return out;
}

/** Overwrites the IPv6 source and destination of an untagged frame (checksum left as it was). */
export function withAddresses(frame: Uint8Array, src: IPv6, dst: IPv6): Uint8Array {
  const out = frame.slice();
  out.set(ipv6Bytes(src), 22);
  out.set(ipv6Bytes(dst), 38);
  return out;
}
