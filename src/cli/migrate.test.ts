// `barelb migrate` on MetalLB's documented examples and on examples/metallb-migrated: golden
// output and report, the result passes `barelb plan` and allocates what MetalLB allocated, and
// migrating the result again changes nothing. Regenerate the goldens with UPDATE_GOLDEN=1.

import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkGolden, goldenDir, runCaptured as run } from './cli-testing.ts';

const inputDir = join(goldenDir, 'migrate', 'input');
const examplesDir = new URL('../../examples/', import.meta.url).pathname;

type PlannedService = { namespace: string; name: string; state: string; ips: string[]; pool: string | null; reason: string | null };
type PlanJson = { services: PlannedService[]; errors: unknown[] };

type Example = {
  readonly name: string;
  readonly path: string;
  /** Metallb.io resources barelb also reads as they are (no legacy ConfigMap). */
  readonly plannableAsIs: boolean;
  readonly exit: 0 | 1;
  /** What MetalLB allocated (or would), by "namespace/name"; [] = no address. */
  readonly expected: Readonly<Record<string, readonly string[]>>;
};

const examples: readonly Example[] = [
  {
    name: 'l2-docs', path: join(inputDir, 'l2-docs'), plannableAsIs: true, exit: 0,
    expected: { 'default/nginx': ['192.168.1.240'], 'default/nginx-fixed': ['192.168.1.245'], 'default/dns-service-tcp': ['192.168.1.248'], 'default/dns-service-udp': ['192.168.1.248'] },
  },
  {
    name: 'bgp-docs', path: join(inputDir, 'bgp-docs'), plannableAsIs: true, exit: 0,
    // bar: the reserved pool (priority, namespace and selector), skipping .0 (avoidBuggyIPs);
    // web: the only auto-assign pool without serviceAllocation; api keeps what it holds.
    expected: { 'namespace-a/bar': ['192.168.20.1'], 'shop/web': ['192.168.10.0'], 'shop/public': ['198.51.100.0'], 'shop/api': ['192.168.10.7'] },
  },
  {
    name: 'peers-v1beta1-secret', path: join(inputDir, 'peers-v1beta1-secret'), plannableAsIs: true, exit: 1,
    expected: { 'default/web': ['10.10.0.3'], 'default/cache': ['10.10.0.0'] },
  },
  {
    name: 'legacy-docs', path: join(inputDir, 'legacy-docs'), plannableAsIs: false, exit: 0,
    expected: { 'default/web': ['198.51.100.0'], 'default/payments': ['42.176.25.64'], 'default/shop': ['203.0.113.1'], 'default/api': ['198.51.100.10'] },
  },
  {
    name: 'legacy-l2', path: join(inputDir, 'legacy-l2'), plannableAsIs: false, exit: 0,
    expected: { 'default/nginx': ['192.168.1.240'] },
  },
  {
    name: 'metallb-migrated', path: join(examplesDir, 'metallb-migrated'), plannableAsIs: true, exit: 0,
    // bad-request asks for an invalid address (MetalLB fails it too); metrics has another class.
    expected: { 'prod/frontend': ['198.51.100.5'], 'prod/backend': ['198.51.100.17'], 'staging/preview': ['203.0.113.64'], 'prod/bad-request': [], 'prod/metrics': [] },
  },
];

const allocations = (plan: PlanJson): Record<string, string[]> =>
  Object.fromEntries(plan.services.map((s) => [`${s.namespace}/${s.name}`, s.ips]));

async function planJson(path: string): Promise<{ code: number; plan: PlanJson }> {
  const { code, stdout } = await run(['plan', '-f', path, '-o', 'json']);
  return { code, plan: JSON.parse(stdout) as PlanJson };
}

