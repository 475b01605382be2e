// BGP community values ("A:B", RFC 1997; "large:A:B:C", RFC 8092) and the Community kind,
// whose aliases BGPAdvertisements may use instead of a literal value.

import { err, ok, type Result } from '../core/result.ts';
import type { Community } from './model.ts';
import { tokenProblem } from './names.ts';
import { at, fail, index, readList, readRecord, readString, show, warnUnknownFields, type Reader } from './wire.ts';

/** `format` failures are text that is not shaped like a community at all (maybe an alias). */
export type CommunityProblem = { readonly reason: 'format' | 'range'; readonly message: string };

const decimal = /^[0-9]+$/;

function parts(text: string, count: number, max: number): Result<number[], CommunityProblem> {
  const fields = text.split(':');
  if (fields.length !== count) {
    return err({ reason: 'format', message: `${show(text)} is not a community (use "A:B" or "large:A:B:C")` });
  }
  const out: number[] = [];
  for (const f of fields) {
    const n = decimal.test(f) ? Number(f) : NaN;
    if (!(n <= max)) return err({ reason: 'range', message: `${show(text)}: ${show(f)} must be a number 0..${max}` });
    out.push(n);
  }
  return ok(out);
}

/** Parses a literal community value (no alias lookup). */
export function parseCommunity(text: string): Result<Community, CommunityProblem> {
  if (text.startsWith('large:')) {
    const p = parts(text.slice('large:'.length), 3, 0xffff_ffff);
    if (!p.ok) return p;
    const [a = 0, b = 0, c = 0] = p.value;
    return ok({ kind: 'large', a, b, c });
  }
  const p = parts(text, 2, 0xffff);
  if (!p.ok) return p;
  const [high = 0, low = 0] = p.value;
  return ok({ kind: 'standard', high, low });
}

/** Looks `text` up as an alias first (as MetalLB does), then parses it as a literal. */
export function resolveCommunity(text: string, aliases: ReadonlyMap<string, Community>): Result<Community, CommunityProblem> {
  const alias = aliases.get(text);
  return alias !== undefined ? ok(alias) : parseCommunity(text);
}

export type CommunityAlias = { readonly name: string; readonly value: Community; readonly field: string };
export type CommunityDraft = { readonly reader: Reader; readonly name: string; readonly aliases: readonly CommunityAlias[] };

function readAlias(r: Reader, v: unknown, path: string): CommunityAlias | undefined {
  const rec = readRecord(r, v, path);
  if (rec === undefined) return undefined;
  warnUnknownFields(r, rec, path, ['name', 'value']);
  const name = readString(r, rec['name'], at(path, 'name'));
  const value = readString(r, rec['value'], at(path, 'value'));
  const nameProblem = name === undefined ? 'is required' : tokenProblem(name, 253);
  if (nameProblem !== null) fail(r, at(path, 'name'), nameProblem);
  if (value === undefined) {
    fail(r, at(path, 'value'), 'is required');
    return undefined;
  }
  const parsed = parseCommunity(value);
  if (!parsed.ok) fail(r, at(path, 'value'), parsed.error.message);
  return name !== undefined && nameProblem === null && parsed.ok ? { name, value: parsed.value, field: at(path, 'name') } : undefined;
}

export function readCommunityObject(r: Reader, name: string, spec: Readonly<Record<string, unknown>>): CommunityDraft {
  warnUnknownFields(r, spec, 'spec', ['communities']);
  const list = readList(r, spec['communities'], 'spec.communities') ?? [];
  const aliases = list.map((v, i) => readAlias(r, v, index('spec.communities', i))).filter((a) => a !== undefined);
  return { reader: r, name, aliases };
}

/** Merges all aliases; a name defined twice (in one object or across objects) is an error. */
export function buildCommunityAliases(drafts: readonly CommunityDraft[]): Map<string, Community> {
  const out = new Map<string, Community>();
  const owner = new Map<string, string>();
  for (const d of drafts) {
    for (const a of d.aliases) {
      const first = owner.get(a.name);
      if (first !== undefined) {
        fail(d.reader, a.field, `duplicate definition of community ${show(a.name)} (already defined in ${first})`);
        continue;
      }
      owner.set(a.name, d.reader.object);
      out.set(a.name, a.value);
    }
  }
  return out;
}
