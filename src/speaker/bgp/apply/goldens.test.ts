import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { batchLines } from './batch.ts';
import type { FrrConfig } from './frr-config.ts';
import { readConfig } from './normalise.ts';
import { planApply } from './plan.ts';
import { applyLines } from './testing.ts';

// The renderer's golden files (src/speaker/bgp/testdata): barelb's own frr.conf structure, with
// origination route-maps, `exit` markers, VRFs, BFD, unnumbered and dual-stack sessions.
const dir = new URL('../testdata/', import.meta.url);
const goldens = readdirSync(dir).filter((f) => f.endsWith('.golden.conf')).map((f) => ({ name: f, config: readConfig(readFileSync(new URL(f, dir), 'utf8')) }));

const asSets = (c: FrrConfig): unknown => ({
  globals: [...c.globals].sort(),
  contexts: Object.fromEntries([...c.contexts].map(([k, ctx]) => [k, [...ctx.lines].sort()])),
});

describe('planApply on the renderer\'s golden files', () => {
  it('finds them', () => {
    expect(goldens.length).to.be.greaterThan(10);
  });

  it('plans nothing from a golden to itself, and builds each from an empty FRR without a full reload', () => {
    for (const g of goldens) {
      expect(planApply(g.config, g.config).changes, g.name).to.deep.equal([]);
      const plan = planApply(readConfig(''), g.config);
      expect(plan.cls, g.name).to.not.equal('full-reload');
      expect(asSets(applyLines(readConfig(''), batchLines(plan.steps))), g.name).to.deep.equal(asSets(g.config));
    }
  });

  it('turns any golden into any other', () => {
    for (const a of goldens) {
      for (const b of goldens) {
        const plan = planApply(a.config, b.config);
        expect(asSets(applyLines(a.config, batchLines(plan.steps))), `${a.name} -> ${b.name}`).to.deep.equal(asSets(b.config));
      }
    }
  });
});
