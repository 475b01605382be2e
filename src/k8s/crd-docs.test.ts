import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { celRules, configurationDocPath, fieldRows, renderConfigurationDoc } from './crd-docs.ts';
import { barelbCrds, storageVersion } from './crds.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('docs/configuration.md (generated from the CRDs)', () => {
  const committed = readFileSync(join(root, configurationDocPath), 'utf8');

  it('is what `npm run gen:crds` writes', () => {
    expect(committed === renderConfigurationDoc(), 'run `npm run gen:crds`').to.equal(true);
  });

  it('lists every field of every kind by path, and every CEL rule', () => {
    for (const def of barelbCrds) {
      expect(committed).to.contain(`## ${def.kind}`);
      const top = storageVersion(def).schema.properties ?? {};
      for (const part of ['spec', 'status'] as const) {
        const schema = top[part];
        if (schema === undefined) continue;
        for (const row of fieldRows(schema, part).filter((r) => r.path !== part)) expect(committed, `${def.kind} ${row.path}`).to.contain(`| \`${row.path}\` |`);
      }
      for (const rule of celRules(storageVersion(def).schema)) expect(committed, `${def.kind} rule`).to.contain(rule.message.replace(/\|/g, '\\|'));
    }
  });
});
