// What the vtysh JSON decoders share: the failure value, lenient field readers (a field of an
// unexpected type reads as absent instead of failing the whole document), and object checks.
// Hand-written rather than a schema library: these few shapes are read in every BGP speaker, and
// zod cost each one ~3 MB of heap and ~2 MB of resident memory (it stays in the lab's and the
// tests' readers of FRR JSON, where a version change must fail loudly).

import { err, type Err } from '../../../core/result.ts';

/** A document whose shape the decoder cannot use; `where` names the part (`default/192.0.2.1`, `[3]`). */
export type DecodeFailure = { readonly reason: 'unexpected-shape'; readonly where: string; readonly detail: string };

export const failure = (where: string, detail: string): Err<DecodeFailure> => err({ reason: 'unexpected-shape', where, detail });

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A number that may be missing or of another type (then undefined). */
export const optNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
export const optString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const optBoolean = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
/** An object that may be missing or of another type (then empty). */
export const optObject = (v: unknown): Readonly<Record<string, unknown>> => (isPlainObject(v) ? v : {});

/** The detail of a failure for a required string field. */
export const missingString = (field: string, v: unknown): string => `${field}: expected a string, got ${v === undefined ? 'nothing' : Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v}`;

/** Plain string order (not locale order), so sorting is the same on every machine. */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
