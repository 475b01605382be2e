// docs/configuration.md, generated from the same definitions as the CRDs (`npm run gen:crds`):
// per kind its versions, description, every field by path with type, default and constraints,
// and its CEL rules. A unit test keeps the committed file equal to this output.

import { annotationPrefixes } from '../api/service.ts';
import type { Schema } from './crds-schema.ts';
import { barelbCrds, crdGroup, storageVersion, type CrdDefinition } from './crds.ts';
import type { CrdVersion } from './crds-types.ts';
import { CONDITION_TYPE, POOL_ANNOTATION } from './service-status.ts';

export const configurationDocPath = 'docs/configuration.md';

export type FieldRow = { readonly path: string; readonly schema: Schema; readonly required: boolean };

/** Every field under spec and status, depth first, in declaration order. */
export function fieldRows(schema: Schema, prefix = ''): FieldRow[] {
  const rows: FieldRow[] = [];
  const walk = (s: Schema, path: string, required: boolean): void => {
    if (path !== '') rows.push({ path, schema: s, required });
    if (s.type === 'object' && s.properties !== undefined) {
      for (const [name, child] of Object.entries(s.properties)) walk(child, path === '' ? name : `${path}.${name}`, s.required?.includes(name) ?? false);
    } else if (s.type === 'array' && s.items !== undefined && s.items.type === 'object') {
      walk(s.items, `${path}[]`, false);
    }
  };
  walk(schema, prefix, false);
  return rows;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');

function typeOf(s: Schema): string {
  if (s.type === 'array') return `[]${s.items === undefined ? 'any' : s.items.type === 'object' ? 'object' : s.items.type}`;
  if (s.type === 'object' && s.additionalProperties !== undefined) return `map[string]${s.additionalProperties.type}`;
  return s.format === undefined ? s.type : `${s.type} (${s.format})`;
}

function constraints(s: Schema, required: boolean): string {
  const out: string[] = [];
  if (required) out.push('required');
  if (s.enum !== undefined) out.push(`one of ${s.enum.map((v) => `\`${v}\``).join(', ')}`);
  if (s.minimum !== undefined && s.maximum !== undefined) out.push(`${s.minimum}..${s.maximum}`);
  else if (s.minimum !== undefined) out.push(`≥ ${s.minimum}`);
  else if (s.maximum !== undefined) out.push(`≤ ${s.maximum}`);
  if (s.minItems !== undefined) out.push(`at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`);
  if (s.maxItems !== undefined) out.push(`at most ${s.maxItems} items`);
  if (s.minLength !== undefined) out.push(`length ≥ ${s.minLength}`);
  if (s.maxLength !== undefined) out.push(`length ≤ ${s.maxLength}`);
  if (s.pattern !== undefined) out.push(`pattern \`${s.pattern}\``);
  if (s['x-kubernetes-list-type'] === 'map') out.push(`one item per ${(s['x-kubernetes-list-map-keys'] ?? []).map((k) => `\`${k}\``).join(', ')}`);
  if ((s['x-kubernetes-validations'] ?? []).some((r) => r.rule === 'self == oldSelf')) out.push('immutable once set');
  return out.join('; ');
}

export type CelRule = { readonly path: string; readonly rule: string; readonly message: string };

/** CEL rules of the schema, with the path of the node that carries them (or of `fieldPath`). */
export function celRules(schema: Schema): CelRule[] {
  const out: CelRule[] = [];
  const walk = (s: Schema, path: string): void => {
    for (const r of s['x-kubernetes-validations'] ?? []) out.push({ path: `${path}${r.fieldPath ?? ''}`, message: r.message, rule: r.rule });
    if (s.properties !== undefined) for (const [name, child] of Object.entries(s.properties)) walk(child, path === '' ? name : `${path}.${name}`);
    if (s.items !== undefined) walk(s.items, `${path}[]`);
  };
  walk(schema, '');
  return out;
}

/** The fields under spec and status of one version's schema (not apiVersion, kind, metadata). */
export function documentedRows(v: CrdVersion): FieldRow[] {
  const top = v.schema.properties ?? {};
  return (['spec', 'status'] as const).flatMap((part) => {
    const s = top[part];
    return s === undefined ? [] : fieldRows(s, part).filter((r) => r.path !== part);
  });
}

const versionLabel = (v: CrdVersion): string =>
  `\`${crdGroup}/${v.name}\` (served${v.storage ? ', stored' : ''}${v.deprecationWarning === undefined ? '' : ', deprecated'})`;

