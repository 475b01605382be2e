import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './main.ts';
import { l2OptionsFromFlags, type L2Flags } from './speaker-l2.ts';

const flags = (o: Partial<L2Flags>): L2Flags => ({ heartbeatPort: 7947, heartbeatInterval: 100, heartbeatMissed: 3, ...o });

describe('speaker L2 flags', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'barelb-l2-flags-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the key from a Secret, with MetalLB\'s default interface exclusions', async () => {
    const o = await l2OptionsFromFlags(flags({ heartbeatSecret: 'barelb-system/heartbeat' }));
    expect(o.ok && o.value.keySource).to.deep.equal({ kind: 'secret', namespace: 'barelb-system', name: 'heartbeat' });
    expect(o.ok && o.value.excludeInterfaces.map(String)).to.include('/^veth.*/');
  });

  it('reads a key file once, and replaces the exclusions when some are given', async () => {
    writeFileSync(join(dir, 'key'), '0123456789abcdef\n');
    const o = await l2OptionsFromFlags(flags({ heartbeatKeyFile: join(dir, 'key'), l2ExcludeInterface: ['^docker'] }));
    expect(o.ok && o.value.keySource.kind).to.equal('file');
    expect(o.ok && o.value.excludeInterfaces.map(String)).to.deep.equal(['/^docker/']);
  });

  const bad: readonly { name: string; f: Partial<L2Flags>; want: RegExp }[] = [
    { name: 'no key source', f: {}, want: /exactly one of --heartbeat-secret/ },
    { name: 'both key sources', f: { heartbeatSecret: 'a/b', heartbeatKeyFile: '/k' }, want: /exactly one of/ },
    { name: 'a Secret reference without a namespace', f: { heartbeatSecret: 'heartbeat' }, want: /--heartbeat-secret: "heartbeat" is not namespace\/name/ },
    { name: 'an unreadable key file', f: { heartbeatKeyFile: '/nonexistent/key' }, want: /--heartbeat-key-file: cannot read \/nonexistent\/key/ },
    { name: 'a broken exclusion pattern', f: { heartbeatSecret: 'a/b', l2ExcludeInterface: ['('] }, want: /--l2-exclude-interface: "\(" is not a regular expression/ },
  ];
  for (const row of bad) {
    it(`rejects ${row.name}`, async () => {
      const o = await l2OptionsFromFlags(flags(row.f));
      expect(o.ok ? 'accepted' : o.error).to.match(row.want);
    });
  }

  it('exits 2 with the reason when the speaker runs L2 without a key', async () => {
    let stderr = '';
    const code = await runCli(['speaker', '--local', dir, '--node', 'n1', '--no-bgp'], { stdout: () => undefined, stderr: (t) => (stderr += t) });
    expect(code).to.equal(2);
    expect(stderr).to.include('L2 needs exactly one of --heartbeat-secret');
  });

  it('leaves the periodic refresh off unless --l2-refresh-interval is given', async () => {
    const off = await l2OptionsFromFlags(flags({ heartbeatSecret: 'a/b' }));
    const on = await l2OptionsFromFlags(flags({ heartbeatSecret: 'a/b', l2RefreshInterval: 30_000 }));
    expect([off.ok && off.value.refreshMs, on.ok && on.value.refreshMs]).to.deep.equal([null, 30_000]);
  });

  it('rejects a refresh interval under a second as a usage error', async () => {
    let stderr = '';
    const code = await runCli(['speaker', '--local', dir, '--node', 'n1', '--heartbeat-key-file', '/k', '--l2-refresh-interval', '500'], { stdout: () => undefined, stderr: (t) => (stderr += t) });
    expect(code).to.equal(2);
    expect(stderr).to.include('--l2-refresh-interval');
  });

  it('rejects a heartbeat interval out of range as a usage error', async () => {
    const code = await runCli(['speaker', '--local', dir, '--node', 'n1', '--heartbeat-interval', '5'], { stdout: () => undefined, stderr: () => undefined });
    expect(code).to.equal(2);
  });
});
