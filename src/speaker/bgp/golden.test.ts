// Golden files of the frr.conf renderer, one per scenario of golden-scenarios.ts. Regenerate
// with UPDATE_GOLDEN=1 after an intended change and review the diff; e2e/bgp/golden.test.ts
// feeds every file to real FRR.

import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { goldenDir, goldenFile, goldenScenarios, renderScenario } from './golden-scenarios.ts';

const update = process.env['UPDATE_GOLDEN'] === '1';

describe('frr.conf golden files', () => {
  const scenarios = goldenScenarios();

  it('names every scenario once, in kebab-case', () => {
    const names = scenarios.map((s) => s.name);
    expect(new Set(names).size).to.equal(names.length);
    for (const n of names) expect(n).to.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  for (const s of scenarios) {
    it(`renders ${s.name} as its golden file (${s.about})`, () => {
      const rendered = renderScenario(s);
      if (!rendered.ok) expect.fail(`render failed: ${JSON.stringify(rendered.error)}`);
      const path = goldenFile(s);
      if (update) writeFileSync(path, rendered.value);
      expect(existsSync(path), `${path.pathname} is missing; run with UPDATE_GOLDEN=1`).to.equal(true);
      expect(rendered.value).to.equal(readFileSync(path, 'utf8'));
    });
  }

  it('has no golden file without a scenario', () => {
    const files = readdirSync(goldenDir).filter((f) => f.endsWith('.golden.conf'));
    expect(files.sort()).to.deep.equal(scenarios.map((s) => `${s.name}.golden.conf`).sort());
  });
});
