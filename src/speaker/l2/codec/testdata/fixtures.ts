// Loads the captured frames beside this file (see README.md for how capture.sh made them).

import { readFileSync } from 'node:fs';

export const fixtureNames = [
  'arp-request',
  'arp-reply',
  'arp-gratuitous-request',
  'arp-gratuitous-reply',
  'arp-request-vlan',
  'ns-multicast',
  'ns-unicast',
  'ns-dad',
  'na-solicited',
  'na-solicited-no-tlla',
  'na-unsolicited',
  'mld-report',
  'router-solicitation',
  'udp4',
  'udp6',
] as const;
export type FixtureName = (typeof fixtureNames)[number];

/** Hex text to bytes, ignoring whitespace and "#" comment lines. */
function fromHex(text: string): Uint8Array {
  const digits = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('')
    .replace(/\s+/g, '');
  if (digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits)) throw new Error('fixture is not hex');
  return Uint8Array.from({ length: digits.length / 2 }, (_, i) => parseInt(digits.slice(2 * i, 2 * i + 2), 16));
}

const cache = new Map<FixtureName, Uint8Array>();

/** A fresh copy of the frame, safe to mutate. */
export function fixture(name: FixtureName): Uint8Array {
  let bytes = cache.get(name);
  if (bytes === undefined) {
    bytes = fromHex(readFileSync(new URL(`./${name}.hex`, import.meta.url), 'utf8'));
    cache.set(name, bytes);
  }
  return bytes.slice();
}

/** The addresses capture.sh gave its two namespaces. */
export const lab = {
  macA: '02:00:5e:10:00:0a',
  macB: '02:00:5e:10:00:0b',
  ipv4A: '192.0.2.1',
  ipv4B: '192.0.2.2',
  ipv6A: '2001:db8::1',
  ipv6B: '2001:db8::2',
  linkLocalA: 'fe80::5eff:fe10:a',
  linkLocalB: 'fe80::5eff:fe10:b',
} as const;
