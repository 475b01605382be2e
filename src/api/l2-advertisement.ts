// The L2Advertisement kind: which pools are announced over ARP/NDP, from which nodes and
// interfaces, for which services, and which nodes are preferred as leader.

import type { L2Advertisement, PreferredNodes } from './model.ts';
import type { Labels } from './labels.ts';
import { interfaceNameProblem } from './names.ts';
import { readPoolRefs, resolvePools, type PoolRefs } from './advertisement.ts';
import { readSelector, readSelectorList } from './selector.ts';
import { at, fail, index, readInt, readList, readRecord, readUniqueStringEntries, warnUnknownFields, type Reader, type WireRecord } from './wire.ts';

export type L2AdvertisementDraft = { readonly reader: Reader; readonly refs: PoolRefs; readonly ad: L2Advertisement };

const fields = ['ipAddressPools', 'ipAddressPoolSelectors', 'nodeSelectors', 'interfaces', 'serviceSelectors', 'preferredNodeSelectors'];

function readPreferred(r: Reader, v: unknown): PreferredNodes[] {
  const path = 'spec.preferredNodeSelectors';
  const out: PreferredNodes[] = [];
  (readList(r, v, path) ?? []).forEach((item, i) => {
    const p = index(path, i);
    const rec = readRecord(r, item, p);
    if (rec === undefined) return;
    warnUnknownFields(r, rec, p, ['weight', 'preference']);
    if (rec['weight'] === undefined) fail(r, at(p, 'weight'), 'is required');
    const weight = readInt(r, rec['weight'], at(p, 'weight'), 1, 100);
    const preference = readSelector(r, rec['preference'], at(p, 'preference'));
    if (weight !== undefined && preference !== undefined) out.push({ weight, preference });
  });
  return out;
}

function readInterfaces(r: Reader, v: unknown): string[] {
  const out: string[] = [];
  for (const { value, index: i } of readUniqueStringEntries(r, v, 'spec.interfaces')) {
    const problem = interfaceNameProblem(value);
    if (problem !== null) fail(r, index('spec.interfaces', i), `${JSON.stringify(value)} is not an interface name: ${problem}`);
    else out.push(value);
  }
  return out;
}

export function readL2Advertisement(r: Reader, name: string, spec: WireRecord): L2AdvertisementDraft {
  warnUnknownFields(r, spec, 'spec', fields);
  const interfaces = readInterfaces(r, spec['interfaces']);
  const ad: L2Advertisement = {
    name,
    pools: [],
    nodeSelectors: readSelectorList(r, spec['nodeSelectors'], 'spec.nodeSelectors'),
    interfaces: interfaces.length === 0 ? { kind: 'all' } : { kind: 'only', names: interfaces },
    serviceSelectors: readSelectorList(r, spec['serviceSelectors'], 'spec.serviceSelectors'),
    preferredNodeSelectors: readPreferred(r, spec['preferredNodeSelectors']),
  };
  return { reader: r, refs: readPoolRefs(r, spec), ad };
}

export function finishL2Advertisement(d: L2AdvertisementDraft, pools: readonly { readonly name: string; readonly labels: Labels }[]): L2Advertisement {
  return { ...d.ad, pools: resolvePools(d.reader, d.refs, pools) };
}
