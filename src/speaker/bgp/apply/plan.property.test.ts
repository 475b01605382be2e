import { expect } from 'chai';
import fc from 'fast-check';
import { batchLines } from './batch.ts';
import type { FrrConfig } from './frr-config.ts';
import { readConfig } from './normalise.ts';
import { planApply } from './plan.ts';
import { applyLines, metallbConfig } from './testing.ts';
import type { FixtureAd, FixturePeer } from './testing.ts';

const asSets = (c: FrrConfig): unknown => ({
  globals: [...c.globals].sort(),
  contexts: Object.fromEntries([...c.contexts].map(([k, ctx]) => [k, [...ctx.lines].sort()])),
});

const peerArb: fc.Arbitrary<FixturePeer> = fc.record({
  address: fc.constantFrom('192.0.2.1', '192.0.2.2', '192.0.2.3'),
  asn: fc.constantFrom(64500, 64501),
  password: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
  timers: fc.option(fc.constantFrom<[number, number]>([1, 3], [3, 9]), { nil: undefined }),
  multihop: fc.boolean(),
  bfdProfile: fc.option(fc.constantFrom('fast', 'slow'), { nil: undefined }),
}).map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as unknown as FixturePeer);

const adArb: fc.Arbitrary<FixtureAd> = fc.record({
  prefix: fc.constantFrom('203.0.113.1/32', '203.0.113.2/32', '203.0.113.3/32', '198.51.100.0/24', '198.51.100.7/32'),
  communities: fc.subarray(['64500:1', '64500:2', '1:2:3']),
  localPref: fc.option(fc.constantFrom(100, 200), { nil: undefined }),
}).map((a): FixtureAd => (a.localPref === undefined ? { prefix: a.prefix, communities: a.communities } : { prefix: a.prefix, communities: a.communities, localPref: a.localPref }));

const configArb = fc.record({
  peers: fc.uniqueArray(peerArb, { selector: (p) => p.address, maxLength: 3 }),
  ads: fc.uniqueArray(adArb, { selector: (a) => a.prefix, maxLength: 5 }),
  profiles: fc.subarray(['fast', 'slow']),
}).map(({ peers, ads, profiles }) => metallbConfig({
  routerId: '192.0.2.11', peers, ads,
  bfdProfiles: profiles.map((name) => ({ name, lines: name === 'fast' ? ['detect-multiplier 5'] : ['receive-interval 1000'] })),
}));

describe('planApply properties', () => {
  it('applying the plan to the running config yields the desired config', () => {
    fc.assert(fc.property(configArb, configArb, (before, after) => {
      const running = readConfig(before);
      const desired = readConfig(after);
      const plan = planApply(running, desired);
      expect(asSets(applyLines(running, batchLines(plan.steps)))).to.deep.equal(asSets(desired));
    }), { numRuns: 300 });
  });

  it('plans nothing for equal configs and never rebuilds an instance whose ASN stays', () => {
    fc.assert(fc.property(configArb, configArb, (before, after) => {
      expect(planApply(readConfig(before), readConfig(before)).changes).to.deep.equal([]);
      const plan = planApply(readConfig(before), readConfig(after));
      expect(plan.cls).to.not.equal('full-reload');
      expect(batchLines(plan.steps).some((l) => l.includes('no router bgp'))).to.equal(false);
    }), { numRuns: 200 });
  });
});
