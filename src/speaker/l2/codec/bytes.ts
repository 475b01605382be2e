// Byte-level value types shared by the codecs: the canonical MAC address string and conversions
// between wire bytes and the canonical IPv4/IPv6 text of src/net/ip.ts.

import { err, ok, type Result } from '../../../core/result.ts';
import { bigIntToIP, ipToBigInt, type IPv4, type IPv6 } from '../../../net/ip.ts';

declare const macBrand: unique symbol;
/** A 48-bit MAC address as lowercase "aa:bb:cc:dd:ee:ff", so `===` and Map keys are safe. */
export type Mac = string & { readonly [macBrand]: 'Mac' };

export const broadcastMac = 'ff:ff:ff:ff:ff:ff' as Mac;
export const zeroMac = '00:00:00:00:00:00' as Mac;

const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Reads 6 bytes at `offset`; the caller has checked the length. */
export function macFromBytes(bytes: Uint8Array, offset = 0): Mac {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(hex[bytes[offset + i] ?? 0] ?? '00');
  return parts.join(':') as Mac;
}

/** Value of one lowercase hex digit (a Mac is canonical lowercase). */
const hexDigit = (c: number): number => (c <= 0x39 ? c - 0x30 : c - 0x57);

// macBytes and ipv4Bytes run for every frame the responder sends: plain loops, no split/parseInt.
export function macBytes(mac: Mac): Uint8Array {
  const out = new Uint8Array(6);
  for (let i = 0; i < 6; i++) out[i] = (hexDigit(mac.charCodeAt(i * 3)) << 4) | hexDigit(mac.charCodeAt(i * 3 + 1));
  return out;
}

const macText = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/** Parses "aa:bb:cc:dd:ee:ff" (either case, ":" or "-" separators). */
export function parseMac(text: string): Result<Mac, string> {
  const t = text.trim().toLowerCase().replaceAll('-', ':');
  return macText.test(t) ? ok(t as Mac) : err(`"${text}" is not a MAC address`);
}

/** The I/G bit: group (multicast or broadcast) addresses. */
export const isGroupMac = (mac: Mac): boolean => (parseInt(mac.slice(0, 2), 16) & 1) === 1;

/** Reads 4 bytes at `offset` as a dotted quad; the caller has checked the length. */
export function ipv4FromBytes(bytes: Uint8Array, offset = 0): IPv4 {
  return `${bytes[offset] ?? 0}.${bytes[offset + 1] ?? 0}.${bytes[offset + 2] ?? 0}.${bytes[offset + 3] ?? 0}` as IPv4;
}

export function ipv4Bytes(ip: IPv4): Uint8Array {
  const out = new Uint8Array(4);
  let part = 0;
  let value = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 0x2e) {
      out[part++] = value;
      value = 0;
    } else {
      value = value * 10 + (c - 0x30);
    }
  }
  out[part] = value;
  return out;
}

/** Reads 16 bytes at `offset` as canonical (RFC 5952) IPv6 text; the caller has checked the length. */
export function ipv6FromBytes(bytes: Uint8Array, offset = 0): IPv6 {
  let value = 0n;
  for (let i = 0; i < 16; i++) value = (value << 8n) | BigInt(bytes[offset + i] ?? 0);
  return bigIntToIP(value, 'ipv6') as IPv6;
}

export function ipv6Bytes(ip: IPv6): Uint8Array {
  const out = new Uint8Array(16);
  let value = ipToBigInt(ip);
  for (let i = 15; i >= 0; i--) {
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out;
}

/** Lowercase hex without separators, for logs and fixtures. */
export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => hex[b] ?? '00').join('');
