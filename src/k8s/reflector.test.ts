import { expect } from 'chai';
import { ApiError } from './client.ts';
import { FakeKube, obj } from './fake-client.ts';
import { keptVersion } from '../api/object-read.ts';
import { Reflector, resourceVersionOf } from './reflector.ts';
import type { WireObject } from './client.ts';
import { recordingLogger } from '../log/logger.ts';

const tick = () => new Promise((r) => setImmediate(r));

function setup() {
  const kube = new FakeKube();
  const logger = recordingLogger();
  const sleeps: number[] = [];
  let changes = 0;
  const abort = new AbortController();
  const reflector = new Reflector({
    client: kube,
    path: '/api/v1/services',
    logger,
    clock: { sleep: async (ms) => void sleeps.push(ms) },
    onChange: () => void (changes += 1),
    backoff: { minMs: 100, maxMs: 400 },
  });
  return { kube, logger, sleeps, abort, reflector, changes: () => changes };
}

describe('Reflector', () => {
  it('lists, then applies watch events from the list resourceVersion', async () => {
    const t = setup();
    t.kube.lists.push({ items: [obj('a', '5')], resourceVersion: '10' });
    const run = t.reflector.run(t.abort.signal);
    await t.kube.watching();
    expect(t.reflector.synced).to.equal(true);
    expect(t.kube.stream?.from).to.equal('10');
    t.kube.stream?.emit({ type: 'ADDED', object: obj('b', '11') });
    t.kube.stream?.emit({ type: 'MODIFIED', object: obj('a', '12', { spec: { x: 1 } }) });
    t.kube.stream?.emit({ type: 'DELETED', object: obj('b', '13') });
    t.kube.stream?.emit({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '14' } } });
    expect(t.reflector.list().map((o) => (o['metadata'] as { name: string }).name)).to.deep.equal(['a']);
    expect(t.reflector.get('ns/a')?.['spec']).to.deep.equal({ x: 1 });
    expect(t.changes()).to.equal(4);
    t.kube.stream?.end();
    await t.kube.watching();
    expect(t.kube.stream?.from, 'a closed stream resumes from the last resourceVersion, bookmarks included').to.equal('14');
    t.abort.abort();
    await run;
  });

  it('answers list() with the same array until its cache changes', async () => {
    const t = setup();
    t.kube.lists.push({ items: [obj('a', '5')], resourceVersion: '10' });
    const run = t.reflector.run(t.abort.signal);
    await t.kube.watching();
    const first = t.reflector.list();
    expect(t.reflector.list()).to.equal(first);
    t.kube.stream?.emit({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '11' } } });
    expect(t.reflector.list(), 'a bookmark changes nothing').to.equal(first);
    t.kube.stream?.emit({ type: 'ADDED', object: obj('b', '12') });
    const second = t.reflector.list();
    expect(second).to.not.equal(first);
    expect(second.map((o) => (o['metadata'] as { name: string }).name)).to.deep.equal(['a', 'b']);
    expect(first.map((o) => (o['metadata'] as { name: string }).name), 'an earlier answer is never changed').to.deep.equal(['a']);
    t.kube.stream?.emit({ type: 'DELETED', object: obj('a', '13') });
    expect(t.reflector.list().map((o) => (o['metadata'] as { name: string }).name)).to.deep.equal(['b']);
    t.abort.abort();
    await run;
  });

  it('re-lists after 410 Gone, reporting deletions it missed', async () => {
    const t = setup();
    t.kube.lists.push({ items: [obj('a', '1'), obj('b', '2')], resourceVersion: '2' }, { items: [obj('a', '1')], resourceVersion: '30' });
    const run = t.reflector.run(t.abort.signal);
    await t.kube.watching();
    t.kube.stream?.emit({ type: 'ERROR', status: { code: 410, reason: 'Expired' } });
    await tick();
    await t.kube.watching();
    expect(t.kube.listCalls).to.have.length(2);
    expect(t.reflector.size).to.equal(1);
    expect(t.sleeps, '410 is not a failure: no backoff').to.deep.equal([]);
    t.abort.abort();
    await run;
  });

  it('never gives up: failures back off (doubling, capped) and keep the last objects, logging once per outage', async () => {
    const t = setup();
    t.kube.lists.push({ items: [obj('a', '1')], resourceVersion: '1' });
    const down = () => new ApiError(0, 'connect ECONNREFUSED');
    t.kube.lists.push(down(), down(), down(), down(), { items: [obj('a', '1')], resourceVersion: '9' });
    const run = t.reflector.run(t.abort.signal);
    await t.kube.watching();
    t.kube.stream?.end(new ApiError(500, 'boom'));
    for (let i = 0; i < 20 && t.kube.listCalls.length < 6; i++) await tick();
    await t.kube.watching();
    expect(t.sleeps).to.deep.equal([100, 200, 400, 400, 400]);
    expect(t.reflector.get('ns/a'), 'the cache survives the outage').to.not.equal(undefined);
    const warns = t.logger.records.filter((r) => r.level === 'warn');
    expect(warns).to.have.length(1);
    expect(t.logger.records.some((r) => r.level === 'info' && r.msg === 'list/watch works again')).to.equal(true);
    t.abort.abort();
    await run;
  });

  it('retries a 429 (storage re-initializing) without logging an outage', async () => {
    const t = setup();
    t.kube.lists.push(new ApiError(429, 'storage is (re)initializing'), { items: [], resourceVersion: '1' });
    const run = t.reflector.run(t.abort.signal);
    await t.kube.watching();
    expect(t.sleeps).to.deep.equal([100]);
    expect(t.logger.records.filter((r) => r.level === 'warn')).to.deep.equal([]);
    t.abort.abort();
    await run;
  });

  it('keeps what `keep` makes of each object, and after a re-list keeps the same value for an unchanged resourceVersion', async () => {
    const kube = new FakeKube();
    let changes = 0;
    let made = 0;
    const abort = new AbortController();
    type Named = { readonly name: string; readonly rv: string | null };
    const reflector = new Reflector<Named>({ client: kube, path: '/api/v1/services', logger: recordingLogger(), clock: { sleep: async () => undefined }, onChange: () => void (changes += 1) }, {
      keep: (o: WireObject) => {
        made += 1;
        return { name: String((o['metadata'] as { name: string }).name), rv: resourceVersionOf(o) };
      },
      versionOf: (k) => k.rv,
    });
    kube.lists.push({ items: [obj('a', '1'), obj('b', '2')], resourceVersion: '2' }, { items: [obj('a', '1'), obj('b', '2')], resourceVersion: '9' }, { items: [obj('a', '1'), obj('b', '7')], resourceVersion: '10' });
    const run = reflector.run(abort.signal);
    await kube.watching();
    const first = reflector.list();
    expect(first).to.deep.equal([{ name: 'a', rv: '1' }, { name: 'b', rv: '2' }]);
    kube.stream?.emit({ type: 'MODIFIED', object: obj('a', '3') });
    expect(reflector.get('ns/a')).to.deep.equal({ name: 'a', rv: '3' });
    kube.stream?.emit({ type: 'MODIFIED', object: obj('a', '1') });
    const before = reflector.list();
    const changesBefore = changes;
    kube.stream?.emit({ type: 'ERROR', status: { code: 410 } });
    await tick();
    await kube.watching();
    expect(reflector.list(), 'nothing changed: the same list, the same values').to.equal(before);
    expect(changes, 'and no round').to.equal(changesBefore);
    kube.stream?.emit({ type: 'ERROR', status: { code: 410 } });
    await tick();
    await kube.watching();
    expect(reflector.get('ns/a'), 'unchanged: kept as it was').to.equal(before[0]);
    expect(reflector.get('ns/b')).to.deep.equal({ name: 'b', rv: '7' });
    expect(changes).to.equal(changesBefore + 1);
    expect(made, 'list a@1 b@2, watch a@3 a@1, re-lists: only b@7').to.equal(5);
    abort.abort();
    await run;
  });

  it('keys its cache by namespace/name whatever key the kept value offers', async () => {
    const kube = new FakeKube();
    const abort = new AbortController();
    type Named = { readonly id: string; readonly rv: string | number | null };
    // "ns/a" is the object's key (the cache may take the value's own string); "other/b" is not.
    const reflector = new Reflector<Named>({ client: kube, path: '/api/v1/services', logger: recordingLogger(), clock: { sleep: async () => undefined }, onChange: () => undefined }, {
      keep: (o: WireObject) => {
        const name = String((o['metadata'] as { name: string }).name);
        const rv = resourceVersionOf(o);
        return { id: name === 'a' ? ['ns', name].join('/') : `other/${name}`, rv: rv === null ? null : keptVersion(rv) };
      },
      versionOf: (k) => k.rv,
      keyOf: (k) => k.id,
    });
    kube.lists.push({ items: [obj('a', '1'), obj('b', '2')], resourceVersion: '2' });
    const run = reflector.run(abort.signal);
    await kube.watching();
    kube.stream?.emit({ type: 'ADDED', object: obj('c', '3') });
    kube.stream?.emit({ type: 'MODIFIED', object: obj('a', '4') });
    expect(reflector.get('ns/a')).to.deep.equal({ id: 'ns/a', rv: 4 });
    expect(reflector.get('ns/b')).to.deep.equal({ id: 'other/b', rv: 2 });
    expect(reflector.get('ns/c')).to.deep.equal({ id: 'other/c', rv: 3 });
    expect(reflector.get('other/b')).to.equal(undefined);
    expect(reflector.size).to.equal(3);
    // A re-list at the same resourceVersions keeps every value (versions kept as numbers compare).
    const before = reflector.list();
    kube.lists.push({ items: [obj('a', '4'), obj('b', '2'), obj('c', '3')], resourceVersion: '5' });
    kube.stream?.emit({ type: 'ERROR', status: { code: 410 } });
    await tick();
    await kube.watching();
    expect(reflector.list()).to.equal(before);
    expect(reflector.get('ns/a')?.rv).to.equal(4);
    abort.abort();
    await run;
  });

  it('drops metadata.managedFields from what it keeps', async () => {
    const t = setup();
    t.kube.lists.push({ items: [obj('a', '1', {}, 'ns')].map((o) => ({ ...o, metadata: { ...(o['metadata'] as object), managedFields: [{ manager: 'x' }] } })), resourceVersion: '1' });
    const run = t.reflector.run(t.abort.signal);
    await t.kube.watching();
    t.kube.stream?.emit({ type: 'ADDED', object: { metadata: { name: 'b', namespace: 'ns', resourceVersion: '2', managedFields: [{ manager: 'y' }] } } });
    expect(t.reflector.list().map((o) => 'managedFields' in (o['metadata'] as object))).to.deep.equal([false, false]);
    t.abort.abort();
    await run;
  });
});
