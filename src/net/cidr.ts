// CIDR prefixes and address ranges over bigint. A Cidr is always canonical: host bits are zero.

import { err, ok, type Result } from '../core/result.ts';
import { bigIntToIP, familyBits, hostBitsZero, ipFamily, ipToBigInt, parseIP, type Family, type IP } from './ip.ts';

declare const cidrBrand: unique symbol;
/** Canonical prefix text, e.g. "192.0.2.0/24" or "2001:db8::/64". */
export type CidrText = string & { readonly [cidrBrand]: 'Cidr' };

export type Cidr = {
  readonly family: Family;
  /** First address of the prefix (host bits zero). */
  readonly base: bigint;
  readonly prefixLen: number;
  readonly text: CidrText;
};

/** An inclusive range of addresses of one family. */
export type IPRange = { readonly family: Family; readonly first: bigint; readonly last: bigint };

export function makeCidr(family: Family, address: bigint, prefixLen: number): Cidr {
  const bits = familyBits(family);
  const hostBits = BigInt(bits - prefixLen);
  const base = (address >> hostBits) << hostBits;
  const text = [bigIntToIP(base, family), prefixLen].join('/') as CidrText;
  return { family, base, prefixLen, text };
}

/** Parses "a.b.c.d/n" or "v6/n"; host bits are normalised away as Go's ParseCIDR does. */
export function parseCidr(text: string): Result<Cidr, string> {
  const t = text.trim();
  const slash = t.indexOf('/');
  if (slash < 0) return err(`"${text}" is not a CIDR (missing "/prefix-length")`);
  const ip = parseIP(t.slice(0, slash));
  if (!ip.ok || (t.slice(0, slash).includes(':') && ipFamily(ip.value) === 'ipv4')) {
    return err(`"${text}" is not a CIDR (bad address)`);
  }
  const lenText = t.slice(slash + 1);
  const family = ipFamily(ip.value);
  const len = PREFIX_LENGTH.test(lenText) ? Number(lenText) : NaN;
  if (!(len >= 0 && len <= familyBits(family))) {
    return err(`"${text}" is not a CIDR (prefix length must be 0..${familyBits(family)})`);
  }
  return ok(makeCidr(family, ipToBigInt(ip.value), len));
}

const PREFIX_LENGTH = /^(0|[1-9][0-9]{0,2})$/;

/**
 * The canonical text of prefix `text`, null when it is no prefix. Text that is canonical already
 * comes back as it is, without parseCidr's bigint work and allocations: a speaker reads thousands
 * of prefixes from each frr.conf it compares.
 */
export function canonicalCidrText(text: string): string | null {
  const slash = text.indexOf('/');
  if (slash > 0) {
    const address = text.slice(0, slash);
    const lenText = text.slice(slash + 1);
    const ip = parseIP(address);
    if (ip.ok && ip.value === address && PREFIX_LENGTH.test(lenText)) {
      const len = Number(lenText);
      if (len <= familyBits(ipFamily(ip.value)) && hostBitsZero(ip.value, len)) return text;
    }
  }
  const cidr = parseCidr(text);
  return cidr.ok ? cidr.value.text : null;
}

export const cidrSize = (c: Cidr): bigint => 1n << BigInt(familyBits(c.family) - c.prefixLen);
export const cidrLast = (c: Cidr): bigint => c.base + cidrSize(c) - 1n;
export const cidrRange = (c: Cidr): IPRange => ({ family: c.family, first: c.base, last: cidrLast(c) });

export function cidrContains(c: Cidr, ip: IP): boolean {
  if (ipFamily(ip) !== c.family) return false;
  const v = ipToBigInt(ip);
  return v >= c.base && v <= cidrLast(c);
}

export const cidrsOverlap = (a: Cidr, b: Cidr): boolean =>
  a.family === b.family && a.base <= cidrLast(b) && b.base <= cidrLast(a);

/** The minimal list of CIDRs covering exactly [first, last], in address order. */
export function rangeToCidrs(range: IPRange): Cidr[] {
  const bits = familyBits(range.family);
  const out: Cidr[] = [];
  let cur = range.first;
  while (cur <= range.last) {
    // Largest block aligned at `cur` that does not pass `last`.
    let size = 1n;
    let len = bits;
    while (len > 0 && (cur & (size * 2n - 1n)) === 0n && cur + size * 2n - 1n <= range.last) {
      size *= 2n;
      len--;
    }
    out.push(makeCidr(range.family, cur, len));
    cur += size;
  }
  return out;
}

/** The prefix of `len` bits that contains `ip` (used for BGP aggregation). */
export function maskIP(ip: IP, len: number): Cidr {
  const family = ipFamily(ip);
  // The address is the prefix's base already (a /32 or /128: each Service address, every round):
  // its text is the prefix's without printing the base again.
  if (hostBitsZero(ip, len)) return { family, base: ipToBigInt(ip), prefixLen: len, text: [ip, len].join('/') as CidrText };
  return makeCidr(family, ipToBigInt(ip), len);
}
