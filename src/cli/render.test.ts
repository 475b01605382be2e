// Golden tests of `barelb render` on examples/bgp, plus its exit statuses. Regenerate the
// goldens with UPDATE_GOLDEN=1 after an intended change, and review the diff.

import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkGolden, goldenDir, runCaptured as run } from './cli-testing.ts';

const example = new URL('../../examples/bgp/', import.meta.url).pathname;

describe('barelb render on examples/bgp', () => {
  for (const node of ['node-1', 'node-2', 'node-3']) {
    it(`prints the expected frr.conf for ${node}`, async () => {
      const { code, stdout, stderr } = await run(['render', '-f', example, '--node', node]);
      expect(code, stderr).to.equal(0);
      checkGolden(join(goldenDir, `bgp.${node}.frr.conf`), stdout);
    });
  }

  it('maps --log-level debug to FRR debugging with the debug lines, and sets the hostname', async () => {
    const { code, stdout } = await run(['render', '-f', example, '--node', 'node-1', '--log-level', 'debug', '--hostname', 'rack1-n1']);
    expect(code).to.equal(0);
    expect(stdout).to.match(/^log stdout debugging\n/);
    expect(stdout).to.contain('\ndebug bgp updates\n');
    expect(stdout).to.contain('\nhostname rack1-n1\n');
  });

  it('lets --frr-log-level win over --log-level', async () => {
    const { stdout } = await run(['render', '-f', example, '--node', 'node-1', '--log-level', 'debug', '--frr-log-level', 'errors']);
    expect(stdout).to.match(/^log stdout errors\n/);
  });

  it('renders a node missing from the manifests as a node without labels, with a warning', async () => {
    const { code, stdout, stderr } = await run(['render', '-f', example, '--node', 'node-9']);
    expect(code).to.equal(0);
    expect(stderr).to.contain('Node/node-9 is not in the manifests');
    expect(stdout).to.contain('neighbor 192.0.2.1 remote-as 64500');
    expect(stdout).to.not.contain('network 203.0.113.2/32');
  });
});

describe('barelb render exit statuses', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'barelb-render-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 1 and names the object and field when the manifests are invalid', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: barelb.io/v1beta2\nkind: BGPPeer\nmetadata: {name: p, namespace: barelb-system}\nspec: {myASN: 64512, peerASN: 64500, peerAddress: 192.0.2.300}\n');
    const { code, stdout, stderr } = await run(['render', '-f', dir, '--node', 'n']);
    expect(code).to.equal(1);
    expect(stdout).to.equal('');
    expect(stderr).to.match(/BGPPeer\/barelb-system\/p\s+spec\.peerAddress/);
  });

  it('exits 1 and names the source when the extra config cannot be rendered', async () => {
    writeFileSync(join(dir, 'extras.conf'), 'line one\r\n');
    const { code, stderr } = await run(['render', '-f', example, '--node', 'node-1', '--extra-config', join(dir, 'extras.conf')]);
    expect(code).to.equal(1);
    expect(stderr).to.contain('(invalid-extra-config)');
    expect(stderr).to.contain(join(dir, 'extras.conf'));
  });

  it('appends a readable extra config last', async () => {
    writeFileSync(join(dir, 'extras.conf'), 'bgp route-map delay-timer 1\n');
    const { code, stdout } = await run(['render', '-f', example, '--node', 'node-1', '--extra-config', join(dir, 'extras.conf')]);
    expect(code).to.equal(0);
    expect(stdout.endsWith('exit\nbgp route-map delay-timer 1\n')).to.equal(true);
  });

  it('exits 1 on an unknown FRR log level or an unreadable extra config', async () => {
    expect((await run(['render', '-f', example, '--node', 'node-1', '--frr-log-level', 'loud'])).code).to.equal(1);
    expect((await run(['render', '-f', example, '--node', 'node-1', '--extra-config', join(dir, 'missing')])).stderr).to.contain('ENOENT');
  });

  it('exits 2 on a usage error', async () => {
    expect((await run(['render', '-f', example])).code).to.equal(2);
    expect((await run(['render', '--node', 'n'])).code).to.equal(2);
    expect((await run(['render', '-f', example, '--node', 'n', '--log-level', 'chatty'])).code).to.equal(2);
  });
});
