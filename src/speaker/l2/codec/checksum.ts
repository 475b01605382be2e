// The ICMPv6 checksum (RFC 4443 §2.3): one's-complement sum over the RFC 8200 §8.1
// pseudo-header (source, destination, upper-layer length, next header 58) and the message.

import { nextHeaderIcmpv6 } from './ipv6.ts';

function sumWords(bytes: Uint8Array, initial: number): number {
  let sum = initial;
  const even = bytes.length & ~1;
  for (let i = 0; i < even; i += 2) sum += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  if (even !== bytes.length) sum += (bytes[even] ?? 0) << 8;
  return sum;
}

function fold(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

function pseudoHeaderSum(src: Uint8Array, dst: Uint8Array, length: number): number {
  const hiLen = Math.floor(length / 0x10000);
  return sumWords(src, 0) + sumWords(dst, 0) + hiLen + (length & 0xffff) + nextHeaderIcmpv6;
}

/**
 * The checksum to put in bytes 2..3 of `message`, computed as if those bytes were zero.
 * `src` and `dst` are the 16-byte IPv6 addresses.
 */
export function icmpv6Checksum(src: Uint8Array, dst: Uint8Array, message: Uint8Array): number {
  const stored = message.length >= 4 ? (((message[2] ?? 0) << 8) | (message[3] ?? 0)) : 0;
  const sum = sumWords(message, pseudoHeaderSum(src, dst, message.length)) - stored;
  return ~fold(sum) & 0xffff;
}

/** True when the stored checksum is correct (0x0000 and 0xffff are both accepted for a zero result). */
export function icmpv6ChecksumValid(src: Uint8Array, dst: Uint8Array, message: Uint8Array): boolean {
  return fold(sumWords(message, pseudoHeaderSum(src, dst, message.length))) === 0xffff;
}
