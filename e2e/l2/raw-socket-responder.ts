// Child process for e2e/l2/raw-socket.test.ts, started inside a namespace with `ip netns exec`
// (a Node process cannot move one thread into another netns). Prints one JSON event per line.
//
//   respond IFNAME  answers ARP for 192.0.2.10 and NS for 2001:db8::10 with hand-built frames;
//                   stdin commands: `leave` (drop the solicited-node group), `close` (print what
//                   each link saw, close every link, and let the event loop end by itself)
//   errors IFNAME   prints how misuse and failures surface, then exits
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { openRawLink } from '../../src/speaker/l2/raw-socket.ts';

export const ANSWERED_IPV4 = [192, 0, 2, 10] as const;
export const ANSWERED_IPV6 = [0x20, 0x01, 0x0d, 0xb8, ...Array<number>(11).fill(0), 0x10] as const;
/** 33:33 + the last 32 bits of ff02::1:ff00:10, the solicited-node group of 2001:db8::10. */
export const SOLICITED_NODE_MAC = [0x33, 0x33, 0xff, 0x00, 0x00, 0x10] as const;

const emit = (event: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(event)}\n`);
const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
const ipv4 = (bytes: Uint8Array): string => bytes.join('.');
const same = (a: Uint8Array, b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const ethertype = (frame: Uint8Array): number => ((frame[12] ?? 0) << 8) | (frame[13] ?? 0);

/** ARP reply (RFC 826) claiming ANSWERED_IPV4 for `request`'s sender. */
function arpReply(request: Uint8Array, mac: Uint8Array): Uint8Array {
  const sha = request.subarray(22, 28);
  const spa = request.subarray(28, 32);
  return Uint8Array.from([
    ...sha, ...mac, 0x08, 0x06,
    0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x02, ...mac, ...ANSWERED_IPV4, ...sha, ...spa,
  ]);
}

/** Solicited, override NA (RFC 4861 §4.4) for ANSWERED_IPV6 with a target link-layer option. */
function neighbourAdvert(solicit: Uint8Array, mac: Uint8Array): Uint8Array {
  const srcMac = solicit.subarray(6, 12);
  const srcIp = solicit.subarray(22, 38);
  const icmp = [136, 0, 0, 0, 0x60, 0, 0, 0, ...ANSWERED_IPV6, 2, 1, ...mac];
  const pseudo = [...ANSWERED_IPV6, ...srcIp, 0, 0, 0, icmp.length, 0, 0, 0, 58];
  let sum = 0;
  const words = [...pseudo, ...icmp];
  for (let i = 0; i < words.length; i += 2) sum += ((words[i] ?? 0) << 8) | (words[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const checksum = ~sum & 0xffff;
  icmp[2] = checksum >>> 8;
  icmp[3] = checksum & 0xff;
  return Uint8Array.from([
    ...srcMac, ...mac, 0x86, 0xdd,
    0x60, 0, 0, 0, 0, icmp.length, 58, 255, ...ANSWERED_IPV6, ...srcIp, ...icmp,
  ]);
}

/** Ethertype, then the IPv4 protocol, IPv6 next header or ICMPv6 type: `86dd/icmp6-135`. */
function kind(frame: Uint8Array): string {
  const type = ethertype(frame).toString(16).padStart(4, '0');
  if (type === '0800') return `${type}/proto-${frame[23]}`;
  if (type === '86dd') return frame[20] === 58 ? `${type}/icmp6-${frame[54]}` : `${type}/nh-${frame[20]}`;
  return type;
}

function respond(ifname: string): void {
  const onError = (link: string) => (error: Error): void =>
    emit({ event: 'error', link, code: (error as NodeJS.ErrnoException).code, message: error.message });
  const arp = openRawLink(ifname, { protocols: 'arp', onError: onError('arp') });
  const nd = openRawLink(ifname, { protocols: 'ipv6', onError: onError('nd') });
  const both = openRawLink(ifname, { protocols: 'arp+ipv6', onError: onError('both') });
  // The control: the addon with no filter at all, to show the filters had something to drop.
  const addon = createRequire(import.meta.url)('../../native/build/Release/packet_socket.node') as {
    open(i: string, p: number, f: unknown[], cb: (e: Error | null, f?: Uint8Array) => void): object;
    close(h: object): void;
  };
  const seen = { arp: new Set<string>(), nd: new Set<string>(), both: new Set<string>(), unfiltered: new Set<string>() };
  let ownFramesSeen = 0;
  arp.onFrame((frame) => seen.arp.add(kind(frame)));
  nd.onFrame((frame) => seen.nd.add(kind(frame)));
  const unfiltered = addon.open(ifname, 0x0003, [], (error, frame) => {
    if (frame !== undefined && !seen.unfiltered.has(kind(frame))) {
      seen.unfiltered.add(kind(frame));
      emit({ event: 'unfiltered', kind: kind(frame) });
    }
    if (error !== null) onError('unfiltered')(error);
  });
  both.onFrame((frame) => {
    seen.both.add(kind(frame));
    if (same(frame.subarray(6, 12), [...both.mac])) ownFramesSeen += 1;
    if (kind(frame) === '0806' && frame[21] === 1 && same(frame.subarray(38, 42), [...ANSWERED_IPV4])) {
      emit({ event: 'arp-request', senderIp: ipv4(frame.subarray(28, 32)), senderMac: hex(frame.subarray(22, 28)) });
      both.send(arpReply(frame, both.mac));
    } else if (kind(frame) === '86dd/icmp6-135' && same(frame.subarray(62, 78), [...ANSWERED_IPV6])) {
      emit({ event: 'ns', destinationMac: hex(frame.subarray(0, 6)), sourceMac: hex(frame.subarray(6, 12)) });
      both.send(neighbourAdvert(frame, both.mac));
    }
  });
  both.joinMulticast(Uint8Array.from(SOLICITED_NODE_MAC));
  emit({ event: 'ready', mac: hex(both.mac), ifindex: both.ifindex });

  const commands = createInterface({ input: process.stdin });
  commands.on('line', (line) => {
    if (line === 'leave') {
      both.leaveMulticast(Uint8Array.from(SOLICITED_NODE_MAC));
      emit({ event: 'left' });
    } else if (line === 'close') {
      const list = (set: Set<string>): string[] => [...set].sort();
      emit({
        event: 'summary', ownFramesSeen,
        arp: list(seen.arp), nd: list(seen.nd), both: list(seen.both), unfiltered: list(seen.unfiltered),
      });
      for (const link of [arp, nd, both]) link.close();
      addon.close(unfiltered);
      commands.close();
      process.stdin.destroy(); // nothing is left on the event loop now: the process must end
    }
  });
}

/** Runs `step`, returning what it threw as plain data. */
function outcome(step: () => unknown): Record<string, unknown> {
  try {
    step();
    return { threw: false };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { threw: true, name: e.name, code: e.code, errno: e.errno, syscall: e.syscall, message: e.message };
  }
}

function errors(ifname: string): void {
  const addon = createRequire(import.meta.url)('../../native/build/Release/packet_socket.node') as {
    open(i: string, p: number, f: unknown[], cb: () => void): object;
  };
  const link = openRawLink(ifname, { protocols: 'arp' });
  emit({
    event: 'errors',
    missingInterface: outcome(() => openRawLink('blb-missing0', { protocols: 'arp' })),
    badFilter: outcome(() => addon.open(ifname, 0x0806, [[0xffff, 0, 0, 0]], () => undefined)),
    shortFrame: outcome(() => link.send(new Uint8Array(3))),
    unicastGroup: outcome(() => link.joinMulticast(Uint8Array.from([2, 0, 0, 0, 0, 1]))),
    closeOnce: outcome(() => link.close()),
    closeTwice: outcome(() => link.close()),
    sendAfterClose: outcome(() => link.send(new Uint8Array(60))),
  });
}

const [mode, ifname] = process.argv.slice(2);
if (ifname === undefined) throw new Error('usage: raw-socket-responder.ts respond|errors IFNAME');
if (mode === 'respond') respond(ifname);
else if (mode === 'errors') errors(ifname);
else throw new Error(`unknown mode ${mode}`);
