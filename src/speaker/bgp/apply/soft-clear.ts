// Which existing neighbors need `clear bgp … soft out|in` after a policy change: bgpd re-runs
// policy itself only when the route-map delay timer fires (5 s, frr.md §2.5). Changes that only
// concern networks added or withdrawn in the same batch need none: new routes meet the new policy.
import { childrenOf } from './frr-config.ts';
import type { FrrConfig } from './frr-config.ts';
import type { Change } from './plan-model.ts';
import { neighborsOf, routersOf } from './plan-router.ts';

const PREFIX_LIST = /^(ip|ipv6) prefix-list (\S+) seq (\d+) (permit|deny) (\S+)(.*)$/;
const COMMUNITY_LIST = /^bgp (community|large-community|extcommunity)-list (?:standard |expanded )?(\S+) /;
const LIST_REFERENCES: readonly { readonly re: RegExp; readonly kind: string }[] = [
  { re: /^match ip address prefix-list (\S+)$/, kind: 'ip' },
  { re: /^match ipv6 address prefix-list (\S+)$/, kind: 'ipv6' },
  { re: /^match (community|large-community|extcommunity) (\S+)/, kind: '' },
  { re: /^set (comm|large-comm)-list (\S+) delete$/, kind: '' },
];

/** Exec commands for the neighbors whose in/out policy changed in a way bgpd must re-run. */
export function softClears(running: FrrConfig, desired: FrrConfig, changes: readonly Change[]): string[] {
  const lists = changedLists(running, desired, changes);
  const maps = new Set(changes.flatMap((c) => {
    const name = /^route-map (\S+) /.exec(c.path[0] ?? c.line)?.[1];
    return name === undefined ? [] : [name];
  }));
  for (const ctx of desired.contexts.values()) {
    const name = /^route-map (\S+) /.exec(ctx.path[0] ?? '')?.[1];
    if (name !== undefined && ctx.lines.some((l) => lists.has(listReference(l) ?? ''))) maps.add(name);
  }
  if (maps.size === 0) return [];
  const commands = new Set<string>();
  const before = routersOf(running);
  for (const [line, router] of routersOf(desired)) {
    const old = before.get(line);
    if (old === undefined) continue;
    const existing = neighborsOf(old);
    const vrf = /^router bgp \S+ vrf (\S+)$/.exec(line)?.[1];
    for (const af of childrenOf(desired, router)) {
      const family = (af.path[1] ?? '').replace(/^address-family /, '');
      for (const l of af.lines) {
        const m = /^neighbor (\S+) route-map (\S+) (in|out)$/.exec(l);
        if (m?.[1] === undefined || !existing.has(m[1]) || !maps.has(m[2] ?? '')) continue;
        commands.add(`clear bgp ${vrf === undefined ? '' : `vrf ${vrf} `}${family} ${m[1]} soft ${m[3] ?? 'out'}`);
      }
    }
  }
  return [...commands];
}

/** `ip NAME`, `ipv6 NAME`, `community NAME`, … for a route-map clause naming a list. */
function listReference(line: string): string | undefined {
  for (const { re, kind } of LIST_REFERENCES) {
    const m = re.exec(line);
    if (m === null) continue;
    if (kind !== '') return `${kind} ${m[1] ?? ''}`;
    const family = m[1] === 'comm' ? 'community' : m[1] === 'large-comm' ? 'large-community' : m[1] ?? '';
    return `${family} ${m[2] ?? ''}`;
  }
  return undefined;
}

