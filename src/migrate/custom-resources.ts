// metallb.io configuration objects -> barelb.io: same kinds and fields, barelb's group and
// namespace, BGPPeer v1beta1 written as v1beta2, and fields MetalLB would not have kept left out.

import { isRecord, type WireRecord } from '../api/wire.ts';
import { copy, freshMetadata, type Head } from './objects.ts';
import { note, type Notes } from './notes.ts';
import { prune, specShapes, targetVersion } from './shapes.ts';

/** A BGPPeer's passwordSecret, as MetalLB resolved it (namespace defaults to the peer's). */
export type SecretRef = { readonly peer: string; readonly namespace: string; readonly name: string };

export type Converted = { readonly object: Record<string, unknown>; readonly secret: SecretRef | null };

const headFields = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];
const v1beta2Only = ['dynamicASN', 'localASN', 'interface', 'connectTime', 'passwordSecret', 'enableGracefulRestart', 'vrf', 'disableMP', 'dualStackAddressFamily'];

function unknownFieldMessage(head: Head, field: string): string {
  const top = field.split('.')[1] ?? '';
  if (head.kind === 'BGPPeer' && head.version === 'v1beta1' && field === `spec.${top}` && v1beta2Only.includes(top)) {
    return `only BGPPeer v1beta2 has ${top}; MetalLB's API server pruned it from v1beta1 objects, so it had no effect; left out`;
  }
  return `not a field of MetalLB's ${head.kind} ${head.version} (its API server would have pruned it; a typo?); left out`;
}

/** v1beta1 -> v1beta2 is 1:1 except port 0, which v1beta1 allowed to mean the default 179. */
function convertPeer(spec: Record<string, unknown>, head: Head, notes: Notes): SecretRef | null {
  if (spec['disableMP'] !== undefined) {
    note(notes, 'no-effect-field', head.ref, 'spec.disableMP', 'deprecated in MetalLB and without effect there or in barelb; dropped');
    delete spec['disableMP'];
  }
  if (head.version === 'v1beta1' && spec['peerPort'] === 0) {
    note(notes, 'peer-v1beta1', head.ref, 'spec.peerPort', 'v1beta1 port 0 meant the default; written as no peerPort (179), since v1beta2 allows 1..16384');
    delete spec['peerPort'];
  }
  const secret = spec['passwordSecret'];
  if (!isRecord(secret) || typeof secret['name'] !== 'string') return null;
  const given = typeof secret['namespace'] === 'string' ? secret['namespace'] : '';
  if (given !== '' && given !== head.namespace) return null;
  // MetalLB reads the Secret from its own namespace; in barelb it follows the peer.
  const moved: Record<string, unknown> = { ...secret };
  delete moved['namespace'];
  spec['passwordSecret'] = moved;
  return { peer: head.ref, namespace: head.namespace, name: secret['name'] };
}

/** Converts one MetalLB configuration object; the caller checked that kind and version are known. */
export function convertCustomResource(o: WireRecord, head: Head, targetNamespace: string, notes: Notes): Converted {
  const shape = specShapes.get(head.kind)?.get(head.version) ?? 'leaf';
  for (const key of Object.keys(o)) {
    if (!headFields.includes(key)) note(notes, 'unknown-field', head.ref, key, unknownFieldMessage(head, key));
  }
  if (head.kind === 'BGPPeer' && head.version === 'v1beta1') {
    note(notes, 'peer-v1beta1', head.ref, 'apiVersion', 'written as BGPPeer v1beta2 (MetalLB converts the same way): every v1beta1 field keeps its name and meaning');
  }
  const out: Record<string, unknown> = {
    apiVersion: `barelb.io/${targetVersion(head.kind)}`,
    kind: head.kind,
    metadata: freshMetadata(o, targetNamespace, head.ref, notes),
  };
  if (o['spec'] === undefined) return { object: out, secret: null };
  const pruned = prune(copy(o['spec']), shape, 'spec');
  for (const field of pruned.unknown) note(notes, 'unknown-field', head.ref, field, unknownFieldMessage(head, field));
  const spec = pruned.value;
  out['spec'] = spec;
  const secret = head.kind === 'BGPPeer' && isRecord(spec) ? convertPeer(spec as Record<string, unknown>, head, notes) : null;
  return { object: out, secret };
}
