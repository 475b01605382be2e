// Golden tests of `barelb explain` in local mode (examples/ and testdata/explain/l2-lab), the
// state file, and its exit statuses. Regenerate with UPDATE_GOLDEN=1 and review the diff.

import { expect } from 'chai';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkGolden, goldenDir, runCaptured as run } from './cli-testing.ts';

const examples = new URL('../../examples/', import.meta.url).pathname;
const lab = join(goldenDir, 'explain', 'l2-lab');

type Case = { readonly dir: string; readonly service: string; readonly code: 0 | 1; readonly json?: boolean };

const cases: readonly Case[] = [
  { dir: 'bgp', service: 'shop/web', code: 0, json: true },
  { dir: 'bgp', service: 'shop/api', code: 0 },
  { dir: 'single-pool', service: 'docs/wiki', code: 1 },
  { dir: 'sharing', service: 'www/intruder', code: 1 },
  { dir: 'sharing', service: 'dns/dns-udp', code: 1 },
  { dir: 'namespaced-pools', service: 'team-b/bastion', code: 1 },
  { dir: 'namespaced-pools', service: 'team-a-dev/reports', code: 1 },
  { dir: 'dual-stack', service: 'iot/legacy-v4', code: 1 },
  { dir: 'l2-lab', service: 'demo/web', code: 0, json: true },
  { dir: 'l2-lab', service: 'demo/local', code: 0 },
  { dir: 'l2-lab', service: 'demo/stranded', code: 1 },
  { dir: 'l2-lab', service: 'demo/full', code: 1 },
  { dir: 'l2-lab', service: 'demo/taken', code: 1 },
];

const pathOf = (dir: string): string => (dir === 'l2-lab' ? lab : join(examples, dir));
const golden = (c: Case, ext: string): string => join(goldenDir, 'explain', `${c.dir}.${c.service.replace('/', '.')}.${ext}`);

describe('barelb explain -f (local mode)', () => {
  for (const c of cases) {
    it(`tells the story of ${c.service} in ${c.dir} and exits ${c.code}`, async () => {
      const { code, stdout, stderr } = await run(['explain', c.service, '-f', pathOf(c.dir)]);
      expect(stderr).to.equal('');
      expect(code).to.equal(c.code);
      checkGolden(golden(c, 'txt'), stdout);
    });
    if (c.json === true) {
      it(`prints the story of ${c.service} in ${c.dir} as JSON`, async () => {
        const { code, stdout } = await run(['explain', c.service, '-f', pathOf(c.dir), '-o', 'json']);
        expect(code).to.equal(c.code);
        const parsed = JSON.parse(stdout) as { verdict: { state: string } };
        expect(parsed.verdict.state).to.equal(c.code === 0 ? 'announced' : parsed.verdict.state);
        checkGolden(golden(c, 'json'), stdout);
      });
    }
  }
});

describe('barelb explain with a state file', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'barelb-explain-'));
    cpSync(lab, dir, { recursive: true });
    mkdirSync(join(dir, '.barelb'));
    const state = {
      version: 1,
      services: { 'demo/web': { ips: ['192.0.2.10'], pool: 'lan' }, 'demo/local': { ips: ['192.0.2.12'], pool: 'lan' } },
      pending: { 'demo/full': { reason: 'pool-exhausted', message: 'no address available: pool "lan" exhausted for ipv4' } },
      pools: {},
    };
    writeFileSync(join(dir, '.barelb', 'state.json'), JSON.stringify(state));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('announces the address the state file records, as the speakers do', async () => {
    const { code, stdout } = await run(['explain', 'demo/local', '-f', dir]);
    expect(code).to.equal(0);
    expect(stdout.split('\n')[0]).to.equal('Service demo/local: 192.0.2.12 from pool lan, announced by L2 from node-2 (eth0)');
    expect(stdout).to.contain('  recorded in the state file: 192.0.2.12 from pool lan\n');
  });

  it('shows the pending record of the state file', async () => {
    const { code, stdout } = await run(['explain', 'demo/full', '-f', dir]);
    expect(code).to.equal(1);
    expect(stdout).to.contain('  state file says pending: pool-exhausted: no address available: pool "lan" exhausted for ipv4\n');
  });

  it('says an allocation the state file does not hold yet is not announced', async () => {
    const { code, stdout } = await run(['explain', 'demo/stranded', '-f', dir]);
    expect(code).to.equal(1);
    expect(stdout.split('\n')[0]).to.match(/^Service demo\/stranded: 192\.0\.2\.\d+ from pool lan \(not recorded yet\), not announced/);
  });

  it('exits 2 when the state file is corrupt', async () => {
    writeFileSync(join(dir, '.barelb', 'state.json'), '{"version": 7}');
    const { code, stderr } = await run(['explain', 'demo/web', '-f', dir]);
    expect(code).to.equal(2);
    expect(stderr).to.contain('unsupported state version 7');
  });
});

describe('barelb explain exit statuses', () => {
  it('exits 2 and names the close matches when the Service does not exist', async () => {
    const { code, stdout, stderr } = await run(['explain', 'shop/wbe', '-f', join(examples, 'bgp')]);
    expect(code).to.equal(2);
    expect(stdout).to.equal('');
    expect(stderr).to.equal('error: Service shop/wbe not found; did you mean shop/web?\n');
  });

  it('exits 2 when the Service is not given as NAMESPACE/NAME', async () => {
    const { code, stderr } = await run(['explain', 'web', '-f', lab]);
    expect(code).to.equal(2);
    expect(stderr).to.contain('NAMESPACE/NAME');
  });

  it('exits 2 when -f and --kubeconfig are both given', async () => {
    const { code, stderr } = await run(['explain', 'demo/web', '-f', lab, '--kubeconfig', '/nonexistent']);
    expect(code).to.equal(2);
    expect(stderr).to.contain('exclude each other');
  });

  it('exits 2 when the kubeconfig cannot be read', async () => {
    const { code, stderr } = await run(['explain', 'demo/web', '--kubeconfig', '/nonexistent/kubeconfig']);
    expect(code).to.equal(2);
    expect(stderr).to.match(/^error: /);
  });

  it('exits 2 without a Service argument', async () => {
    const { code } = await run(['explain', '-f', lab]);
    expect(code).to.equal(2);
  });

  it('exits 1 and lists the errors when the manifests are invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'barelb-explain-bad-'));
    try {
      cpSync(lab, dir, { recursive: true });
      writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: barelb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: bad, namespace: barelb-system}\nspec: {addresses: [192.0.2.300/32]}\n');
      const { code, stdout } = await run(['explain', 'demo/web', '-f', dir]);
      expect(code).to.equal(1);
      expect(stdout).to.match(/^Service demo\/web: configuration invalid — 1 error/);
      expect(stdout).to.contain('IPAddressPool/barelb-system/bad spec.addresses[0]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