/** Lists whose verdict changed for some route that stays (community lists: always). */
function changedLists(running: FrrConfig, desired: FrrConfig, changes: readonly Change[]): Set<string> {
  const networks = new Set(changes.flatMap((c) => {
    const m = /^network (\S+)/.exec(c.line);
    return m?.[1] !== undefined && c.op !== 'replace' && c.path.length === 2 ? [m[1]] : [];
  }));
  const lists = new Set<string>();
  const prefixLists = new Set<string>();
  for (const c of changes) {
    if (c.path.length !== 0) continue;
    const pl = PREFIX_LIST.exec(c.line);
    if (pl !== null) prefixLists.add(`${pl[1] ?? ''} ${pl[2] ?? ''}`);
    const cl = COMMUNITY_LIST.exec(c.line);
    if (cl !== null) lists.add(`${cl[1] ?? ''} ${cl[2] ?? ''}`);
  }
  if (prefixLists.size === 0) return lists;
  // Only prefixes named by a changed entry can change verdict, unless an `any` or ranged entry changed.
  const named = changes.flatMap((c) => (c.path.length === 0 ? [c.line, c.previous ?? ''] : [])).map((l) => PREFIX_LIST.exec(l)).filter((m) => m !== null);
  const only = named.some((m) => m[5] === 'any' || (m[6] ?? '').trim() !== '') ? undefined : new Set(named.map((m) => m[5] ?? ''));
  const before = entries(running, prefixLists, only);
  const after = entries(desired, prefixLists, only);
  for (const key of prefixLists) {
    if (!sameVerdicts(before.get(key) ?? [], after.get(key) ?? [], networks)) lists.add(key);
  }
  return lists;
}

interface Entry {
  readonly seq: number;
  readonly action: string;
  readonly prefix: string;
  /** `ge`/`le` clauses: make the list match ranges, which this check does not model. */
  readonly extra: string;
}

/**
 * The entries of the named prefix-lists, each sorted by seq. With `only`, just the entries naming
 * one of those prefixes (or `any`): enough to compare their verdicts, without parsing every line.
 */
function entries(config: FrrConfig, keys: ReadonlySet<string>, only: ReadonlySet<string> | undefined): Map<string, Entry[]> {
  const out = new Map<string, Entry[]>();
  for (const line of config.globals) {
    if (!line.startsWith('ip') || (only !== undefined && !only.has(prefixToken(line)) && prefixToken(line) !== 'any')) continue;
    const m = PREFIX_LIST.exec(line);
    const key = m === null ? '' : `${m[1] ?? ''} ${m[2] ?? ''}`;
    if (m === null || !keys.has(key)) continue;
    const list = out.get(key) ?? [];
    list.push({ seq: Number(m[3]), action: m[4] ?? '', prefix: m[5] ?? '', extra: (m[6] ?? '').trim() });
    out.set(key, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.seq - b.seq);
  return out;
}

/** The word after ` permit ` or ` deny ` (cheap; no regex). */
function prefixToken(line: string): string {
  const permit = line.indexOf(' permit ');
  const start = permit >= 0 ? permit + 8 : line.indexOf(' deny ') + 6;
  if (start < 6) return '';
  const end = line.indexOf(' ', start);
  return end < 0 ? line.slice(start) : line.slice(start, end);
}

/** True when every prefix named in either list, other than `ignore`d ones, gets the same verdict. */
function sameVerdicts(before: readonly Entry[], after: readonly Entry[], ignore: ReadonlySet<string>): boolean {
  const ranged = (e: Entry): boolean => e.extra !== '' || (e.prefix === 'any' && e.action === 'permit');
  if (before.some(ranged) || after.some(ranged)) return false;
  const verdictBefore = verdicts(before);
  const verdictAfter = verdicts(after);
  for (const e of [...before, ...after]) {
    if (e.prefix === 'any' || ignore.has(e.prefix)) continue;
    if (verdictBefore(e.prefix) !== verdictAfter(e.prefix)) return false;
  }
  return true;
}

/** Exact-match verdicts of a list sorted by seq: the first entry naming the prefix or `any` wins. */
function verdicts(list: readonly Entry[]): (prefix: string) => string {
  const first = new Map<string, Entry>();
  for (const e of list) if (!first.has(e.prefix)) first.set(e.prefix, e);
  const any = first.get('any');
  return (prefix) => {
    const exact = first.get(prefix);
    const winner = exact === undefined ? any : any === undefined || exact.seq < any.seq ? exact : any;
    return winner?.action ?? 'deny';
  };
}