function fieldTable(v: CrdVersion): string[] {
  const rows = documentedRows(v);
  if (rows.length === 0) return ['No fields: an object of this kind carries only its metadata.', ''];
  const line = (r: FieldRow): string => {
    const def = r.schema.default === undefined ? '' : `\`${String(r.schema.default)}\``;
    return `| \`${r.path}\` | ${typeOf(r.schema)} | ${def} | ${cell(constraints(r.schema, r.required))} | ${cell(r.schema.description ?? '')} |`;
  };
  return ['| field | type | default | constraints | description |', '| --- | --- | --- | --- | --- |', ...rows.map(line), ''];
}

function ruleList(v: CrdVersion): string[] {
  const rules = celRules(v.schema);
  if (rules.length === 0) return [];
  return ['Rules the API server checks (CEL, `x-kubernetes-validations`):', '', ...rules.map((r) => `* \`${r.path}\`: ${r.message}. Rule: \`${r.rule}\``), ''];
}

/** The stored version first: it is the one to write; older served versions follow. */
const versionsInOrder = (def: CrdDefinition): CrdVersion[] => [storageVersion(def), ...def.versions.filter((v) => !v.storage)];

function kindSection(def: CrdDefinition): string {
  const stored = storageVersion(def);
  const lines = [
    `## ${def.kind}`,
    '',
    `API versions: ${def.versions.map(versionLabel).join(', ')}. Plural: \`${def.plural}\`.`,
    '',
    stored.schema.description ?? '',
    '',
  ];
  for (const v of def.versions) if (v.deprecationWarning !== undefined) lines.push(`> \`${v.name}\` is deprecated: every request for it gets the warning "${v.deprecationWarning}".`, '');
  const multi = def.versions.length > 1;
  for (const v of versionsInOrder(def)) {
    if (multi) lines.push(`### ${def.kind} ${v.name}${v.storage ? '' : ' (deprecated)'}`, '');
    lines.push(...fieldTable(v), ...ruleList(v));
  }
  return lines.join('\n');
}

const [ownPrefix, ...foreignPrefixes] = annotationPrefixes;
const code = (text: string): string => `\`${text}\``;

/** Hand-written: Services are not barelb's kind, so no schema describes what barelb reads of them. */
const serviceSection = `## Service annotations and what the controller writes

barelb reads each annotation below under the first prefix that has it: ${annotationPrefixes.map(code).join(', then ')}
(MetalLB's prefixes, so Services keep working after a migration; the last one is deprecated and
draws a warning).

| annotation | meaning |
| --- | --- |
| ${code(`${ownPrefix}loadBalancerIPs`)} | Comma-separated addresses to assign, at most one per IP family; excludes \`spec.loadBalancerIP\`. |
| ${code(`${ownPrefix}address-pool`)} | Allocate only from the IPAddressPool of this name. |
| ${code(`${ownPrefix}allow-shared-ip`)} | A sharing key: Services with the same key may share an address when their ports do not clash (and, with \`externalTrafficPolicy: Local\`, their selectors are equal). |

The controller writes on each LoadBalancer Service it serves:

* \`status.loadBalancer.ingress\`: the addresses, with \`ipMode: VIP\`;
* the annotation ${code(POOL_ANNOTATION)}: the pool the addresses come from (${foreignPrefixes.map((p) => code(`${p}ip-allocated-from-pool`)).join(' and ')} are read as well, never written);
* the condition ${code(CONDITION_TYPE)} in \`status.conditions\`: \`True\` with reason \`IPAllocated\`, or \`False\` with the pending reason code in CamelCase (\`pool-exhausted\` becomes \`PoolExhausted\`; see [reason-codes.md](reason-codes.md));
* Events \`IPAllocated\`, \`IPReleased\` and \`AllocationFailed\` on the Service, and \`InvalidConfiguration\` on an object an invalid configuration names.
`;

export function renderConfigurationDoc(): string {
  return [
    '# Configuration reference',
    '',
    '<!-- Generated by `npm run gen:crds` from src/k8s/crds*.ts; do not edit by hand. -->',
    '',
    `Every kind lives in the API group \`${crdGroup}\`, in barelb's namespace (\`barelb-system\` by default).`,
    'Semantic rules that need more than one object (overlapping pools, references) are checked by',
    'barelb itself and reported in ConfigurationState and Warning Events; the last valid',
    'configuration stays in force.',
    '',
    ...barelbCrds.map(kindSection),
    serviceSection,
  ].join('\n');
}
