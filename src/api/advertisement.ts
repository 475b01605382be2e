// What L2 and BGP advertisements share: the pools they apply to, named or selected by label,
// resolved against the pools of the same input (none of either = every pool).

import { selectorMatches, type LabelSelector, type Labels } from './labels.ts';
import { readSelectorList } from './selector.ts';
import { index, readUniqueStrings, show, warn, type Reader, type WireRecord } from './wire.ts';

export type PoolRefs = { readonly names: readonly string[]; readonly selectors: readonly LabelSelector[] };

export function readPoolRefs(r: Reader, spec: WireRecord): PoolRefs {
  return {
    names: readUniqueStrings(r, spec['ipAddressPools'], 'spec.ipAddressPools'),
    selectors: readSelectorList(r, spec['ipAddressPoolSelectors'], 'spec.ipAddressPoolSelectors'),
  };
}

/** Sorted names of the pools an advertisement applies to; unknown names are warned about. */
export function resolvePools(r: Reader, refs: PoolRefs, pools: readonly { readonly name: string; readonly labels: Labels }[]): string[] {
  if (refs.names.length === 0 && refs.selectors.length === 0) return pools.map((p) => p.name).sort();
  const known = new Set(pools.map((p) => p.name));
  const out = new Set<string>();
  refs.names.forEach((name, i) => {
    if (known.has(name)) out.add(name);
    else warn(r, index('spec.ipAddressPools', i), `no IPAddressPool named ${show(name)}; ignored`);
  });
  for (const p of pools) {
    if (refs.selectors.some((s) => selectorMatches(s, p.labels))) out.add(p.name);
  }
  return [...out].sort();
}
