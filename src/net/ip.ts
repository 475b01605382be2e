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

// Parsing scans the text once into 16-bit groups (module scratch, never kept) without regexes,
// splits or a bigint per group: at 10 000 Services a speaker's first round parsed ~50 000
// addresses, and the bigint version made ~3 KB of garbage each (150 of the round's ~460 MB
// allocated, bench/k8s-scale/memory.ts with allocation sampling). Text that is canonical already,
// as nearly all of it is (status, slices, our own frr.conf), is returned as it is.

const scratchA = new Uint16Array(8);
const scratchB = new Uint16Array(8);

/** 0-15 for a hex digit's character code, -1 for anything else. */
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/**
 * The dotted quad in t[from, to) as a number (0 … 2^32 − 1), or -1: four decimal octets up to 255
 * without leading zeros (as Go's net.ParseIP). Such text is canonical as it is.
 */
function scanV4(t: string, from: number, to: number): number {
  let value = 0;
  let i = from;
  for (let octets = 0; octets < 4; octets += 1) {
    if (octets > 0) {
      if (i >= to || t.charCodeAt(i) !== 46) return -1;
      i += 1;
    }
    const start = i;
    let octet = 0;
    while (i < to && i - start < 4) {
      const c = t.charCodeAt(i);
      if (c < 48 || c > 57) break;
      octet = octet * 10 + (c - 48);
      i += 1;
    }
    const digits = i - start;
    if (digits === 0 || digits > 3 || (digits > 1 && t.charCodeAt(start) === 48) || octet > 255) return -1;
    value = value * 256 + octet;
  }
  return i === to ? value : -1;
}

