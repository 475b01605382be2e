// Which of the node's interfaces get a responder (reference §6.2): up, broadcast-capable, ARP
// enabled, not a bond/bridge port, not excluded by name. Pure; sysfs-interfaces.ts reads the facts.

import type { IPv6 } from '../../net/ip.ts';
import { ipv6FromBytes, type Mac } from './codec/bytes.ts';

/** linux/if.h: net_device_flags as /sys/class/net/IF/flags prints them. */
export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_LOOPBACK = 0x8;
export const IFF_NOARP = 0x80;

/** What one scan learns about an interface. */
export type InterfaceInfo = {
  readonly ifname: string;
  readonly ifindex: number;
  readonly flags: number;
  /** /sys/class/net/IF/address; null when unreadable. */
  readonly mac: Mac | null;
  /** /sys/class/net/IF/master exists: a bond, bridge or VRF port, whose master answers instead. */
  readonly enslaved: boolean;
  /** The first fe80::/10 address, or null (NS are then not answered, as in MetalLB). */
  readonly linkLocal: IPv6 | null;
};

export const ineligibleReasons = ['down', 'no-broadcast', 'loopback', 'noarp', 'enslaved', 'excluded'] as const;
export type IneligibleReason = (typeof ineligibleReasons)[number];

/** null when the interface gets a responder; otherwise why not. */
export function ineligibility(i: InterfaceInfo, exclude: readonly RegExp[]): IneligibleReason | null {
  if ((i.flags & IFF_UP) === 0) return 'down';
  if ((i.flags & IFF_LOOPBACK) !== 0) return 'loopback';
  if ((i.flags & IFF_BROADCAST) === 0) return 'no-broadcast';
  if ((i.flags & IFF_NOARP) !== 0) return 'noarp';
  if (i.enslaved) return 'enslaved';
  // String.search ignores lastIndex, so a /g pattern cannot make this stateful.
  if (exclude.some((re) => i.ifname.search(re) >= 0)) return 'excluded';
  return null;
}

/** The interfaces that get a responder, by name. */
export function eligibleInterfaces(infos: readonly InterfaceInfo[], exclude: readonly RegExp[]): InterfaceInfo[] {
  return infos.filter((i) => ineligibility(i, exclude) === null).sort((a, b) => (a.ifname < b.ifname ? -1 : a.ifname > b.ifname ? 1 : 0));
}

/**
 * Parses /proc/net/if_inet6 (one line per address: 32 hex digits, ifindex, prefix length, scope,
 * flags, ifname) into the first link-scope (0x20) address per interface name.
 */
export function linkLocalsFromProc(text: string): Map<string, IPv6> {
  const out = new Map<string, IPv6>();
  for (const line of text.split('\n')) {
    const [hex, , , scope, , ifname] = line.trim().split(/\s+/);
    if (hex === undefined || ifname === undefined || scope !== '20' || !/^[0-9a-f]{32}$/i.test(hex) || out.has(ifname)) continue;
    out.set(ifname, ipv6FromBytes(Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16))));
  }
  return out;
}
