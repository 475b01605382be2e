// The IPAddressPool kind: address entries (CIDRs and ranges), allocation criteria, and the
// rule that no address belongs to two entries, within a pool or across pools.

import { cidrLast, parseCidr, rangeToCidrs, type Cidr } from '../net/cidr.ts';
import { ipFamily, ipToBigInt, parseIP } from '../net/ip.ts';
import { err, ok, type Result } from '../core/result.ts';
import { selectorMatches, type LabelSelector, type Labels } from './labels.ts';
import type { NamespaceInput, Pool } from './model.ts';
import { readSelectorList } from './selector.ts';
import { at, fail, index, readBool, readInt, readRecord, readStringList, readUniqueStrings, show, warnUnknownFields, type Reader, type WireRecord } from './wire.ts';

/** One `spec.addresses` entry as written, and the CIDRs it stands for. */
export type PoolEntry = { readonly text: string; readonly field: string; readonly cidrs: readonly Cidr[] };

export type PoolDraft = {
  readonly reader: Reader;
  readonly name: string;
  readonly labels: Labels;
  readonly entries: readonly PoolEntry[];
  readonly autoAssign: boolean;
  readonly avoidBuggyIPs: boolean;
  readonly allocation: {
    readonly priority: number;
    readonly namespaces: readonly string[];
    readonly namespaceSelectors: readonly LabelSelector[];
    readonly serviceSelectors: readonly LabelSelector[];
  } | null;
};

/** Parses "a.b.c.d/n" or "start-end" (spaces around the addresses allowed) into CIDRs. */
export function parseAddressEntry(text: string): Result<readonly Cidr[], string> {
  const dash = text.split('-');
  if (dash.length === 1) {
    const cidr = parseCidr(text);
    return cidr.ok ? ok([cidr.value]) : cidr;
  }
  if (dash.length !== 2) return err(`${show(text)} is neither a CIDR nor a range "start-end"`);
  const start = parseIP(dash[0] ?? '');
  const end = parseIP(dash[1] ?? '');
  if (!start.ok) return err(`${show(text)} is not a range: start ${start.error}`);
  if (!end.ok) return err(`${show(text)} is not a range: end ${end.error}`);
  const family = ipFamily(start.value);
  if (family !== ipFamily(end.value)) return err(`${show(text)} is not a range: start and end are of different IP families`);
  const first = ipToBigInt(start.value);
  const last = ipToBigInt(end.value);
  if (first > last) return err(`${show(text)} is not a range: start is after end`);
  return ok(rangeToCidrs({ family, first, last }));
}

function readEntries(r: Reader, spec: WireRecord): PoolEntry[] {
  const raw = spec['addresses'];
  if (raw === undefined || raw === null) fail(r, 'spec.addresses', 'is required');
  else if (Array.isArray(raw) && raw.length === 0) fail(r, 'spec.addresses', 'pool has no prefixes defined');
  const entries: PoolEntry[] = [];
  for (const { value, index: i } of readStringList(r, raw, 'spec.addresses')) {
    const field = index('spec.addresses', i);
    const parsed = parseAddressEntry(value);
    if (parsed.ok) entries.push({ text: value, field, cidrs: parsed.value });
    else fail(r, field, parsed.error);
  }
  return entries;
}

function readAllocation(r: Reader, v: unknown): PoolDraft['allocation'] {
  const path = 'spec.serviceAllocation';
  const rec = readRecord(r, v, path);
  if (rec === undefined) return null;
  warnUnknownFields(r, rec, path, ['priority', 'namespaces', 'namespaceSelectors', 'serviceSelectors']);
  const priority = readInt(r, rec['priority'], at(path, 'priority'), 0, 2 ** 31 - 1) ?? 0;
  return {
    priority,
    namespaces: readUniqueStrings(r, rec['namespaces'], at(path, 'namespaces')),
    namespaceSelectors: readSelectorList(r, rec['namespaceSelectors'], at(path, 'namespaceSelectors')),
    serviceSelectors: readSelectorList(r, rec['serviceSelectors'], at(path, 'serviceSelectors')),
  };
}

export function readPool(r: Reader, name: string, labels: Labels, spec: WireRecord): PoolDraft {
  warnUnknownFields(r, spec, 'spec', ['addresses', 'autoAssign', 'avoidBuggyIPs', 'serviceAllocation']);
  return {
    reader: r,
    name,
    labels,
    entries: readEntries(r, spec),
    autoAssign: readBool(r, spec['autoAssign'], 'spec.autoAssign') ?? true,
    avoidBuggyIPs: readBool(r, spec['avoidBuggyIPs'], 'spec.avoidBuggyIPs') ?? false,
    allocation: readAllocation(r, spec['serviceAllocation']),
  };
}

type Located = { readonly pool: PoolDraft; readonly entry: PoolEntry; readonly cidr: Cidr };

/** Reports every entry that shares an address with another entry (sweep over sorted CIDRs). */
export function checkOverlaps(pools: readonly PoolDraft[]): void {
  const all: Located[] = pools.flatMap((pool) => pool.entries.flatMap((entry) => entry.cidrs.map((cidr) => ({ pool, entry, cidr }))));
  all.sort((a, b) => (a.cidr.family < b.cidr.family ? -1 : a.cidr.family > b.cidr.family ? 1 : a.cidr.base < b.cidr.base ? -1 : a.cidr.base > b.cidr.base ? 1 : b.cidr.prefixLen - a.cidr.prefixLen));
  let widest: Located | undefined;
  const reported = new Set<string>();
  for (const cur of all) {
    if (widest !== undefined && widest.cidr.family === cur.cidr.family && cur.cidr.base <= cidrLast(widest.cidr)) {
      const key = `${cur.pool.reader.object} ${cur.entry.field} ${widest.pool.reader.object} ${widest.entry.field}`;
      if (!reported.has(key)) {
        reported.add(key);
        const where = widest.pool === cur.pool ? 'of the same pool' : `of IPAddressPool ${show(widest.pool.name)}`;
        fail(cur.pool.reader, cur.entry.field, `${show(cur.entry.text)} overlaps ${show(widest.entry.text)} (${widest.entry.field} ${where})`);
      }
    }
    if (widest === undefined || widest.cidr.family !== cur.cidr.family || cidrLast(cur.cidr) > cidrLast(widest.cidr)) widest = cur;
  }
}

/** The final Pool, with namespace selectors resolved against the known Namespaces. */
export function finishPool(d: PoolDraft, namespaces: readonly NamespaceInput[]): Pool {
  const a = d.allocation;
  const criteria = a !== null && (a.namespaces.length > 0 || a.namespaceSelectors.length > 0);
  const selected = a === null ? [] : namespaces.filter((ns) => a.namespaceSelectors.some((s) => selectorMatches(s, ns.labels))).map((ns) => ns.name);
  return {
    name: d.name,
    labels: d.labels,
    cidrs: d.entries.flatMap((e) => e.cidrs),
    autoAssign: d.autoAssign,
    avoidBuggyIPs: d.avoidBuggyIPs,
    serviceAllocation: a === null ? null : {
      priority: a.priority,
      namespaces: criteria ? new Set([...a.namespaces, ...selected]) : null,
      serviceSelectors: a.serviceSelectors,
    },
  };
}
