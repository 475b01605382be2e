// Checks a decoded object against its barelb CRD's structural schema, offline: types, required
// fields, enums, ranges, lengths, patterns, and fields the schema does not know (which the API
// server would prune or, with strict field validation, reject). CEL rules are not evaluated.

import { crdGroup, type CrdDefinition } from './crds-types.ts';
import type { Schema } from './crds-schema.ts';

export type SchemaProblem = { readonly field: string; readonly message: string };

const isPlainObject = (v: unknown): v is Readonly<Record<string, unknown>> => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeProblem(schema: Schema, value: unknown): string | null {
  const ok = schema.type === 'object' ? isPlainObject(value)
    : schema.type === 'array' ? Array.isArray(value)
      : schema.type === 'integer' ? Number.isInteger(value)
        : typeof value === schema.type;
  return ok ? null : `must be of type ${schema.type}, not ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}`;
}

function boundsProblem(schema: Schema, value: unknown): string | null {
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return `${value} is less than the minimum ${schema.minimum}`;
    if (schema.maximum !== undefined && value > schema.maximum) return `${value} is more than the maximum ${schema.maximum}`;
  }
  if (typeof value === 'string') {
    if (schema.enum !== undefined && !schema.enum.includes(value)) return `unsupported value ${JSON.stringify(value)}; use one of ${schema.enum.join(', ')}`;
    if (schema.minLength !== undefined && value.length < schema.minLength) return `must be at least ${schema.minLength} characters long`;
    if (schema.maxLength !== undefined && value.length > schema.maxLength) return `must be at most ${schema.maxLength} characters long`;
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return `must match ${schema.pattern}`;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return `must have at least ${schema.minItems} items`;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return `must have at most ${schema.maxItems} items`;
  }
  return null;
}

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

/** Problems of `value` against `schema`, each naming the JSON path of its field. */
export function checkSchema(schema: Schema, value: unknown, field: string): SchemaProblem[] {
  const own = typeProblem(schema, value) ?? boundsProblem(schema, value);
  if (own !== null) return [{ field, message: own }];
  const out: SchemaProblem[] = [];
  if (Array.isArray(value) && schema.items !== undefined) {
    const items = schema.items;
    value.forEach((item, i) => out.push(...checkSchema(items, item, `${field}[${i}]`)));
  }
  if (isPlainObject(value)) {
    // The API server prunes nulls of non-nullable fields before validating: null is absent.
    const present = Object.entries(value).filter(([, item]) => item !== null && item !== undefined);
    for (const name of schema.required ?? []) {
      if (!present.some(([key]) => key === name)) out.push({ field: join(field, name), message: 'is required' });
    }
    for (const [key, item] of present) {
      const sub = schema.properties?.[key] ?? schema.additionalProperties;
      if (sub !== undefined) out.push(...checkSchema(sub, item, join(field, key)));
      else out.push({ field: join(field, key), message: 'unknown field' });
    }
  }
  return out;
}

/** Problems of one barelb.io object against the CRDs; other groups are not ours to check. */
export function checkObject(crds: readonly CrdDefinition[], object: unknown): SchemaProblem[] {
  if (!isPlainObject(object)) return [{ field: '', message: 'is not an object' }];
  const apiVersion = typeof object['apiVersion'] === 'string' ? object['apiVersion'] : '';
  const [group, version] = apiVersion.split('/');
  if (group !== crdGroup) return [];
  const def = crds.find((d) => d.kind === object['kind']);
  if (def === undefined) return [{ field: 'kind', message: `${JSON.stringify(object['kind'])} is not a ${crdGroup} kind` }];
  const served = def.versions.find((v) => v.name === version);
  if (served === undefined) return [{ field: 'apiVersion', message: `${def.kind} has no version ${JSON.stringify(version)}` }];
  // metadata is the API server's; the schema only says it is an object.
  const { metadata: _metadata, ...rest } = object;
  return checkSchema(served.schema, rest, '');
}