/** Reads IPv6 text (no zone; a dotted-quad tail allowed) into `g`; false when it is not one. */
function scanV6(t: string, g: Uint16Array): boolean {
  const n = t.length;
  let count = 0;
  /** Where "::" stands: the index of the group after it, or -1. */
  let gap = -1;
  let i = 0;
  if (n >= 2 && t.charCodeAt(0) === 58) {
    if (t.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
  }
  while (i < n) {
    const start = i;
    let v = 0;
    while (i < n && i - start < 5) {
      const d = hexValue(t.charCodeAt(i));
      if (d < 0) break;
      v = v * 16 + d;
      i += 1;
    }
    if (i < n && t.charCodeAt(i) === 46) {
      // A dotted quad ends the text and takes two groups.
      const v4 = scanV4(t, start, n);
      if (v4 < 0 || count > 6) return false;
      g[count] = Math.floor(v4 / 65536);
      g[count + 1] = v4 % 65536;
      count += 2;
      i = n;
      break;
    }
    const digits = i - start;
    if (digits === 0 || digits > 4 || count === 8) return false;
    g[count] = v;
    count += 1;
    if (i === n) break;
    if (t.charCodeAt(i) !== 58) return false;
    i += 1;
    if (i < n && t.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = count;
      i += 1;
    } else if (i === n) {
      return false;
    }
  }
  if (gap < 0) return count === 8;
  // "::" stands for at least one group: move the groups after it to the end, zeros between.
  if (count > 7) return false;
  const after = count - gap;
  for (let k = 1; k <= after; k += 1) g[8 - k] = g[count - k] ?? 0;
  for (let k = gap; k < 8 - after; k += 1) g[k] = 0;
  return true;
}

/** RFC 5952 §4.2.3: the first longest run of two or more zero groups, as start * 16 + length; -1 without one. */
function zeroRun(g: Uint16Array): number {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j += 1;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  return best < 0 ? -1 : best * 16 + bestLen;
}

/** Where group `v`, written canonically (lowercase, no leading zeros), ends in `t` from `p`; -1 if it is not there. */
function matchGroup(t: string, p: number, v: number): number {
  const digits = v >= 0x1000 ? 4 : v >= 0x100 ? 3 : v >= 0x10 ? 2 : 1;
  for (let d = digits - 1; d >= 0; d -= 1) {
    const nibble = (v >> (4 * d)) & 15;
    if (t.charCodeAt(p) !== (nibble < 10 ? 48 + nibble : 87 + nibble)) return -1;
    p += 1;
  }
  return p;
}

/** Where groups [from, to) written canonically and joined by ":" end in `t` from `p`; -1 if they are not there. */
function matchGroups(t: string, p: number, g: Uint16Array, from: number, to: number): number {
  for (let i = from; i < to && p >= 0; i += 1) {
    if (i > from) {
      if (t.charCodeAt(p) !== 58) return -1;
      p += 1;
    }
    p = matchGroup(t, p, g[i] ?? 0);
  }
  return p;
}

/** Whether `t` is exactly the RFC 5952 text of `g`. */
function isCanonicalV6(t: string, g: Uint16Array): boolean {
  const run = zeroRun(g);
  if (run < 0) return matchGroups(t, 0, g, 0, 8) === t.length;
  const start = run >> 4;
  const end = start + (run & 15);
  let p = matchGroups(t, 0, g, 0, start);
  if (p < 0 || t.charCodeAt(p) !== 58 || t.charCodeAt(p + 1) !== 58) return false;
  p = matchGroups(t, p + 2, g, end, 8);
  return p === t.length;
}

/** RFC 5952 §4: lowercase, no leading zeros, the longest run (>= 2) of zero groups as "::", first on ties. */
function formatGroups(g: Uint16Array): IPv6 {
  const hex = Array.from(g, (v) => v.toString(16));
  const run = zeroRun(g);
  if (run < 0) return hex.join(':') as IPv6;
  const start = run >> 4;
  // join, not a template: one flat string rather than a ConsString over pieces (kept per address).
  return [hex.slice(0, start).join(':'), hex.slice(start + (run & 15)).join(':')].join('::') as IPv6;
}

function groupsToBigInt(g: Uint16Array): bigint {
  const word = (i: number): bigint => BigInt((g[i] ?? 0) * 65536 + (g[i + 1] ?? 0));
  return (word(0) << 96n) | (word(2) << 64n) | (word(4) << 32n) | word(6);
}

function bigIntToGroups(value: bigint, g: Uint16Array): Uint16Array {
  let v = value;
  for (let i = 6; i >= 0; i -= 2) {
    const word = Number(BigInt.asUintN(32, v));
    g[i] = word >>> 16;
    g[i + 1] = word & 0xffff;
    v >>= 32n;
  }
  return g;
}

const formatV4Number = (n: number): IPv4 => [Math.floor(n / 2 ** 24), (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.') as IPv4;

/**
 * IPv6 addresses as bigints and back (ipToBigInt, bigIntToIP: pools, ranges, prefixes), memoised.
 * Small: a memo of every address (up to 131 072) held 1-1.4 MB per memo at 10 000 Services and was
 * no faster (bench/bgp-convergence/profile.ts at 10 000: 48 ms per change with it, 39 ms without).
 */
const MEMO_MAX = 1 << 12;

const parseV6Value = memoized((text: string): bigint | undefined => (scanV6(text, scratchA) ? groupsToBigInt(scratchA) : undefined), MEMO_MAX);

const formatV6 = memoized((value: bigint): IPv6 => formatGroups(bigIntToGroups(value, scratchA)), MEMO_MAX);

/**
 * Parses an IPv4 dotted quad (no leading zeros, as Go's net.ParseIP) or an IPv6 address
 * (no zone). An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address, as in Go.
 */
export function parseIP(text: string): Result<IP, string> {
  const t = text.trim();
  if (scanV4(t, 0, t.length) >= 0) return ok(t as IPv4);
  const g = scratchA;
  if (t.includes(':') && scanV6(t, g)) {
    if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) return ok(formatV4Number((g[6] ?? 0) * 65536 + (g[7] ?? 0)));
    return ok(isCanonicalV6(t, g) ? (t as IPv6) : formatGroups(g));
  }
  return err(`"${text}" is not an IP address`);
}

export const ipFamily = (ip: IP): Family => (ip.includes(':') ? 'ipv6' : 'ipv4');

/** The value of a canonical IPv4 address; throws on anything else. */
function v4Of(ip: IP): number {
  const v = scanV4(ip, 0, ip.length);
  if (v < 0) throw new Error(`not a canonical IP: ${ip}`);
  return v;
}

/** The groups of a canonical IPv6 address, read into `g`; throws on anything else. */
function v6Of(ip: IP, g: Uint16Array): Uint16Array {
  if (!scanV6(ip, g)) throw new Error(`not a canonical IP: ${ip}`);
  return g;
}

export function ipToBigInt(ip: IP): bigint {
  if (ipFamily(ip) === 'ipv4') return BigInt(v4Of(ip));
  const value = parseV6Value(ip);
  if (value === undefined) throw new Error(`not a canonical IP: ${ip}`);
  return value;
}

export function bigIntToIP(value: bigint, family: Family): IP {
  const max = (1n << BigInt(familyBits(family))) - 1n;
  if (value < 0n || value > max) throw new Error(`${value} is outside the ${family} address space`);
  return family === 'ipv4' ? formatV4Number(Number(value)) : formatV6(value);
}

/** Whether the bits of `ip` after its first `prefixLen` are all zero. */
export function hostBitsZero(ip: IP, prefixLen: number): boolean {
  if (ipFamily(ip) === 'ipv4') return v4Of(ip) % 2 ** (32 - prefixLen) === 0;
  const g = v6Of(ip, scratchA);
  for (let i = 0; i < 8; i += 1) {
    const prefixBits = Math.min(16, Math.max(0, prefixLen - 16 * i));
    if (((g[i] ?? 0) & (0xffff >> prefixBits)) !== 0) return false;
  }
  return true;
}

/** Orders IPv4 before IPv6, then numerically (without a bigint: sorting compares often). */
export function compareIP(a: IP, b: IP): number {
  const fa = ipFamily(a);
  const fb = ipFamily(b);
  if (fa !== fb) return fa === 'ipv4' ? -1 : 1;
  if (fa === 'ipv4') {
    const va = v4Of(a);
    const vb = v4Of(b);
    return va < vb ? -1 : va > vb ? 1 : 0;
  }
  const ga = v6Of(a, scratchA);
  const gb = v6Of(b, scratchB);
  for (let i = 0; i < 8; i += 1) {
    const d = (ga[i] ?? 0) - (gb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}
