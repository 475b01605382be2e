// The BGPAdvertisement kind: which pools are announced over BGP, with which prefix length,
// LOCAL_PREF and communities, to which peers and from which nodes.

import { familyBits, type Family } from '../net/ip.ts';
import { readPoolRefs, resolvePools, type PoolRefs } from './advertisement.ts';
import { resolveCommunity } from './community.ts';
import { communityText, type BGPAdvertisement, type Community } from './model.ts';
import type { PoolDraft } from './pool.ts';
import { readSelectorList } from './selector.ts';
import { canonicalJson, fail, index, readInt, readStringList, readUniqueStrings, show, warnUnknownFields, type Reader, type WireRecord } from './wire.ts';

export type BGPAdvertisementDraft = {
  readonly reader: Reader;
  readonly refs: PoolRefs;
  readonly communityTexts: readonly { readonly value: string; readonly index: number }[];
  /** Canonical text of the spec as written, for the duplicate-object rule. */
  readonly specText: string;
  readonly ad: BGPAdvertisement;
};

const fields = ['aggregationLength', 'aggregationLengthV6', 'localPref', 'communities', 'ipAddressPools', 'ipAddressPoolSelectors', 'nodeSelectors', 'peers', 'serviceSelectors'];

/** RFC 1997 route-maps in FRR: MetalLB rejects more than this many communities per advertisement. */
export const maxCommunities = 63;

export function readBGPAdvertisement(r: Reader, name: string, spec: WireRecord): BGPAdvertisementDraft {
  warnUnknownFields(r, spec, 'spec', fields);
  const aggregationLength = readInt(r, spec['aggregationLength'], 'spec.aggregationLength', 1, 32) ?? 32;
  const aggregationLengthV6 = readInt(r, spec['aggregationLengthV6'], 'spec.aggregationLengthV6', 1, 128) ?? 128;
  const serviceSelectors = readSelectorList(r, spec['serviceSelectors'], 'spec.serviceSelectors');
  if (serviceSelectors.length > 0 && (aggregationLength !== 32 || aggregationLengthV6 !== 128)) {
    fail(r, 'spec.serviceSelectors', 'serviceSelectors can only be used with the default aggregation lengths (32 and 128)');
  }
  const peers = readUniqueStrings(r, spec['peers'], 'spec.peers');
  const localPref = readInt(r, spec['localPref'], 'spec.localPref', 0, 0xffff_ffff) ?? 0;
  const ad: BGPAdvertisement = {
    name,
    pools: [],
    aggregationLength,
    aggregationLengthV6,
    localPref: localPref === 0 ? null : localPref,
    communities: [],
    peers: peers.length === 0 ? { kind: 'all' } : { kind: 'only', names: peers },
    nodeSelectors: readSelectorList(r, spec['nodeSelectors'], 'spec.nodeSelectors'),
    serviceSelectors,
  };
  const communityTexts = readStringList(r, spec['communities'], 'spec.communities');
  if (communityTexts.length > maxCommunities) {
    fail(r, 'spec.communities', `${communityTexts.length} communities are too many (at most ${maxCommunities})`);
  }
  return { reader: r, refs: readPoolRefs(r, spec), communityTexts, specText: canonicalJson(spec), ad };
}

function resolveCommunities(d: BGPAdvertisementDraft, aliases: ReadonlyMap<string, Community>): Community[] {
  const out: Community[] = [];
  const seen = new Map<string, string>();
  for (const { value, index: i } of d.communityTexts) {
    const field = index('spec.communities', i);
    const c = resolveCommunity(value, aliases);
    if (!c.ok) {
      const transient = c.error.reason === 'format';
      fail(d.reader, field, transient ? `${show(value)} is neither a community value nor a known Community alias` : c.error.message, transient);
      continue;
    }
    const text = communityText(c.value);
    const first = seen.get(text);
    if (first !== undefined) fail(d.reader, field, `duplicate community ${show(value)}: ${first} is already ${text}`);
    else {
      seen.set(text, field);
      out.push(c.value);
    }
  }
  return out;
}

/** The aggregation length must not be shorter than the shortest prefix of any entry of the family. */
function checkAggregation(d: BGPAdvertisementDraft, pool: PoolDraft): void {
  for (const family of ['ipv4', 'ipv6'] as const satisfies readonly Family[]) {
    const length = family === 'ipv4' ? d.ad.aggregationLength : d.ad.aggregationLengthV6;
    const field = family === 'ipv4' ? 'spec.aggregationLength' : 'spec.aggregationLengthV6';
    for (const entry of pool.entries) {
      const lowest = Math.min(familyBits(family), ...entry.cidrs.filter((c) => c.family === family).map((c) => c.prefixLen));
      if (entry.cidrs.some((c) => c.family === family) && length < lowest) {
        fail(d.reader, field, `aggregation length ${length} is shorter than /${lowest} of ${show(entry.text)} (${entry.field} of IPAddressPool ${show(pool.name)}); the pool's prefix is more specific than the aggregation`);
        break;
      }
    }
  }
}

export function finishBGPAdvertisement(d: BGPAdvertisementDraft, pools: readonly PoolDraft[], aliases: ReadonlyMap<string, Community>): BGPAdvertisement {
  const names = resolvePools(d.reader, d.refs, pools);
  for (const pool of pools) if (names.includes(pool.name)) checkAggregation(d, pool);
  return { ...d.ad, pools: names, communities: resolveCommunities(d, aliases) };
}
