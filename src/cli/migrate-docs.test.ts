// docs/migration.md keeps up with the code: every report code of `barelb migrate` is explained,
// in the order of the code, with its severity.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { noteCodeList, severityOf } from '../migrate/notes.ts';

describe('docs/migration.md', () => {
  const doc = readFileSync(new URL('../../docs/migration.md', import.meta.url), 'utf8');
  const codes = doc.slice(doc.indexOf('\n## Report codes\n'));
  const sections = [...codes.matchAll(/^### (.+)\n\*(Left out|Changed)\.\*/gm)].map((m) => [m[1], m[2]]);

  it('has a section for every report code, in the order of the code, saying its severity', () => {
    expect(sections).to.deep.equal(noteCodeList.map((c) => [c, severityOf(c) === 'left-out' ? 'Left out' : 'Changed']));
  });
});
