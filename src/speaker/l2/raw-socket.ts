// The raw-socket adapter: a RawLink over the AF_PACKET addon (native/), one socket per interface,
// with a classic BPF filter so that the kernel queues only ARP and/or IPv6 neighbour discovery
// (RFC 4861 NS/NA) for us. The addon is loaded on first use, so importing this module never fails.
import { createRequire } from 'node:module';
import type { RawLink } from './ports.ts';

export type { RawLink } from './ports.ts';

/** What a link listens to. `arp+ipv6` binds one socket to every ethertype (ETH_P_ALL). */
export const RAW_PROTOCOLS = ['arp', 'ipv6', 'arp+ipv6'] as const;
export type RawProtocols = (typeof RAW_PROTOCOLS)[number];

export type RawLinkOptions = {
  readonly protocols: RawProtocols;
  /**
   * Receive errors (the socket stays open): ENETDOWN once when the link goes down or the
   * interface is deleted; anything else also stops delivery. Default: a process warning.
   */
  readonly onError?: (error: Error) => void;
};

/** One classic BPF instruction as the kernel's struct sock_filter: [code, jt, jf, k]. */
export type BpfInstruction = readonly [code: number, jt: number, jf: number, k: number];

// Ethertypes (IEEE 802 numbers) and IP/ICMPv6 numbers the filters test.
const ETH_P_ALL = 0x0003;
const ETH_P_ARP = 0x0806;
const ETH_P_IPV6 = 0x86dd;
const IPPROTO_ICMPV6 = 58;
const ND_NEIGHBOR_SOLICIT = 135;
const ND_NEIGHBOR_ADVERT = 136;
// Offsets in an untagged Ethernet II frame: ethertype, IPv6 next header, ICMPv6 type.
const OFFSET_ETHERTYPE = 12;
const OFFSET_IPV6_NEXT_HEADER = 14 + 6;
const OFFSET_ICMPV6_TYPE = 14 + 40;
// linux/filter.h: BPF_LD|BPF_B|BPF_ABS, BPF_LD|BPF_H|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_RET|BPF_K.
const LDB = 0x30;
const LDH = 0x28;
const JEQ = 0x15;
const RET = 0x06;
// SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT: 1 when the NIC stripped an 802.1Q tag into metadata.
const ANCILLARY_VLAN_TAG_PRESENT = 0xfffff000 + 48;
const ACCEPT_BYTES = 0x40000; // what tcpdump uses: whole frame

type Target = 'next' | 'accept' | 'drop';
type Step = readonly ['ldb' | 'ldh', number] | readonly ['jeq', number, Target, Target];

/**
 * Assembles steps followed by `ret accept; ret drop`. A tagged frame is dropped first: on the
 * parent interface it belongs to a VLAN sub-interface, and a reply from here would go untagged.
 */
function assemble(body: readonly Step[]): BpfInstruction[] {
  const steps: readonly Step[] = [['ldb', ANCILLARY_VLAN_TAG_PRESENT], ['jeq', 1, 'drop', 'next'], ...body];
  const accept = steps.length;
  const drop = accept + 1;
  const jump = (from: number, target: Target): number =>
    target === 'next' ? 0 : (target === 'accept' ? accept : drop) - from - 1;
  const program = steps.map((step, index): BpfInstruction => {
    switch (step[0]) {
      case 'ldb':
        return [LDB, 0, 0, step[1]];
      case 'ldh':
        return [LDH, 0, 0, step[1]];
      case 'jeq':
        return [JEQ, jump(index, step[2]), jump(index, step[3]), step[1]];
      default:
        return step satisfies never;
    }
  });
  return [...program, [RET, 0, 0, ACCEPT_BYTES], [RET, 0, 0, 0]];
}

// NS and NA carry no extension headers in practice (RFC 4861 §7.1 accepts them, nobody sends them).
const NEIGHBOUR_DISCOVERY: readonly Step[] = [
  ['ldb', OFFSET_IPV6_NEXT_HEADER], ['jeq', IPPROTO_ICMPV6, 'next', 'drop'],
  ['ldb', OFFSET_ICMPV6_TYPE], ['jeq', ND_NEIGHBOR_SOLICIT, 'accept', 'next'], ['jeq', ND_NEIGHBOR_ADVERT, 'accept', 'drop'],
];

/**
 * The socket's ethertype and filter. Apart from the VLAN prefix, the programs equal tcpdump -dd of
 * `arp`, `ip6 and ip6[6] == 58 and (ip6[40] == 135 or ip6[40] == 136)` and `arp or (that)`.
 */
