// The v1 Secret kind, only as far as barelb uses it: BGP peer passwords (type
// kubernetes.io/basic-auth, key "password") and the L2 heartbeat key. Values never reach a message.

import type { BGPPeer, ConfigError, SecretInput } from './model.ts';
import { passwordProblem } from './names.ts';
import { fail, isRecord, show, type Reader, type WireRecord } from './wire.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeBase64(text: string): string | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text.replace(/\s/g, ''))) return null;
  try {
    return utf8.decode(Uint8Array.from(atob(text.replace(/\s/g, '')), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

export function readSecret(r: Reader, namespace: string, name: string, body: WireRecord): SecretInput {
  const data = new Map<string, string>();
  const raw = body['data'];
  if (isRecord(raw)) {
    for (const [key, value] of Object.entries(raw)) {
      const decoded = typeof value === 'string' ? decodeBase64(value) : null;
      if (decoded === null) fail(r, `data.${key}`, 'is not base64-encoded UTF-8 text');
      else data.set(key, decoded);
    }
  }
  const plain = body['stringData'];
  if (isRecord(plain)) {
    for (const [key, value] of Object.entries(plain)) {
      if (typeof value === 'string') data.set(key, value);
      else fail(r, `stringData.${key}`, 'must be a string');
    }
  }
  const type = typeof body['type'] === 'string' ? body['type'] : 'Opaque';
  return { namespace, name, type, data };
}

export const secretId = (namespace: string, name: string): string => `${namespace}/${name}`;

/** The password a peer uses, or an error naming the peer's field; never the value itself. */
export function resolvePeerPassword(
  peer: BGPPeer,
  peerObject: string,
  secrets: ReadonlyMap<string, SecretInput>,
): { ok: true; password: string | null } | { ok: false; error: ConfigError } {
  const p = peer.password;
  if (p.kind === 'none') return { ok: true, password: null };
  if (p.kind === 'inline') return { ok: true, password: p.value };
  const field = 'spec.passwordSecret';
  const bad = (message: string, transient = false) => ({ ok: false as const, error: { object: peerObject, field, message, ...(transient ? { transient } : {}) } });
  const secret = secrets.get(secretId(p.namespace, p.name));
  if (secret === undefined) return bad(`Secret ${show(`${p.namespace}/${p.name}`)} does not exist (yet)`, true);
  if (secret.type !== 'kubernetes.io/basic-auth') return bad(`Secret ${show(`${p.namespace}/${p.name}`)} has type ${show(secret.type)}; it must be kubernetes.io/basic-auth`);
  const value = secret.data.get('password');
  if (value === undefined) return bad(`Secret ${show(`${p.namespace}/${p.name}`)} has no "password" key`);
  const problem = passwordProblem(value);
  if (problem !== null) return bad(`the password in Secret ${show(`${p.namespace}/${p.name}`)} ${problem}`);
  return { ok: true, password: value };
}
