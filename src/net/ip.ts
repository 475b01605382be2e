// IP addresses as branded, canonical strings (dotted quad; RFC 5952 for IPv6) with bigint arithmetic.
// Canonical text makes `===` and Map keys safe; every raw string IP stops at parseIP.

import { err, ok, type Result } from '../core/result.ts';
import { memoized } from '../core/memoized.ts';

declare const ipBrand: unique symbol;
export type IPv4 = string & { readonly [ipBrand]: 'IPv4' };
export type IPv6 = string & { readonly [ipBrand]: 'IPv6' };
export type IP = IPv4 | IPv6;

export const families = ['ipv4', 'ipv6'] as const;
export type Family = (typeof families)[number];

/** Number of bits in an address of the family. */
export const familyBits = (family: Family): 32 | 128 => (family === 'ipv4' ? 32 : 128);

const v4Octet = /^(0|[1-9][0-9]{0,2})$/;

function parseV4Value(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!v4Octet.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

const hextet = /^[0-9a-fA-F]{1,4}$/;

function parseGroups(text: string): bigint[] | undefined {
  if (text === '') return [];
  const out: bigint[] = [];
  const parts = text.split(':');
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseV4Value(part);
      if (v4 === undefined) return undefined;
      out.push(v4 >> 16n, v4 & 0xffffn);
    } else if (hextet.test(part)) {
      out.push(BigInt(parseInt(part, 16)));
    } else {
      return undefined;
    }
  }
  return out;
}

/**
 * Every snapshot parses and prints the same IPv6 addresses again (Services, slices, state,
 * frr.conf lines); with 10,000 Services the bigint work was a third of a speaker's reload. Small
 * since the parse caches keep each object's reading: a memo of every address (up to 131 072)
 * held 1-1.4 MB per memo at 10 000 Services, and was no faster: bench/bgp-convergence/profile.ts at
 * 10 000 took 48 ms per change with it and 39 ms without (run-to-run spread), memory.ts's first
 * round 3.80 s and 3.77 s.
 */
const MEMO_MAX = 1 << 12;

const parseV6Value = memoized(parseV6ValueUncached, MEMO_MAX);

function parseV6ValueUncached(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<bigint>(missing).fill(0n), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

function formatV4(value: bigint): IPv4 {
  return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.') as IPv4;
}

const formatV6 = memoized(formatV6Uncached, MEMO_MAX);

/** RFC 5952 §4: lowercase, no leading zeros, longest run (>= 2) of zero groups as "::", first on ties. */
function formatV6Uncached(value: bigint): IPv6 {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':') as IPv6;
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  // join, not a template: one flat string rather than a ConsString over pieces (kept per address).
  return [head, tail].join('::') as IPv6;
}

/**
 * Parses an IPv4 dotted quad (no leading zeros, as Go's net.ParseIP) or an IPv6 address
 * (no zone). An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address, as in Go.
 */
export function parseIP(text: string): Result<IP, string> {
  const t = text.trim();
  const v4 = parseV4Value(t);
  if (v4 !== undefined) return ok(formatV4(v4));
  if (t.includes(':')) {
    const v6 = parseV6Value(t);
    if (v6 !== undefined) {
      if (v6 >> 32n === 0xffffn) return ok(formatV4(v6 & 0xffffffffn));
      return ok(formatV6(v6));
    }
  }
  return err(`"${text}" is not an IP address`);
}

export const ipFamily = (ip: IP): Family => (ip.includes(':') ? 'ipv6' : 'ipv4');

export function ipToBigInt(ip: IP): bigint {
  const value = ipFamily(ip) === 'ipv4' ? parseV4Value(ip) : parseV6Value(ip);
  if (value === undefined) throw new Error(`not a canonical IP: ${ip}`);
  return value;
}

export function bigIntToIP(value: bigint, family: Family): IP {
  const max = (1n << BigInt(familyBits(family))) - 1n;
  if (value < 0n || value > max) throw new Error(`${value} is outside the ${family} address space`);
  return family === 'ipv4' ? formatV4(value) : formatV6(value);
}

/** Orders IPv4 before IPv6, then numerically. */
export function compareIP(a: IP, b: IP): number {
  const fa = ipFamily(a);
  const fb = ipFamily(b);
  if (fa !== fb) return fa === 'ipv4' ? -1 : 1;
  const va = ipToBigInt(a);
  const vb = ipToBigInt(b);
  return va < vb ? -1 : va > vb ? 1 : 0;
}
