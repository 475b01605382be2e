import { expect } from 'chai';
import { Announcements } from './announcer.ts';
import { defaultBurstPolicy } from './burst.ts';
import { allInterfaces } from './interfaces.ts';
import { ip } from './testing.ts';

const owning = (...ips: string[]) => new Map(ips.map((t) => [ip(t), allInterfaces]));

/** Every time `due` has something to send, from `from` to `to`, stepping by 10 ms. */
function sends(a: Announcements, from: number, to: number): string[] {
  const out: string[] = [];
  for (let t = from; t <= to; t += 10) for (const x of a.due(t).send) out.push(`${t} ${x}`);
  return out;
}

describe('gratuitous announcements', () => {
  it('bursts a newly taken address and stops after the last slot', () => {
    const a = new Announcements(defaultBurstPolicy);
    expect(a.setOwned(owning('192.0.2.1'), 0)).to.deep.equal({ taken: ['192.0.2.1'], released: [] });
    expect(sends(a, 0, 5_000)).to.deep.equal(['0 192.0.2.1', '250 192.0.2.1', '500 192.0.2.1', '1000 192.0.2.1', '2000 192.0.2.1']);
    expect(a.due(6_000)).to.deep.equal({ send: [], nextAt: null });
  });

  it('does not burst again for an address it already owned, and stops one it released', () => {
    const a = new Announcements(defaultBurstPolicy);
    a.setOwned(owning('192.0.2.1', '192.0.2.2'), 0);
    a.due(0);
    expect(a.setOwned(owning('192.0.2.1'), 100)).to.deep.equal({ taken: [], released: ['192.0.2.2'] });
    expect(sends(a, 100, 600)).to.deep.equal(['250 192.0.2.1', '500 192.0.2.1']);
  });

  it('restarts every owned address\'s burst after a membership change', () => {
    const a = new Announcements(defaultBurstPolicy);
    a.setOwned(owning('192.0.2.1'), 0);
    sends(a, 0, 5_000);
    a.restartAll(10_000);
    expect(a.due(10_000)).to.deep.equal({ send: ['192.0.2.1'], nextAt: 10_250 });
  });
});

describe('winning neighbours back after a conflicting claim', () => {
  const policy = { quietMs: 2_500, minIntervalMs: 60_000 };

  it('bursts again once claims on an owned address have stopped for the quiet period', () => {
    const a = new Announcements(defaultBurstPolicy, policy);
    a.setOwned(owning('192.0.2.1'), 0);
    sends(a, 0, 5_000);
    a.claimed(ip('192.0.2.1'), 10_000);
    a.claimed(ip('192.0.2.1'), 11_000);
    expect(a.due(11_000)).to.deep.equal({ send: [], nextAt: 13_500 });
    expect(sends(a, 11_000, 16_000)).to.deep.equal(['13500 192.0.2.1', '13750 192.0.2.1', '14000 192.0.2.1', '14500 192.0.2.1', '15500 192.0.2.1']);
  });

  it('does so at most once per minimum interval, so two owners cannot take turns forever', () => {
    const a = new Announcements(defaultBurstPolicy, policy);
    a.setOwned(owning('192.0.2.1'), 0);
    sends(a, 0, 5_000);
    a.claimed(ip('192.0.2.1'), 10_000);
    expect(sends(a, 10_000, 16_000)).to.have.length(5);
    a.claimed(ip('192.0.2.1'), 20_000);
    expect(sends(a, 20_000, 30_000)).to.deep.equal([]);
    a.claimed(ip('192.0.2.1'), 80_000);
    expect(sends(a, 80_000, 83_000)[0]).to.equal('82500 192.0.2.1');
  });

  it('ignores claims on addresses it does not own, and forgets them when it releases one', () => {
    const a = new Announcements(defaultBurstPolicy, policy);
    a.claimed(ip('192.0.2.9'), 0);
    a.setOwned(owning('192.0.2.1'), 0);
    sends(a, 0, 5_000);
    a.claimed(ip('192.0.2.1'), 6_000);
    a.setOwned(owning(), 7_000);
    expect(a.due(9_000)).to.deep.equal({ send: [], nextAt: null });
  });
});
