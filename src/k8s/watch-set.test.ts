import { expect } from 'chai';
import { FakeKube, obj } from './fake-client.ts';
import { READY_PATH, WatchSet } from './watch-set.ts';
import { ApiError } from './client.ts';
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
  it('wakes its failing reflectors as soon as the API server answers again, instead of at the end of their backoff', async () => {
    const kube = new FakeKube();
    const down = () => new ApiError(0, 'connect ECONNREFUSED');
    kube.lists.push(down(), { items: [obj('a1', '1')], resourceVersion: '1' });
    const backoffs: number[] = [];
    let probes = 0;
    // Backoff sleeps last until woken (an hour, as far as the test is concerned); probe sleeps pass at once.
    const clock = {
      sleep: (ms: number, signal: AbortSignal) =>
        new Promise<void>((resolve) => {
          if (ms === 5) {
            probes += 1;
            // The second probe finds the server back.
            if (probes === 2) kube.objects.set(READY_PATH, {});
            setImmediate(resolve);
            return;
          }
          backoffs.push(ms);
          signal.addEventListener('abort', () => resolve(), { once: true });
        }),
    };
    const set = new WatchSet({ client: kube, paths: { a: '/a' }, logger: recordingLogger(), clock, backoff: { minMs: 3_600_000, maxMs: 3_600_000 }, probeMs: 5 });
    const abort = new AbortController();
    const rounds: number[] = [];
    const run = set.run(async () => void rounds.push(set.list('a').length), abort.signal);
    for (let i = 0; i < 200 && rounds.length === 0; i++) await tick();
    expect(rounds, 'synced without any backoff running out').to.deep.equal([1]);
    expect(kube.listCalls).to.have.length(2);
    expect(backoffs).to.deep.equal([3_600_000]);
    expect(probes, 'the first probe found it down, the second up').to.be.at.least(2);
    expect(set.reflectors.a.failing).to.equal(false);
    // Healthy again: no more probes.
    const before = probes;
    for (let i = 0; i < 20; i++) await tick();
    expect(probes - before).to.be.at.most(1);
    abort.abort();
    await run;
  });

  it('does not wake a reflector that fails while the API server answers (a 403 keeps its backoff)', async () => {
    const kube = new FakeKube();
    kube.objects.set(READY_PATH, {});
    kube.lists.push(new ApiError(403, 'forbidden'), { items: [], resourceVersion: '1' });
    let probes = 0;
    const backoffs: number[] = [];
    const woken: number[] = [];
    const clock = {
      sleep: (ms: number, signal: AbortSignal) =>
        new Promise<void>((resolve) => {
          if (ms === 5) {
            probes += 1;
            if (probes >= 5) abort.abort();
            setImmediate(resolve);
            return;
          }
          backoffs.push(ms);
          signal.addEventListener('abort', () => void (woken.push(probes), resolve()), { once: true });
        }),
    };
    const set = new WatchSet({ client: kube, paths: { a: '/a' }, logger: recordingLogger(), clock, backoff: { minMs: 3_600_000, maxMs: 3_600_000 }, probeMs: 5 });
    const abort = new AbortController();
    const run = set.run(async () => undefined, abort.signal);
    for (let i = 0; i < 200 && !abort.signal.aborted; i++) await tick();
    await run;
    expect(probes).to.equal(5);
    expect(woken, 'only the end of the run ends its backoff').to.deep.equal([5]);
    expect(kube.listCalls).to.have.length(1);
  });
});
