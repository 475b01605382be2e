import { expect } from 'chai';
import { FakeKube, obj } from './fake-client.ts';
import { WatchSet } from './watch-set.ts';
import { recordingLogger } from '../log/logger.ts';

const names = (list: readonly Record<string, unknown>[]) => list.map((o) => (o['metadata'] as { name: string }).name);
const tick = () => new Promise((r) => setImmediate(r));

describe('WatchSet', () => {
  it('concatenates its kinds in the order asked, the same array until one of them changes', async () => {
    const kube = new FakeKube();
    kube.lists.push({ items: [obj('a1', '1')], resourceVersion: '1' }, { items: [obj('b1', '2'), obj('b2', '3')], resourceVersion: '3' });
    const set = new WatchSet({ client: kube, paths: { a: '/a', b: '/b' }, logger: recordingLogger(), clock: { sleep: async () => undefined } });
    const abort = new AbortController();
    const rounds: (readonly Record<string, unknown>[])[] = [];
    const run = set.run(async () => void rounds.push(set.concat(['b', 'a'])), abort.signal);
    while (rounds.length === 0) await tick();
    await kube.watching();
    expect(names(rounds[0] ?? [])).to.deep.equal(['b1', 'b2', 'a1']);
    set.poke();
    while (rounds.length < 2) await tick();
    expect(rounds[1], 'nothing changed: the same array').to.equal(rounds[0]);
    kube.stream?.emit({ type: 'ADDED', object: obj('x', '4') });
    while (rounds.length < 3) await tick();
    expect(rounds[2]).to.not.equal(rounds[0]);
    expect(rounds[2]?.length).to.equal(4);
    expect(names(rounds[0] ?? []), 'an earlier answer is never changed').to.deep.equal(['b1', 'b2', 'a1']);
    abort.abort();
    await run;
  });
});