describe('barelb migrate on MetalLB examples', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'barelb-migrate-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const ex of examples) {
    describe(ex.name, () => {
      it(`writes the expected manifests and report, exit status ${ex.exit}`, async () => {
        const { code, stdout, stderr } = await run(['migrate', '-f', ex.path]);
        expect(code, stderr).to.equal(ex.exit);
        checkGolden(join(goldenDir, 'migrate', `${ex.name}.barelb.yaml`), stdout);
        checkGolden(join(goldenDir, 'migrate', `${ex.name}.report.txt`), stderr);
      });

      it('gives a result that barelb plan accepts and that allocates what MetalLB did', async () => {
        const out = join(dir, 'barelb.yaml');
        expect((await run(['migrate', '-f', ex.path, '-o', out])).code).to.equal(ex.exit);
        const { code, plan } = await planJson(out);
        expect(plan.errors).to.deep.equal([]);
        expect(code).to.equal(0);
        expect(allocations(plan)).to.deep.equal(ex.expected);
      });

      if (ex.plannableAsIs) {
        it('plans exactly as the MetalLB manifests do when barelb reads them unchanged', async () => {
          const out = join(dir, 'barelb.yaml');
          await run(['migrate', '-f', ex.path, '-o', out]);
          const before = await planJson(ex.path);
          const after = await planJson(out);
          // Messages may name the annotation, whose name changed; the decisions must not.
          const decisions = (p: PlanJson) => p.services.map(({ namespace, name, state, ips, pool, reason }) => ({ namespace, name, state, ips, pool, reason }));
          expect(decisions(after.plan)).to.deep.equal(decisions(before.plan));
        });
      }

      it('changes nothing when run again on its own output', async () => {
        const out = join(dir, 'barelb.yaml');
        await run(['migrate', '-f', ex.path, '-o', out]);
        const again = await run(['migrate', '-f', out]);
        expect(again.code).to.equal(0);
        expect(again.stdout).to.equal(readFileSync(out, 'utf8'));
        expect(again.stderr).to.contain('Nothing was left out.');
        expect(again.stderr).to.not.contain('Changed');
      });
    });
  }
});

describe('barelb migrate options and exit statuses', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'barelb-migrate-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the report as JSON with --format json', async () => {
    const { code, stderr } = await run(['migrate', '-f', join(inputDir, 'peers-v1beta1-secret'), '--format', 'json']);
    expect(code).to.equal(1);
    checkGolden(join(goldenDir, 'migrate', 'peers-v1beta1-secret.report.json'), stderr);
    const report = JSON.parse(stderr) as { incomplete: boolean; notes: { code: string; severity: string }[] };
    expect(report.incomplete).to.equal(true);
    expect(report.notes[0]).to.deep.include({ code: 'unknown-field', severity: 'left-out' });
  });

  it('writes the configuration into the namespace given with --namespace, and the peer Secret with it', async () => {
    const { stdout } = await run(['migrate', '-f', join(inputDir, 'peers-v1beta1-secret'), '--namespace', 'lb']);
    expect(stdout).to.contain('  name: secretname\n  namespace: lb\n');
    expect(stdout).to.contain('  name: rack-a\n  namespace: lb\n');
    expect(stdout).to.not.contain('barelb-system');
  });

  it('exits 2 on a usage error', async () => {
    expect((await run(['migrate'])).code).to.equal(2);
    expect((await run(['migrate', '-f', dir, '--format', 'xml'])).code).to.equal(2);
    const bad = await run(['migrate', '-f', dir, '--namespace', 'Not_A_Namespace']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('--namespace');
  });

  it('exits 2 and writes nothing when an input cannot be read', async () => {
    const missing = await run(['migrate', '-f', join(dir, 'missing')]);
    expect(missing.code).to.equal(2);
    expect(missing.stdout).to.equal('');
    expect(missing.stderr).to.contain('ENOENT');
    writeFileSync(join(dir, 'broken.yaml'), 'kind: IPAddressPool\nmetadata: [unclosed\n');
    const broken = await run(['migrate', '-f', dir, '--format', 'json']);
    expect(broken.code).to.equal(2);
    expect(broken.stdout).to.equal('');
    const errors = (JSON.parse(broken.stderr) as { errors: { field: string }[] }).errors;
    expect(errors[0]?.field).to.match(/^line \d+, column \d+$/);
  });

  it('exits 2 when the output cannot be written', async () => {
    const { code, stderr } = await run(['migrate', '-f', join(inputDir, 'legacy-l2'), '-o', join(dir, 'no', 'such', 'dir.yaml')]);
    expect(code).to.equal(2);
    expect(stderr).to.contain('cannot write');
  });

  it('exits 0 with an empty result for an empty directory', async () => {
    const { code, stdout, stderr } = await run(['migrate', '-f', dir]);
    expect(code).to.equal(0);
    expect(stdout).to.match(/^# Written by `barelb migrate`/);
    expect(stderr).to.contain('0 objects written');
  });
});
