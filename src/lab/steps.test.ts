import { expect } from 'chai';
import { StepLog, formatMs, summaryTable, type StepRecord } from './steps.ts';

/** A clock that moves only when a step body says so. */
function aStepLog() {
  let now = 1_000;
  const lines: string[] = [];
  const log = new StepLog({ now: () => now, emit: (l) => lines.push(l) });
  const advance = (ms: number) => (now += ms);
  return { log, lines, advance };
}

const aRecord = (r: Partial<StepRecord> = {}): StepRecord => ({ id: 'routes', title: 'BGP route at the router', status: 'pass', ms: 1_300, detail: '203.0.113.10/32 via 3 nodes', ...r });

describe('lab step bookkeeping', () => {
  it('records what a passing step showed and how long it took', async () => {
    const { log, advance } = aStepLog();
    const ok = await log.run('routes', 'BGP route at the router', async () => {
      advance(1_250);
      return '203.0.113.10/32 via 192.0.2.11, 192.0.2.12, 192.0.2.13';
    });
    expect(ok).to.equal(true);
    expect(log.records).to.deep.equal([{ id: 'routes', title: 'BGP route at the router', status: 'pass', ms: 1_250, detail: '203.0.113.10/32 via 192.0.2.11, 192.0.2.12, 192.0.2.13' }]);
    expect(log.ok).to.equal(true);
  });

  it('records a thrown error as a failure with the first line of its message', async () => {
    const { log, advance } = aStepLog();
    const ok = await log.run('sessions', 'BGP sessions at the router', async () => {
      advance(45_000);
      throw new Error('timed out after 45000 ms waiting for 3 sessions\nlog tail follows');
    });
    expect(ok).to.equal(false);
    expect(log.records[0]).to.deep.include({ status: 'fail', ms: 45_000, detail: 'timed out after 45000 ms waiting for 3 sessions' });
    expect(log.ok).to.equal(false);
  });

  it('skips the steps after a failure without running them, but runs the ones marked always', async () => {
    const { log } = aStepLog();
    const ran: string[] = [];
    await log.run('a', 'first', () => Promise.reject(new Error('broken')));
    await log.run('b', 'second', async () => {
      ran.push('b');
      return '';
    });
    await log.run('down', 'lab removed', async () => {
      ran.push('down');
      return 'nothing to remove';
    }, { always: true });
    expect(ran).to.deep.equal(['down']);
    expect(log.records.map((r) => [r.id, r.status])).to.deep.equal([['a', 'fail'], ['b', 'skipped'], ['down', 'pass']]);
    expect(log.records[1]).to.deep.include({ ms: 0, detail: 'an earlier step failed' });
  });

  it('fails the next step as interrupted once the signal is aborted, and still runs the clean-up', async () => {
    const abort = new AbortController();
    const log = new StepLog({ now: () => 0, emit: () => undefined, signal: abort.signal });
    await log.run('host', 'host', async () => 'ready');
    abort.abort();
    let ran = false;
    await log.run('network', 'network', async () => {
      ran = true;
      return '';
    });
    await log.run('frr', 'frr', async () => '');
    await log.run('down', 'down', async () => 'removed', { always: true });
    expect(ran).to.equal(false);
    expect(log.records.map((r) => [r.id, r.status, r.detail])).to.deep.equal([
      ['host', 'pass', 'ready'], ['network', 'fail', 'interrupted'], ['frr', 'skipped', 'an earlier step failed'], ['down', 'pass', 'removed'],
    ]);
  });

  it('announces each step when it starts and when it ends, with notes indented in between', async () => {
    const { log, lines, advance } = aStepLog();
    await log.run('failover', 'failover', async ({ note }) => {
      note('SIGKILL the owner');
      advance(312);
      return 'node-3 answered after 312 ms';
    });
    expect(lines).to.deep.equal(['-> failover', '   SIGKILL the owner', 'ok failover (312 ms): node-3 answered after 312 ms']);
  });

  it('formats durations in ms below a second and in tenths of seconds above', () => {
    expect([0, 312.4, 999, 1_000, 12_345].map(formatMs)).to.deep.equal(['0 ms', '312 ms', '999 ms', '1.0 s', '12.3 s']);
  });

  it('prints a summary table with result, time and what was shown, and a total line', () => {
    const text = summaryTable([
      aRecord(),
      aRecord({ id: 'failover', title: 'failover', status: 'fail', ms: 1_200, detail: 'too slow' }),
      aRecord({ id: 'recovery', title: 'recovery', status: 'skipped', ms: 0, detail: 'an earlier step failed' }),
    ]);
    expect(text).to.equal([
      'STEP                     RESULT   TIME   WHAT WAS SHOWN',
      'BGP route at the router  pass     1.3 s  203.0.113.10/32 via 3 nodes',
      'failover                 FAIL     1.2 s  too slow',
      'recovery                 skipped  -      an earlier step failed',
      '',
      '1 of 3 steps passed in 2.5 s',
      '',
    ].join('\n'));
  });
});
