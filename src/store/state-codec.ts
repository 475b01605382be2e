// The state file's text: JSON with one Service per line, so that the controller, which writes it
// every round, encodes only the entries that changed, and a speaker, which reads every version,
// decodes only the lines that changed. Any other valid JSON layout (older files, hand edits) is
// read with JSON.parse; both readings give the same state.

import type { ServiceKey } from '../api/model.ts';
import type { Allocation, Allocations } from '../controller/reconcile.ts';
import type { AllocationPlan } from '../ipam/plan.ts';
import { parseIP, type IP } from '../net/ip.ts';
import { changedWindow } from '../core/changed-window.ts';
import { sameItems } from '../core/same-items.ts';

export type PendingRecord = { readonly reason: string; readonly message: string };

export type LocalState = {
  readonly allocations: Allocations;
  readonly pending: ReadonlyMap<ServiceKey, PendingRecord>;
};

type StateJson = {
  version: 1;
  services: Record<string, { ips: string[]; pool: string }>;
  pending: Record<string, PendingRecord>;
  pools: Record<string, Record<string, string>>;
};

const member = (key: string, value: unknown): string => `    ${JSON.stringify(key)}: ${JSON.stringify(value)}`;
const section = (name: string, lines: readonly string[], last = false): string =>
  `  ${JSON.stringify(name)}: ${lines.length === 0 ? '{}' : `{\n${lines.join(',\n')}\n  }`}${last ? '' : ','}`;

/** Encodes states one after another, keeping the line of each allocation object it has seen. */
export class StateEncoder {
  readonly #lines = new WeakMap<Allocation, { readonly key: string; readonly line: string }>();

  encode(plan: AllocationPlan, allocations: Allocations): string {
    const services = [...allocations].sort(([x], [y]) => (x < y ? -1 : 1)).map(([key, a]) => {
      const known = this.#lines.get(a);
      if (known?.key === key) return known.line;
      const line = member(key, { ips: [...a.ips], pool: a.pool });
      this.#lines.set(a, { key, line });
      return line;
    });
    const pending = plan.services.flatMap((d) => (d.state === 'pending' ? [member(d.key, { reason: d.reason, message: d.message })] : []));
    const pools = plan.pools.map((p) => member(p.name, {
      assignedIPv4: p.assignedIPv4.toString(), availableIPv4: p.availableIPv4.toString(),
      assignedIPv6: p.assignedIPv6.toString(), availableIPv6: p.availableIPv6.toString(),
    }));
    return ['{', '  "version": 1,', section('services', services), section('pending', pending), section('pools', pools, true), '}', ''].join('\n');
  }
}

/** The decoded state. */
export type Decoded = { readonly state: LocalState };

/** An entry's allocation; `previous` (the key's allocation last time) when the entry still says the same. */
function decodeAllocation(raw: unknown, previous: Allocation | undefined): Allocation | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as { ips?: unknown; pool?: unknown };
  if (!Array.isArray(r.ips) || typeof r.pool !== 'string') return null;
  const texts: readonly unknown[] = r.ips;
  if (previous !== undefined && previous.pool === r.pool && sameItems<unknown>(previous.ips, texts)) return previous;
  const ips: IP[] = [];
  for (const text of texts) {
    const ip = typeof text === 'string' ? parseIP(text) : null;
    if (ip === null || !ip.ok) return null;
    ips.push(ip.value);
  }
  return { ips, pool: r.pool };
}

function decodeEntries(file: string, services: readonly (readonly [string, unknown])[], previous: Allocations, pending: Iterable<readonly [string, unknown]>): Decoded {
  const allocations = new Map<ServiceKey, Allocation>();
  let malformed: string | null = null;
  for (const [key, raw] of services) {
    // As JSON.parse: of members with the same key, the last value counts, at the first's place.
    if (allocations.has(key as ServiceKey) || (malformed !== null && key === malformed)) return decodeEntries(file, [...new Map(services)], previous, pending);
    const allocation = decodeAllocation(raw, previous.get(key as ServiceKey));
    if (allocation === null) malformed ??= key;
    else allocations.set(key as ServiceKey, allocation);
  }
  if (malformed !== null) throw new Error(`${file}: services["${malformed}"] is malformed`);
  const pendingMap = new Map([...pending].map(([k, v]) => [k as ServiceKey, v as PendingRecord]));
  return { state: { allocations, pending: pendingMap } };
}

/** Any JSON layout. */
export function decodeStateJson(file: string, text: string, previous: Allocations): Decoded {
  const json = JSON.parse(text) as Partial<StateJson>;
  if (json.version !== 1) throw new Error(`${file}: unsupported state version ${String(json.version)}`);
  return decodeEntries(file, Object.entries(json.services ?? {}), previous, Object.entries(json.pending ?? {}));
}

