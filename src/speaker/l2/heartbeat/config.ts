// Where heartbeats go and how they are signed: the shared key (from a Secret or a file's bytes),
// this node's bind address and the peers, all read from Nodes. Pure; messages never carry the key.

import type { NodeInput, SecretInput } from '../../../api/model.ts';
import { err, ok, type Result } from '../../../core/result.ts';
import { ipFamily, type Family, type IP } from '../../../net/ip.ts';
import type { PeerAddress } from './membership.ts';
import { minHeartbeatKeyBytes } from './packet.ts';

/** The port speakers heartbeat on unless told otherwise (MetalLB's memberlist uses 7946). */
export const defaultHeartbeatPort = 7947;
/** The Secret data key holding the heartbeat key. */
export const heartbeatSecretKey = 'key';

export type HeartbeatKeySource =
  | { readonly kind: 'secret'; readonly namespace: string; readonly name: string }
  /** The file's bytes, read once at start. */
  | { readonly kind: 'file'; readonly path: string; readonly bytes: Uint8Array };

export const keySourceText = (s: HeartbeatKeySource): string =>
  s.kind === 'secret' ? `Secret ${s.namespace}/${s.name} key "${heartbeatSecretKey}"` : `file ${s.path}`;

const utf8 = new TextEncoder();

/** Trailing whitespace is dropped (files usually end with a newline, `echo` adds one). */
function trimEnd(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && [0x0a, 0x0d, 0x20, 0x09].includes(bytes[end - 1] ?? 0)) end -= 1;
  return bytes.subarray(0, end);
}

/**
 * The key as bytes: the Secret's value (UTF-8 text) or the file's bytes, trailing whitespace
 * dropped, at least 16 bytes. Errors name the source, never the value.
 */
export function heartbeatKey(source: HeartbeatKeySource, secrets: ReadonlyMap<string, SecretInput>): Result<Uint8Array, string> {
  let bytes: Uint8Array;
  if (source.kind === 'secret') {
    const secret = secrets.get(`${source.namespace}/${source.name}`);
    if (secret === undefined) return err(`Secret ${source.namespace}/${source.name} does not exist (yet)`);
    const value = secret.data.get(heartbeatSecretKey);
    if (value === undefined) return err(`Secret ${source.namespace}/${source.name} has no "${heartbeatSecretKey}" key`);
    bytes = trimEnd(utf8.encode(value));
  } else {
    bytes = trimEnd(source.bytes);
  }
  if (bytes.length < minHeartbeatKeyBytes) return err(`the heartbeat key in ${keySourceText(source)} is shorter than ${minHeartbeatKeyBytes} bytes`);
  return ok(bytes);
}

/** "namespace/name" of a Secret, as given on the command line. */
export function parseSecretRef(text: string): Result<{ readonly namespace: string; readonly name: string }, string> {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/.exec(text);
  if (m === null || m[1] === undefined || m[3] === undefined) return err(`"${text}" is not namespace/name of a Secret`);
  return ok({ namespace: m[1], name: m[3] });
}

/** Where this node listens: the first address of its Node object (status.addresses, InternalIP first). */
export function bindAddress(nodes: readonly NodeInput[], self: string): Result<IP, string> {
  const node = nodes.find((n) => n.name === self);
  if (node === undefined) return err(`there is no Node named ${self}`);
  const first = node.addresses[0];
  return first === undefined ? err(`Node ${self} has no address in status.addresses`) : ok(first);
}

/**
 * Every other Node's first address of `family`, at `port`. Nodes without one are left out: they
 * are never heard, so never live.
 */
export function heartbeatPeers(nodes: readonly NodeInput[], self: string, family: Family, port: number): Map<string, PeerAddress> {
  const out = new Map<string, PeerAddress>();
  for (const n of [...nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (n.name === self) continue;
    const address = n.addresses.find((a) => ipFamily(a) === family);
    if (address !== undefined) out.set(n.name, { host: address, port });
  }
  return out;
}
