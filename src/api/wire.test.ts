import { expect } from 'chai';
import { newIssues, readStringMap, type Reader } from './wire.ts';

const reader = (): Reader => ({ object: 'Service/shop/web', issues: newIssues() });

describe('readStringMap', () => {
  it('keeps a map of strings in key order as it is, frozen, instead of copying it', () => {
    const labels = { app: 'web', tier: 'front' };
    const read = readStringMap(reader(), labels, 'metadata.labels');
    expect(read).to.equal(labels);
    expect(Object.isFrozen(read)).to.equal(true);
  });

  it('copies any other map into key order, leaving out (and reporting) what is not a string', () => {
    const r = reader();
    const wire = { tier: 'front', app: 'web', port: 80 };
    const read = readStringMap(r, wire, 'metadata.labels');
    expect(read).not.to.equal(wire);
    expect(Object.keys(read)).to.deep.equal(['app', 'tier']);
    expect(wire).to.deep.equal({ tier: 'front', app: 'web', port: 80 });
    expect(r.issues.errors.map((e) => e.field)).to.deep.equal(['metadata.labels.port']);
  });
});
