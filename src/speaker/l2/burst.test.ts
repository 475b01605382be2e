import { expect } from 'chai';
import fc from 'fast-check';
import { burstSlots, burstStep, defaultBurstPolicy, startBurst, type BurstPolicy, type BurstState } from './burst.ts';

/** Drives one IP's schedule at the given instants; returns the instants that sent. */
function run(policy: BurstPolicy, takeoverAt: number, instants: readonly number[]): number[] {
  let state: BurstState = startBurst(takeoverAt);
  const sent: number[] = [];
  for (const now of instants) {
    const step = burstStep(policy, state, now);
    if (step.send) sent.push(now);
    state = step.state;
  }
  return sent;
}

describe('Announcement burst schedule', () => {
  it('sends at take-over and then at 250 ms, 500 ms, 1 s and 2 s by default', () => {
    expect(burstSlots(defaultBurstPolicy, 1000, 100_000)).to.deep.equal([1000, 1250, 1500, 2000, 3000]);
  });

  it('says when the next round is due, and null once the burst is over', () => {
    const start = startBurst(0);
    expect([burstStep(defaultBurstPolicy, start, 0).nextAt, burstStep(defaultBurstPolicy, start, 600).nextAt, burstStep(defaultBurstPolicy, start, 2000).nextAt]).to.deep.equal([250, 1000, null]);
  });

  it('collapses slots missed by a late caller into one round', () => {
    expect(run(defaultBurstPolicy, 0, [0, 1200, 1300, 2500])).to.deep.equal([0, 1200, 2500]);
  });

  it('never sends twice for one slot', () => {
    expect(run(defaultBurstPolicy, 0, [0, 0, 10, 250, 251, 499])).to.deep.equal([0, 250]);
  });

  it('sends nothing before take-over', () => {
    expect(run(defaultBurstPolicy, 500, [0, 499])).to.deep.equal([]);
  });

  it('keeps refreshing at the configured period after the burst when asked to', () => {
    const policy: BurstPolicy = { offsetsMs: [0, 500], refreshMs: 10_000 };
    expect(burstSlots(policy, 0, 31_000)).to.deep.equal([0, 500, 10_500, 20_500, 30_500]);
  });

  it('sends exactly once per slot however finely it is polled', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 200 }), (gaps) => {
        const instants = gaps.reduce<number[]>((acc, g) => [...acc, (acc.at(-1) ?? 0) + g], [0]);
        const sent = run(defaultBurstPolicy, 0, instants);
        const end = instants.at(-1) ?? 0;
        expect(sent.length).to.equal(burstSlots(defaultBurstPolicy, 0, end + 1).length);
      }),
      { numRuns: 500 },
    );
  });
});