export function filterFor(protocols: RawProtocols): { readonly ethertype: number; readonly program: BpfInstruction[] } {
  switch (protocols) {
    case 'arp':
      return { ethertype: ETH_P_ARP, program: assemble([['ldh', OFFSET_ETHERTYPE], ['jeq', ETH_P_ARP, 'accept', 'drop']]) };
    case 'ipv6':
      return {
        ethertype: ETH_P_IPV6,
        program: assemble([['ldh', OFFSET_ETHERTYPE], ['jeq', ETH_P_IPV6, 'next', 'drop'], ...NEIGHBOUR_DISCOVERY]),
      };
    case 'arp+ipv6':
      return {
        ethertype: ETH_P_ALL,
        program: assemble([
          ['ldh', OFFSET_ETHERTYPE], ['jeq', ETH_P_ARP, 'accept', 'next'], ['jeq', ETH_P_IPV6, 'next', 'drop'],
          ...NEIGHBOUR_DISCOVERY,
        ]),
      };
    default:
      return protocols satisfies never;
  }
}

/** What native/src/packet_socket.c exports. */
type PacketSocketHandle = { readonly ifname: string; readonly ifindex: number; readonly mac: Uint8Array };
type FrameCallback = (error: Error | null, frame?: Uint8Array, packetType?: number) => void;
type PacketSocketAddon = {
  open(ifname: string, protocol: number, filter: readonly BpfInstruction[], callback: FrameCallback): PacketSocketHandle;
  send(handle: PacketSocketHandle, frame: Uint8Array): void;
  addMembership(handle: PacketSocketHandle, mac: Uint8Array): void;
  dropMembership(handle: PacketSocketHandle, mac: Uint8Array): void;
  close(handle: PacketSocketHandle): void;
};

const ADDON_PATH = '../../../native/build/Release/packet_socket.node';
const ADDON_FUNCTIONS = ['open', 'send', 'addMembership', 'dropMembership', 'close'] as const;
let addon: PacketSocketAddon | undefined;

function loadAddon(): PacketSocketAddon {
  if (addon !== undefined) return addon;
  let loaded: unknown;
  try {
    loaded = createRequire(import.meta.url)(ADDON_PATH);
  } catch (error) {
    throw new Error(`cannot load the AF_PACKET addon (build it with npm ci or node native/build.ts)`, { cause: error });
  }
  const exports = loaded as Record<string, unknown>;
  const missing = ADDON_FUNCTIONS.filter((name) => typeof exports[name] !== 'function');
  if (missing.length > 0) throw new Error(`the AF_PACKET addon lacks ${missing.join(', ')}: rebuild it`);
  addon = loaded as PacketSocketAddon;
  return addon;
}

function checkMulticast(mac: Uint8Array): Uint8Array {
  // The group bit is the least significant bit of the first octet (IEEE 802).
  if (mac.length !== 6 || ((mac[0] ?? 0) & 1) === 0) {
    throw new RangeError(`not a 6-byte multicast MAC: ${Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join(':')}`);
  }
  return mac;
}

/**
 * Opens `ifname` for raw Ethernet frames (root or CAP_NET_RAW). Delivers every filtered frame
 * except the ones this host sends; the socket keeps the event loop alive until `close()`.
 */
export function openRawLink(ifname: string, opts: RawLinkOptions): RawLink {
  const native = loadAddon();
  const { ethertype, program } = filterFor(opts.protocols);
  const listeners: ((frame: Uint8Array) => void)[] = [];
  const onError = opts.onError ?? ((error: Error) => process.emitWarning(error));
  let closed = false;
  const handle: PacketSocketHandle = native.open(ifname, ethertype, program, (error, frame) => {
    if (error !== null) onError(error);
    else if (frame !== undefined) for (const listener of listeners) listener(frame);
    // The addon holds this callback while open; naming `link` here keeps the link and its handle
    // reachable, so an open link is never collected and closed by the addon's finalizer.
    void link;
  });
  const link: RawLink = {
    ifname: handle.ifname,
    ifindex: handle.ifindex,
    mac: handle.mac,
    send: (frame) => native.send(handle, frame),
    onFrame: (cb) => void listeners.push(cb),
    joinMulticast: (mac) => native.addMembership(handle, checkMulticast(mac)),
    leaveMulticast: (mac) => native.dropMembership(handle, checkMulticast(mac)),
    close: () => {
      if (closed) return;
      closed = true;
      listeners.length = 0;
      native.close(handle);
    },
  };
  return link;
}
