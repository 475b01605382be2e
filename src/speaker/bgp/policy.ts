// Outbound policy by origination tag: every prefix a router originates is tagged, at the
// `network` statement, with the hash of "which neighbors get it, with which attributes"; each
// neighbor's out route-map has one entry per tag it may send. See view-model.ts for why.

import { createHash } from 'node:crypto';
import type { Community } from '../../api/model.ts';
import { err, ok, type Result } from '../../core/result.ts';
import type { Cidr } from '../../net/cidr.ts';
import { comparePrefix } from './advertisements.ts';
import { communityValue } from './communities.ts';
import type { FrrRouter } from './frr-model.ts';
import { renderError, type RenderError } from './render-error.ts';
import { memoized } from '../../core/memoized.ts';

/** One neighbor's share of a policy: it is sent the tagged prefixes with these attributes. */
export type PolicyMember = { readonly neighborId: string; readonly localPref: number | null; readonly communities: readonly Community[] };

/** All prefixes of a router that go to the same neighbors with the same attributes. */
export type Policy = { readonly tag: number; readonly members: readonly PolicyMember[] };

export type RouterPolicy = {
  /** Every prefix the router originates, sorted, with its policy's tag. */
  readonly networks: readonly { readonly prefix: Cidr; readonly tag: number }[];
  /** Sorted by tag. */
  readonly policies: readonly Policy[];
};

/**
 * FRR route tags are 1..4294967295; the first 32 bits of SHA-256 of the signature, shifted into
 * range. Memoized: every prefix of a policy hashes the same signature, and distinct policies
 * depend on the configuration, not on the Services (a few, normally).
 */
export const policyTag = memoized((signature: string): number => (createHash('sha256').update(signature).digest().readUInt32BE(0) % 0xffff_ffff) + 1, 4096);

/** What identifies a policy: its members, in the router's neighbor order. */
export const signatureOf = (members: readonly PolicyMember[]): string =>
  JSON.stringify(members.map((m) => [m.neighborId, m.localPref, m.communities.map((c) => `${c.kind}:${communityValue(c)}`)]));

/** Members come out in neighbor order (the router's), so equal sets give equal signatures. */
export function routerPolicy(router: FrrRouter): Result<RouterPolicy, RenderError> {
  const perPrefix = new Map<string, { prefix: Cidr; members: PolicyMember[] }>();
  for (const n of router.neighbors) {
    for (const ad of n.advertisements) {
      const entry = perPrefix.get(ad.prefix.text) ?? perPrefix.set(ad.prefix.text, { prefix: ad.prefix, members: [] }).get(ad.prefix.text);
      entry?.members.push({ neighborId: n.id, localPref: ad.localPref, communities: ad.communities });
    }
  }
  const policies = new Map<number, { signature: string; members: readonly PolicyMember[] }>();
  const networks: { prefix: Cidr; tag: number }[] = [];
  for (const { prefix, members } of perPrefix.values()) {
    const signature = signatureOf(members);
    const tag = policyTag(signature);
    const known = policies.get(tag);
    if (known !== undefined && known.signature !== signature) {
      return err(renderError('policy-collision', `router bgp ${router.asn}${router.vrf === null ? '' : ` vrf ${router.vrf}`}`, '', `two outbound policies hash to route tag ${tag}`));
    }
    policies.set(tag, { signature, members });
    networks.push({ prefix, tag });
  }
  return ok({
    networks: networks.sort((a, b) => comparePrefix(a.prefix, b.prefix)),
    policies: [...policies.entries()].sort((a, b) => a[0] - b[0]).map(([tag, p]) => ({ tag, members: p.members })),
  });
}