/** Members of one line of a section: `"key": {...}`, with a comma unless it is the section's last. */
const memberLine = /^ {4}"(?:[^"\\]|\\.)*": \{.*\}$/;

type Members = readonly (readonly [string, unknown])[];

/** A text's lines and, per member line, its section and members (null for the lines around them): for the next decode. */
export type LineMemo = { readonly lines: readonly string[]; readonly sections: readonly (string | null)[]; readonly members: readonly (Members | null)[] };

export const noLines: LineMemo = { lines: [], sections: [], members: [] };

/** The members of one member line (without its comma), or null when it is not one. */
function parseMemberLine(body: string, section: string): Members | null {
  if (!memberLine.test(body)) return null;
  let value: unknown;
  try {
    value = JSON.parse(`{${body}}`);
  } catch {
    return null;
  }
  const members = Object.entries(value as Record<string, unknown>);
  // Keys of integers would be ordered first by JSON.parse: not a layout StateEncoder writes.
  return section !== 'pools' && members.some(([k]) => !k.includes('/')) ? null : members;
}

/** Reads lines as StateEncoder writes them, taking what `known` says of unchanged lines. */
class LineReader {
  readonly lines: readonly string[];
  readonly sections: (string | null)[];
  readonly members: (Members | null)[];
  readonly #known: LineMemo;
  /** Lines before `#head` and from `#tail` on are the same as in `known` (shifted by `#shift`). */
  readonly #head: number;
  readonly #tail: number;
  readonly #shift: number;

  constructor(lines: readonly string[], known: LineMemo) {
    this.lines = lines;
    this.sections = new Array<string | null>(lines.length).fill(null);
    this.members = new Array<Members | null>(lines.length).fill(null);
    this.#known = known;
    const w = changedWindow(known.lines, lines);
    this.#head = w.start;
    this.#tail = w.newEnd;
    this.#shift = known.lines.length - lines.length;
  }

  /** The members of line i, a member line of `section` (its last when `last`); null if it is not one. */
  member(i: number, section: string, last: boolean): Members | null {
    const line = this.lines[i] ?? '';
    if (line.endsWith(',') === last) return null;
    // An unchanged line in the same section holds what it held: it was checked when first read.
    const j = i < this.#head ? i : i >= this.#tail ? i + this.#shift : -1;
    const reused = j >= 0 && this.#known.sections[j] === section ? this.#known.members[j] : null;
    const found = reused ?? parseMemberLine(last ? line : line.slice(0, -1), section);
    this.sections[i] = section;
    this.members[i] = found;
    return found;
  }

  /** The members of a section; null when the layout differs from StateEncoder's. */
  section(at: number, name: string, last: boolean): { readonly members: (readonly [string, unknown])[]; readonly next: number } | null {
    const head = `  ${JSON.stringify(name)}: {`;
    const close = last ? '  }' : '  },';
    if (this.lines[at] === `${head}}${last ? '' : ','}`) return { members: [], next: at + 1 };
    if (this.lines[at] !== head) return null;
    const members: (readonly [string, unknown])[] = [];
    for (let i = at + 1; i < this.lines.length; i += 1) {
      if (this.lines[i] === close) return members.length === 0 ? null : { members, next: i + 1 };
      const found = this.member(i, name, this.lines[i + 1] === close);
      if (found === null) return null;
      for (const m of found) members.push(m);
    }
    return null;
  }
}

/**
 * Decodes the layout StateEncoder writes, parsing only lines that are not in `known` (the last
 * decode's memo), and keeping `previous` allocations that did not change; null for any other
 * layout (the caller then uses decodeStateJson, which gives the same state for this layout too).
 */
export function decodeStateLines(file: string, text: string, previous: Allocations, known: LineMemo): { decoded: Decoded; lines: LineMemo } | null {
  const r = new LineReader(text.split('\n'), known);
  if (r.lines[0] !== '{' || r.lines[1] !== '  "version": 1,') return null;
  const services = r.section(2, 'services', false);
  const pending = services === null ? null : r.section(services.next, 'pending', false);
  const pools = pending === null ? null : r.section(pending.next, 'pools', true);
  if (services === null || pending === null || pools === null || r.lines[pools.next] !== '}' || r.lines.length !== pools.next + 2 || r.lines[pools.next + 1] !== '') return null;
  return { decoded: decodeEntries(file, services.members, previous, pending.members), lines: { lines: r.lines, sections: r.sections, members: r.members } };
}
