// The decoded-file cache that lets a watcher reload a whole directory while parsing only what changed.

import { expect } from 'chai';
import { mkdtempSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManifestCache, loadManifests } from './manifest-files.ts';

const pool = (name: string) => `apiVersion: barelb.io/v1beta1
kind: IPAddressPool
metadata: {name: ${name}, namespace: barelb-system}
spec: {addresses: [192.0.2.0/28]}
`;

describe('ManifestCache', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'barelb-manifests-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('hands back the same decoded objects while a file keeps its text', async () => {
    writeFileSync(join(dir, 'a.yaml'), pool('a'));
    writeFileSync(join(dir, 'b.yaml'), pool('b'));
    const cache = new ManifestCache();
    const first = await loadManifests([dir], cache);
    writeFileSync(join(dir, 'b.yaml'), pool('b2'));
    const second = await loadManifests([dir], cache);
    expect(second.objects[0]).to.equal(first.objects[0]);
    expect(second.objects[1]).to.not.equal(first.objects[1]);
    expect(second.objects[1]).to.have.nested.property('metadata.name', 'b2');
  });

  it('loads exactly what an uncached load does, errors included', async () => {
    writeFileSync(join(dir, 'a.yaml'), pool('a'));
    writeFileSync(join(dir, 'bad.yaml'), 'kind: [unclosed\n');
    const cache = new ManifestCache();
    await loadManifests([dir], cache);
    expect(await loadManifests([dir], cache)).to.deep.equal(await loadManifests([dir]));
  });

  it('freezes cached objects, since every later load shares them', async () => {
    writeFileSync(join(dir, 'a.yaml'), pool('a'));
    const loaded = await loadManifests([dir], new ManifestCache());
    const spec = (loaded.objects[0] as { spec: { addresses: string[] } }).spec;
    expect(Object.isFrozen(spec.addresses)).to.equal(true);
    expect(() => spec.addresses.push('198.51.100.0/24')).to.throw(TypeError);
  });

  it('forgets a deleted file, so a file re-created with the same text is read again', async () => {
    writeFileSync(join(dir, 'a.yaml'), pool('a'));
    const cache = new ManifestCache();
    const first = await loadManifests([dir], cache);
    unlinkSync(join(dir, 'a.yaml'));
    expect((await loadManifests([dir], cache)).objects).to.deep.equal([]);
    writeFileSync(join(dir, 'a.yaml'), pool('a'));
    const again = await loadManifests([dir], cache);
    expect(again.objects[0]).to.deep.equal(first.objects[0]);
    expect(again.objects[0]).to.not.equal(first.objects[0]);
  });

  it('reads a file again after a rewrite that keeps its size and modification time', async () => {
    const file = join(dir, 'a.yaml');
    writeFileSync(file, pool('a'));
    const cache = new ManifestCache();
    await loadManifests([dir], cache);
    const { atime, mtime } = statSync(file);
    writeFileSync(file, pool('b'));
    utimesSync(file, atime, mtime);
    expect((await loadManifests([dir], cache)).objects[0]).to.have.nested.property('metadata.name', 'b');
  });
});
