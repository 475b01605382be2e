import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configurationDocPath, renderConfigurationDoc } from './crd-docs.ts';
import type { Schema } from './crds-schema.ts';
import { barelbCrds, barelbKinds } from './crds.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const committed = readFileSync(join(root, configurationDocPath), 'utf8');

/** Every property path under spec and status, found independently of the generator's own walk. */
function propertyPaths(schema: Schema, path: string): string[] {
  const own = Object.entries(schema.properties ?? {}).flatMap(([name, sub]) => [`${path}.${name}`, ...propertyPaths(sub, `${path}.${name}`)]);
  return schema.items === undefined ? own : [...own, ...propertyPaths(schema.items, `${path}[]`)];
}

function rules(schema: Schema): string[] {
  const own = (schema['x-kubernetes-validations'] ?? []).map((r) => `${r.message}. Rule: \`${r.rule}\``);
  return [...own, ...Object.values(schema.properties ?? {}).flatMap(rules), ...(schema.items === undefined ? [] : rules(schema.items))];
}

/** The text of one kind's section: from its heading to the next kind's. */
const sectionOf = (kind: string): string => committed.split(/^## /m).find((s) => s.startsWith(`${kind}\n`)) ?? '';

describe('docs/configuration.md', () => {
  it('is exactly what `npm run gen:crds` writes', () => {
    expect(committed === renderConfigurationDoc(), `${configurationDocPath} is stale: run npm run gen:crds`).to.equal(true);
  });

  it('has one section per kind, configuration kinds first, then the Service annotations', () => {
    const headings = committed.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3));
    expect(headings).to.deep.equal([...barelbKinds, 'Service annotations and what the controller writes']);
  });

  for (const def of barelbCrds) {
    for (const v of def.versions) {
      it(`lists every ${def.kind} ${v.name} field by path, and its CEL rules`, () => {
        const kindText = sectionOf(def.kind);
        // A kind with several versions has one subsection per version; check the fields in that one.
        const section = def.versions.length === 1 ? kindText : kindText.split(/^### /m).find((s) => s.startsWith(`${def.kind} ${v.name}`)) ?? '';
        for (const part of ['spec', 'status'] as const) {
          const schema = v.schema.properties?.[part];
          if (schema === undefined) continue;
          for (const path of propertyPaths(schema, part)) expect(section, path).to.contain(`| \`${path}\` |`);
        }
        for (const rule of rules(v.schema)) expect(section).to.contain(rule);
        expect(kindText).to.contain(`\`barelb.io/${v.name}\` (served${v.storage ? ', stored' : ''}${v.deprecationWarning === undefined ? '' : ', deprecated'})`);
      });
    }
  }

  it('documents the Service annotations under every prefix barelb reads, and what the controller writes', () => {
    const section = sectionOf('Service annotations and what the controller writes');
    for (const text of ['`barelb.io/loadBalancerIPs`', '`barelb.io/address-pool`', '`barelb.io/allow-shared-ip`', '`metallb.io/`', '`metallb.universe.tf/`', '`barelb.io/ip-allocated-from-pool`', '`barelb.io/IPAllocated`']) {
      expect(section).to.contain(text);
    }
  });
});
