// Golden tests of `barelb plan` on every example set, plus its exit statuses.
// Regenerate the goldens with UPDATE_GOLDEN=1 after an intended change, and review the diff.

import { expect } from 'chai';
import { readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { checkGolden, goldenDir, runCaptured as run } from './cli-testing.ts';

const examplesDir = new URL('../../examples/', import.meta.url).pathname;

describe('barelb plan on examples/', () => {
  const sets = readdirSync(examplesDir, { withFileTypes: true }).filter((d) => d.isDirectory());

  it('finds the example sets', () => {
    expect(sets.length).to.be.greaterThanOrEqual(5);
  });

  for (const set of sets) {
    const dir = join(examplesDir, set.name);
    it(`prints the expected JSON plan for ${set.name}`, async () => {
      const { code, stdout } = await run(['plan', '-f', dir, '-o', 'json']);
      expect(code).to.equal(0);
      checkGolden(join(goldenDir, `${set.name}.plan.json`), stdout);
    });
    it(`prints the expected table for ${set.name}`, async () => {
      const { code, stdout } = await run(['plan', '-f', dir]);
      expect(code).to.equal(0);
      checkGolden(join(goldenDir, `${set.name}.plan.txt`), stdout);
    });
  }
});

describe('barelb plan exit statuses', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'barelb-plan-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 1 and lists every error when the manifests are invalid', async () => {
    writeFileSync(
      join(dir, 'bad.yaml'),
      [
        'apiVersion: barelb.io/v1beta1',
        'kind: IPAddressPool',
        'metadata: {name: a, namespace: barelb-system}',
        'spec: {addresses: [192.0.2.0/33]}',
        '---',
        'apiVersion: barelb.io/v1beta1',
        'kind: IPAddressPool',
        'metadata: {name: b, namespace: barelb-system}',
        'spec: {addresses: [192.0.2.9-192.0.2.1]}',
      ].join('\n'),
    );
    const { code, stdout } = await run(['plan', '-f', dir, '-o', 'json']);
    expect(code).to.equal(1);
    const report = JSON.parse(stdout) as { services: unknown[]; errors: { object: string; field: string }[] };
    expect(report.services).to.deep.equal([]);
    expect(report.errors.map((e) => [e.object, e.field])).to.deep.equal([
      ['IPAddressPool/barelb-system/a', 'spec.addresses[0]'],
      ['IPAddressPool/barelb-system/b', 'spec.addresses[0]'],
    ]);
  });

  it('exits 1 with the line of a YAML syntax error', async () => {
    writeFileSync(join(dir, 'broken.yaml'), 'kind: IPAddressPool\nmetadata: [unclosed\n');
    const { code, stdout } = await run(['plan', '-f', dir, '-o', 'json']);
    expect(code).to.equal(1);
    const report = JSON.parse(stdout) as { errors: { object: string; field: string }[] };
    expect(report.errors[0]?.object).to.equal(join(dir, 'broken.yaml'));
    expect(report.errors[0]?.field).to.match(/^line \d+, column \d+$/);
  });

  it('exits 1 when a path does not exist', async () => {
    const { code, stdout } = await run(['plan', '-f', join(dir, 'missing'), '-o', 'json']);
    expect(code).to.equal(1);
    expect(stdout).to.contain('ENOENT');
  });

  it('exits 2 on a usage error', async () => {
    expect((await run(['plan'])).code).to.equal(2);
    expect((await run(['plan', '-f', dir, '-o', 'xml'])).code).to.equal(2);
    expect((await run(['no-such-command'])).code).to.equal(2);
    expect((await run([])).code).to.equal(2);
  });

  it('exits 0 for pending Services: they are not errors', async () => {
    writeFileSync(
      join(dir, 'ok.yaml'),
      'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: default}\nspec: {type: LoadBalancer, clusterIPs: [172.20.0.1], ports: [{port: 80}]}\n',
    );
    const { code, stdout } = await run(['plan', '-f', dir, '-o', 'json']);
    expect(code).to.equal(0);
    const report = JSON.parse(stdout) as { services: { state: string; reason: string }[] };
    expect(report.services).to.have.length(1);
    expect(report.services[0]?.state).to.equal('pending');
  });
});
