import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanSysfsInterfaces } from './sysfs-interfaces.ts';

describe('sysfs interface scan', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'barelb-sysfs-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function anIf(name: string, files: Record<string, string>): void {
    mkdirSync(join(dir, 'net', name), { recursive: true });
    for (const [f, v] of Object.entries(files)) writeFileSync(join(dir, 'net', name, f), `${v}\n`);
  }

  it('reads index, flags, MAC, enslavement and the link-local address, skipping half-gone interfaces', async () => {
    anIf('eth0', { ifindex: '2', flags: '0x1003', address: '02:00:5E:00:00:0A' });
    anIf('eth1', { ifindex: '3', flags: '0x1803', address: '02:00:5e:00:00:0b', master: '' });
    anIf('gone', { address: '02:00:5e:00:00:0c' });
    writeFileSync(join(dir, 'if_inet6'), 'fe80000000000000000000000000000a 02 40 20 80     eth0\n');
    const infos = await scanSysfsInterfaces({ sysClassNet: join(dir, 'net'), ifInet6: join(dir, 'if_inet6') });
    expect(infos.sort((a, b) => a.ifindex - b.ifindex)).to.deep.equal([
      { ifname: 'eth0', ifindex: 2, flags: 0x1003, mac: '02:00:5e:00:00:0a', enslaved: false, linkLocal: 'fe80::a' },
      { ifname: 'eth1', ifindex: 3, flags: 0x1803, mac: '02:00:5e:00:00:0b', enslaved: true, linkLocal: null },
    ]);
  });
});
