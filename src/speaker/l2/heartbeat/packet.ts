// The heartbeat datagram and its authentication: HMAC-SHA256 (RFC 2104) under a key shared by
// all speakers, over every byte before the tag. Decoding never throws.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { err, ok, type Result } from '../../../core/result.ts';

export const heartbeatVersion = 1;
const magic = [0x62, 0x6c, 0x62, 0x68]; // "blbh"
const tagBytes = 32;
/** magic, version, name length. */
const headBytes = 6;
/** incarnation, sequence, send time: three unsigned 64-bit big-endian integers. */
const tailBytes = 24;
export const minHeartbeatKeyBytes = 16;

/**
 * One heartbeat. `incarnation` is random per process start; `seq` counts up from 1 within an
 * incarnation; `sentAt` is the sender's clock in ms since the epoch.
 */
export type Heartbeat = {
  readonly node: string;
  readonly incarnation: bigint;
  readonly seq: bigint;
  readonly sentAt: number;
};

export const packetRejectReasons = ['too-short', 'bad-magic', 'unsupported-version', 'bad-length', 'bad-mac'] as const;
export type PacketRejectReason = (typeof packetRejectReasons)[number];

const mac = (key: Uint8Array, body: Uint8Array): Uint8Array => createHmac('sha256', key).update(body).digest();

export function encodeHeartbeat(h: Heartbeat, key: Uint8Array): Uint8Array {
  const name = new TextEncoder().encode(h.node);
  if (name.length === 0 || name.length > 255) throw new Error(`node name must be 1..255 bytes: ${h.node}`);
  const body = new Uint8Array(headBytes + name.length + tailBytes);
  const view = new DataView(body.buffer);
  body.set(magic, 0);
  body[4] = heartbeatVersion;
  body[5] = name.length;
  body.set(name, headBytes);
  const at = headBytes + name.length;
  view.setBigUint64(at, BigInt.asUintN(64, h.incarnation));
  view.setBigUint64(at + 8, BigInt.asUintN(64, h.seq));
  view.setBigUint64(at + 16, BigInt(Math.max(0, Math.floor(h.sentAt))));
  const out = new Uint8Array(body.length + tagBytes);
  out.set(body, 0);
  out.set(mac(key, body), body.length);
  return out;
}

function checkFraming(bytes: Uint8Array): PacketRejectReason | null {
  if (bytes.length < headBytes + 1 + tailBytes + tagBytes) return 'too-short';
  if (magic.some((b, i) => bytes[i] !== b)) return 'bad-magic';
  if (bytes[4] !== heartbeatVersion) return 'unsupported-version';
  const nameLen = bytes[5] ?? 0;
  if (nameLen === 0 || bytes.length !== headBytes + nameLen + tailBytes + tagBytes) return 'bad-length';
  return null;
}

/** Authenticates then decodes; a packet whose tag does not verify is 'bad-mac' (forged or wrong key). */
export function decodeHeartbeat(bytes: Uint8Array, key: Uint8Array): Result<Heartbeat, PacketRejectReason> {
  const problem = checkFraming(bytes);
  if (problem !== null) return err(problem);
  const bodyLen = bytes.length - tagBytes;
  const body = bytes.subarray(0, bodyLen);
  if (!timingSafeEqual(mac(key, body), bytes.subarray(bodyLen))) return err('bad-mac');
  const nameLen = bytes[5] ?? 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = headBytes + nameLen;
  return ok({
    node: new TextDecoder().decode(bytes.subarray(headBytes, at)),
    incarnation: view.getBigUint64(at),
    seq: view.getBigUint64(at + 8),
    sentAt: Number(view.getBigUint64(at + 16)),
  });
}
