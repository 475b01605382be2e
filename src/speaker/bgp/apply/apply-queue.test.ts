import { expect } from 'chai';
import { err, ok } from '../../../core/result.ts';
import type { Result } from '../../../core/result.ts';
import type { ApplyFailure, ApplyOutcome, VerifyReport } from './applier.ts';
import { ApplyQueue } from './apply-queue.ts';
import type { ApplyTarget, QueueEvent } from './apply-queue.ts';
import type { ApplyFailureReason } from './hooks.ts';
import { silentLogger } from './hooks.ts';
import { FakeClock } from './test-fakes.ts';

const applied = (text: string): ApplyOutcome => ok({ kind: 'incremental', hash: text, ms: 1, commands: 1, resets: [] });
const failed = (reason: ApplyFailureReason): ApplyOutcome => err({ reason, message: reason, details: [], hash: '' });

/** An applier that records calls and answers from a script (default: success). */
class ScriptedApplier implements ApplyTarget {
  readonly calls: string[] = [];
  readonly answers: (() => Promise<ApplyOutcome>)[] = [];

  apply(text: string): Promise<ApplyOutcome> {
    this.calls.push(`apply ${text}`);
    return this.answers.shift()?.() ?? Promise.resolve(applied(text));
  }

  verify(text: string): Promise<Result<VerifyReport, ApplyFailure>> {
    this.calls.push(`verify ${text}`);
    return Promise.resolve(ok({ drifted: false, repaired: [] }));
  }

  forget(): void {
    this.calls.push('forget');
  }
}

function start(options: { verify?: boolean; verifyEveryMs?: number } = {}): { queue: ApplyQueue; applier: ScriptedApplier; clock: FakeClock; events: QueueEvent[]; stop: () => Promise<void> } {
  const applier = new ScriptedApplier();
  const clock = new FakeClock();
  const events: QueueEvent[] = [];
  const queue = new ApplyQueue({ applier, clock, logger: silentLogger, retry: { minMs: 100, maxMs: 1_000 }, verify: options.verify ?? false, verifyEveryMs: options.verifyEveryMs ?? 0, onEvent: (e) => void events.push(e) });
  const abort = new AbortController();
  const loop = queue.run(abort.signal);
  return { queue, applier, clock, events, stop: async () => { abort.abort(); await loop; } };
}

describe('ApplyQueue', () => {
  it('applies a submission at once, without waiting for any debounce', async () => {
    const { queue, applier, stop } = start();
    queue.submit('a');
    await queue.settled();
    expect(applier.calls).to.deep.equal(['apply a']);
    await stop();
  });

  it('applies only the latest of the submissions made while an apply runs', async () => {
    const { queue, applier, stop } = start();
    let finish: (o: ApplyOutcome) => void = () => undefined;
    applier.answers.push(() => new Promise((resolve) => { finish = resolve; }));
    queue.submit('a');
    await new Promise((resolve) => setImmediate(resolve));
    queue.submit('b');
    queue.submit('c');
    finish(applied('a'));
    await queue.settled();
    expect(applier.calls).to.deep.equal(['apply a', 'apply c']);
    await stop();
  });

  it('ignores a resubmission of the config it applied', async () => {
    const { queue, applier, stop } = start();
    queue.submit('a');
    await queue.settled();
    queue.submit('a');
    await queue.settled();
    expect(applier.calls).to.deep.equal(['apply a']);
    await stop();
  });

  it('reads the running config back once nothing newer waits', async () => {
    const { queue, applier, stop } = start({ verify: true });
    queue.submit('a');
    await queue.settled();
    expect(applier.calls).to.deep.equal(['apply a', 'verify a']);
    await stop();
  });

  it('checks for drift again every verifyEveryMs while idle', async () => {
    const { queue, applier, clock, stop } = start({ verify: true, verifyEveryMs: 1_000 });
    queue.submit('a');
    await queue.settled();
    await clock.advance(999);
    await queue.settled();
    expect(applier.calls).to.deep.equal(['apply a', 'verify a']);
    await clock.advance(1);
    await queue.settled();
    expect(applier.calls).to.deep.equal(['apply a', 'verify a', 'verify a']);
    await stop();
  });

  it('retries an unreachable FRR with backoff, re-planning from its running config', async () => {
    const { queue, applier, clock, events, stop } = start();
    applier.answers.push(() => Promise.resolve(failed('unreachable')), () => Promise.resolve(failed('unreachable')));
    queue.submit('a');
    await queue.settled();
    expect(events.map((e) => (e.type === 'failed' ? e.retryInMs : e.type))).to.deep.equal([100]);
    await clock.advance(99);
    expect(applier.calls).to.deep.equal(['apply a']);
    await clock.advance(1);
    await queue.settled();
    await clock.advance(200);
    await queue.settled();
    expect(applier.calls).to.deep.equal(['apply a', 'forget', 'apply a', 'forget', 'apply a']);
    await stop();
  });

  it('does not retry a rejected config, and applies the next one at once', async () => {
    const { queue, applier, clock, stop } = start();
    applier.answers.push(() => Promise.resolve(failed('rejected')));
    queue.submit('bad');
    await queue.settled();
    await clock.advance(60_000);
    await queue.settled();
    expect(applier.calls).to.deep.equal(['apply bad']);
    queue.submit('good');
    await queue.settled();
    expect(applier.calls).to.deep.equal(['apply bad', 'apply good']);
    await stop();
  });

  it('re-applies the latest config from scratch when FRR restarts', async () => {
    const { queue, applier, events, stop } = start();
    queue.submit('a');
    await queue.settled();
    queue.frrRestarted();
    await queue.settled();
    expect(applier.calls).to.deep.equal(['apply a', 'forget', 'apply a']);
    expect(events.map((e) => e.type === 'applied' && e.restore)).to.deep.equal([false, true]);
    await stop();
  });

  it('stops when its signal aborts', async () => {
    const { queue, applier, stop } = start();
    await stop();
    queue.submit('a');
    await new Promise((resolve) => setImmediate(resolve));
    expect(applier.calls).to.deep.equal([]);
  });
});
