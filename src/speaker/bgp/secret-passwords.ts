// The RenderOptions.secretPasswords map from decoded Secrets: the password of every BGPPeer
// passwordSecret that resolves (src/api validates them and reports the ones that do not).

import type { BGPPeer, SecretInput } from '../../api/model.ts';
import { resolvePeerPassword, secretId } from '../../api/secret.ts';

/** "namespace/name" -> password, for the peers whose Secret resolves; the others are left out. */
export function secretPasswords(peers: readonly BGPPeer[], secrets: ReadonlyMap<string, SecretInput>): Map<string, string> {
  const out = new Map<string, string>();
  for (const peer of peers) {
    if (peer.password.kind !== 'secret') continue;
    const resolved = resolvePeerPassword(peer, `BGPPeer/${peer.name}`, secrets);
    if (resolved.ok && resolved.password !== null) out.set(secretId(peer.password.namespace, peer.password.name), resolved.password);
  }
  return out;
}
