// What the vtysh JSON decoders share: the failure value, lenient field schemas (a field of an
// unexpected type reads as absent instead of failing the whole document), and object checks.

import { z } from 'zod';
import { err, type Err } from '../../../core/result.ts';

/** A document whose shape the decoder cannot use; `where` names the part (`default/192.0.2.1`, `[3]`). */
export type DecodeFailure = { readonly reason: 'unexpected-shape'; readonly where: string; readonly detail: string };

export const failure = (where: string, detail: string): Err<DecodeFailure> => err({ reason: 'unexpected-shape', where, detail });

/** Zod's issues as one line, for a failure's `detail`. */
export const describeIssues = (error: z.ZodError): string => z.prettifyError(error).replace(/\s*\n\s*/g, '; ');

/** A number that may be missing or of another type (then undefined). */
export const optNumber = z.number().optional().catch(undefined);
export const optString = z.string().optional().catch(undefined);
export const optBoolean = z.boolean().optional().catch(undefined);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Plain string order (not locale order), so sorting is the same on every machine. */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
