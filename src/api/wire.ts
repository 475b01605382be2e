// Reading decoded manifests (plain JS values of unknown shape) field by field. Every problem
// becomes a ConfigError naming the object and the JSON path of the field; nothing here throws.

import type { ConfigError } from './model.ts';

export type WireRecord = Readonly<Record<string, unknown>>;

/** Where problems are collected while reading the whole input. */
export type Issues = { readonly errors: ConfigError[]; readonly warnings: ConfigError[] };

/** Reads one object: problems are reported against `object` ("Kind/namespace/name"). */
export type Reader = { readonly object: string; readonly issues: Issues };

export const newIssues = (): Issues => ({ errors: [], warnings: [] });

export function fail(r: Reader, field: string, message: string, transient = false): void {
  r.issues.errors.push(transient ? { object: r.object, field, message, transient } : { object: r.object, field, message });
}

export function warn(r: Reader, field: string, message: string): void {
  r.issues.warnings.push({ object: r.object, field, message });
}

export const isRecord = (v: unknown): v is WireRecord => typeof v === 'object' && v !== null && !Array.isArray(v);

export const at = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);
export const index = (path: string, i: number): string => `${path}[${i}]`;

/** A short, safe rendering of a wire value for messages. */
export function show(v: unknown): string {
  let text: string;
  try {
    text = typeof v === 'string' ? JSON.stringify(v) : typeof v === 'bigint' ? `${v}` : (JSON.stringify(v) ?? String(v));
  } catch {
    text = String(typeof v);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v} (${show(v)})`;
}

const expected = (r: Reader, path: string, what: string, v: unknown): undefined => {
  fail(r, path, `must be ${what}, not ${typeName(v)}`);
  return undefined;
};

/** Absent (undefined or null) is fine and gives undefined; a wrong type is an error. */
export function readRecord(r: Reader, v: unknown, path: string): WireRecord | undefined {
  if (v === undefined || v === null) return undefined;
  return isRecord(v) ? v : expected(r, path, 'an object', v);
}

export function readString(r: Reader, v: unknown, path: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : expected(r, path, 'a string', v);
}

export function readBool(r: Reader, v: unknown, path: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'boolean' ? v : expected(r, path, 'true or false', v);
}

/** An integer in [min, max]; out of range or fractional is an error. */
export function readInt(r: Reader, v: unknown, path: string, min: number, max: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) return expected(r, path, `an integer`, v);
  if (v < min || v > max) {
    fail(r, path, `${v} is out of range (must be ${min}..${max})`);
    return undefined;
  }
  return v;
}

export function readList(r: Reader, v: unknown, path: string): readonly unknown[] | undefined {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v : expected(r, path, 'a list', v);
}

/** A list of strings; bad entries are reported and left out. */
export function readStringList(r: Reader, v: unknown, path: string): { readonly value: string; readonly index: number }[] {
  const list = readList(r, v, path) ?? [];
  const out: { value: string; index: number }[] = [];
  list.forEach((item, i) => {
    const s = readString(r, item, index(path, i));
    if (s !== undefined) out.push({ value: s, index: i });
    else if (item === undefined || item === null) fail(r, index(path, i), 'must be a string, not null');
  });
  return out;
}

/** A list of strings where a repeated entry is an error ("duplicate definition in <field>"). */
export function readUniqueStringEntries(r: Reader, v: unknown, path: string): { readonly value: string; readonly index: number }[] {
  const seen = new Set<string>();
  return readStringList(r, v, path).filter(({ value, index: i }) => {
    const repeated = seen.has(value);
    if (repeated) fail(r, index(path, i), `duplicate definition in ${path}: ${show(value)}`);
    seen.add(value);
    return !repeated;
  });
}

export const readUniqueStrings = (r: Reader, v: unknown, path: string): string[] =>
  readUniqueStringEntries(r, v, path).map((e) => e.value);

/** The map every reading without entries shares (frozen): 10 000 Services without labels need no 10 000 `{}`. */
const emptyMap: Record<string, string> = Object.freeze({});

/** A string-to-string map such as metadata.labels; non-string values are reported and dropped. */
export function readStringMap(r: Reader, v: unknown, path: string): Record<string, string> {
  const rec = readRecord(r, v, path);
  if (rec === undefined || isEmpty(rec)) return emptyMap;
  // Already a map of strings in key order (what the API server sends): the object itself, frozen,
  // rather than a copy. Readings live as long as their objects (labels and selectors of 10 000
  // Services), and wire objects are replaced, never changed, once read.
  if (isCanonicalStringMap(rec)) return Object.freeze(rec as Record<string, string>);
  const out: Record<string, string> = {};
  for (const key of Object.keys(rec).sort()) {
    const s = readString(r, rec[key], at(path, key));
    if (s !== undefined) Object.defineProperty(out, key, { value: s, enumerable: true, writable: false });
  }
  return out;
}

function isCanonicalStringMap(rec: WireRecord): boolean {
  if (Object.getPrototypeOf(rec) !== Object.prototype) return false;
  let previous: string | null = null;
  for (const key in rec) {
    if (!Object.hasOwn(rec, key) || typeof rec[key] !== 'string' || (previous !== null && !(previous < key))) return false;
    previous = key;
  }
  return true;
}

/** Warns about fields this version does not know (Kubernetes would prune them). */
export function warnUnknownFields(r: Reader, rec: WireRecord, path: string, known: readonly string[]): void {
  for (const key of Object.keys(rec).sort()) {
    if (!known.includes(key)) warn(r, at(path, key), 'unknown field, ignored');
  }
}

/** JSON with sorted keys (and bigint, Set, Map, undefined spelled out) for equality and ordering. */
export function canonicalJson(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v !== 'object' || v === null) return JSON.stringify(v) ?? String(typeof v);
  if (Array.isArray(v)) return `[${Array.from(v, canonicalJson).join(',')}]`;
  if (v instanceof Set) return `set[${[...v].map(canonicalJson).sort().join(',')}]`;
  if (v instanceof Map) return `map[${[...v].map(canonicalJson).sort().join(',')}]`;
  const rec = v as Record<string, unknown>;
  return `{${Object.keys(rec).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(rec[k])}`).join(',')}}`;
}

function isEmpty(rec: object): boolean {
  for (const _ in rec) return false;
  return true;
}
