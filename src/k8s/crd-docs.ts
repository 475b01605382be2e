// docs/configuration.md, generated from the same definitions as the CRDs (`npm run gen:crds`):
// per kind its versions, description, every field by path with type, default and constraints,
// and its CEL rules. A unit test keeps the committed file equal to this output.

import type { Schema } from './crds-schema.ts';
import { barelbCrds, crdGroup, storageVersion, type CrdDefinition } from './crds.ts';

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
  if (s.minItems !== undefined) out.push(`at least ${s.minItems} item(s)`);
  if (s.maxItems !== undefined) out.push(`at most ${s.maxItems} items`);
  if (s.minLength !== undefined) out.push(`length ≥ ${s.minLength}`);
  if (s.maxLength !== undefined) out.push(`length ≤ ${s.maxLength}`);
  if (s.pattern !== undefined) out.push(`pattern \`${s.pattern}\``);
  for (const r of s['x-kubernetes-validations'] ?? []) if (/oldSelf/.test(r.rule) && !/has\(oldSelf/.test(r.rule)) out.push(r.message);
  return out.join('; ');
}

/** CEL rules of the schema, with the path of the node that carries them. */
export function celRules(schema: Schema): { readonly path: string; readonly message: string; readonly rule: string }[] {
  const out: { path: string; message: string; rule: string }[] = [];
  const walk = (s: Schema, path: string): void => {
    for (const r of s['x-kubernetes-validations'] ?? []) out.push({ path: path === '' ? '(object)' : path, message: r.message, rule: r.rule });
    if (s.properties !== undefined) for (const [name, child] of Object.entries(s.properties)) walk(child, path === '' ? name : `${path}.${name}`);
    if (s.items !== undefined) walk(s.items, `${path}[]`);
  };
  walk(schema, '');
  return out;
}

function kindSection(def: CrdDefinition): string {
  const stored = storageVersion(def);
  const versions = def.versions.map((v) => `\`${crdGroup}/${v.name}\`${v.storage ? ' (stored)' : ''}${v.deprecationWarning === undefined ? '' : ' (deprecated)'}`).join(', ');
  const top = stored.schema.properties ?? {};
  const rows = [...fieldRows(top['spec'] ?? { type: 'object' }, 'spec'), ...fieldRows(top['status'] ?? { type: 'object' }, 'status')].filter((r) => r.path !== 'spec' && r.path !== 'status');
  const lines = [
    `## ${def.kind}`,
    '',
    `Versions: ${versions}. Plural: \`${def.plural}\`.`,
    '',
    cell(stored.schema.description ?? ''),
    '',
  ];
  if (rows.length > 0) {
    lines.push('| field | type | default | constraints | description |', '| --- | --- | --- | --- | --- |');
    for (const r of rows) {
      lines.push(`| \`${r.path}\` | ${typeOf(r.schema)} | ${r.schema.default === undefined ? '' : `\`${String(r.schema.default)}\``} | ${cell(constraints(r.schema, r.required))} | ${cell(r.schema.description ?? '')} |`);
    }
    lines.push('');
  }
  const rules = celRules(stored.schema);
  if (rules.length > 0) {
    lines.push('Rules checked by the API server (CEL):', '');
    for (const r of rules) lines.push(`* \`${r.path}\`: ${cell(r.message)}`);
    lines.push('');
  }
  return lines.join('\n');
}

const annotations = `## Service annotations and what the controller writes

barelb reads each annotation under the first prefix that has it: \`barelb.io/\`, then MetalLB's
\`metallb.io/\` and \`metallb.universe.tf/\` (deprecated; a warning says so).

| annotation | meaning |
| --- | --- |
| \`barelb.io/loadBalancerIPs\` | comma-separated addresses to assign (one per family); exclusive with \`spec.loadBalancerIP\` |
| \`barelb.io/address-pool\` | allocate only from this IPAddressPool |
| \`barelb.io/allow-shared-ip\` | a sharing key: Services with the same key may share an address when their ports do not clash |

Written by the controller on each LoadBalancer Service it serves:

* \`status.loadBalancer.ingress\`: the addresses (\`ipMode: VIP\`), through the status subresource;
* the annotation \`barelb.io/ip-allocated-from-pool\`: the pool (MetalLB's \`metallb.io/ip-allocated-from-pool\` is read on start-up, so a migrated cluster keeps its pools);
* the condition \`barelb.io/IPAllocated\`: \`True\` with reason \`IPAllocated\`, or \`False\` with the pending reason in CamelCase (see [reason-codes.md](reason-codes.md));
* events.k8s.io Events: \`IPAllocated\`, \`IPReleased\`, \`AllocationFailed\`; and \`InvalidConfiguration\` on the object an invalid configuration names.
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
    annotations,
  ].join('\n');
}
