import { expect } from 'chai';
import type { Pool } from '../api/model.ts';
import { Allocator } from './allocator.ts';
import { aPool, aService, at, outcome } from './testing.ts';

const options = { loadBalancerClass: null };
const fresh = (pools: readonly Pool[]): Allocator => new Allocator(pools, options);

describe('Allocator', () => {
  it('keeps the address a Service holds when it is assigned again', () => {
    const alloc = fresh([aPool()]);
    const a = aService({ name: 'a' });
    alloc.assign(a);
    alloc.assign(aService({ name: 'b' }));
    alloc.release(a.key);
    alloc.assign(aService({ name: 'c' })); // takes 192.0.2.0, the lowest free address again
    expect(outcome(alloc.assign(aService({ name: 'b' })))).to.deep.equal({ state: 'allocated', ips: ['192.0.2.1'], pool: 'blue' });
    expect(outcome(alloc.assign(aService({ name: 'c' })))).to.deep.equal({ state: 'allocated', ips: ['192.0.2.0'], pool: 'blue' });
  });

  it('re-claims a Service\'s ingress IP when it does not hold one yet', () => {
    const alloc = fresh([aPool()]);
    expect(outcome(alloc.assign(aService({ ingressIPs: ['192.0.2.40'] })))).to.deep.equal({ state: 'allocated', ips: ['192.0.2.40'], pool: 'blue' });
  });

  it('returns the released IPs so the caller retries pending Services', () => {
    const alloc = fresh([aPool({ cidrs: ['192.0.2.0/32'] })]);
    const a = aService({ name: 'a' });
    const b = aService({ name: 'b' });
    alloc.assign(a);
    expect(outcome(alloc.assign(b))).to.deep.equal({ state: 'pending', reason: 'pool-exhausted' });
    expect(alloc.release(a.key)).to.deep.equal(['192.0.2.0']);
    expect(alloc.release(a.key)).to.deep.equal([]);
    expect(outcome(alloc.assign(b))).to.deep.equal({ state: 'allocated', ips: ['192.0.2.0'], pool: 'blue' });
  });

  it('keeps a shared IP in use until its last user is released', () => {
    const alloc = fresh([aPool()]);
    const a = aService({ name: 'a', sharingKey: 'k' });
    const b = aService({ name: 'b', sharingKey: 'k', ports: ['TCP/443'] });
    alloc.assign(a);
    alloc.assign(b);
    alloc.release(a.key);
    expect(outcome(alloc.assign(aService({ name: 'c' })))).to.deep.equal({ state: 'allocated', ips: ['192.0.2.1'], pool: 'blue' });
    expect(alloc.stats()[0]?.assignedIPv4).to.equal(2n);
  });

  it('moves a Service whose address-pool annotation changes', () => {
    const alloc = fresh([aPool({ name: 'a', cidrs: ['192.0.2.0/24'] }), aPool({ name: 'b', cidrs: ['198.51.100.0/24'] })]);
    alloc.assign(aService());
    expect(outcome(alloc.assign(aService({ addressPool: 'b' })))).to.deep.equal({ state: 'allocated', ips: ['198.51.100.0'], pool: 'b' });
    expect(alloc.stats().map((p) => p.assignedIPv4)).to.deep.equal([0n, 1n]);
  });

  it('releases the address of a Service that stops being a LoadBalancer', () => {
    const alloc = fresh([aPool()]);
    alloc.assign(aService());
    expect(outcome(alloc.assign(aService({ type: 'NodePort' })))).to.deep.equal({ state: 'ignored' });
    expect(alloc.allocationOf(aService().key)).to.equal(undefined);
  });

  describe('setPools', () => {
    const holders = [aService({ name: 'a', created: at(1), ingressIPs: ['192.0.2.0'] }), aService({ name: 'b', created: at(2), ingressIPs: ['192.0.2.200'] })];
    const rows: ReadonlyArray<{ readonly it: string; readonly pools: readonly Pool[]; readonly released: readonly string[]; readonly kept: Readonly<Record<string, string>> }> = [
      { it: 're-homes allocations silently when a pool is renamed', pools: [aPool({ name: 'renamed' })], released: [], kept: { 'default/a': 'renamed', 'default/b': 'renamed' } },
      { it: 'keeps allocations that still fit a grown pool', pools: [aPool({ cidrs: ['192.0.0.0/22'] })], released: [], kept: { 'default/a': 'blue', 'default/b': 'blue' } },
      { it: 'releases allocations outside a shrunk pool', pools: [aPool({ cidrs: ['192.0.2.0/25'] })], released: ['default/b'], kept: { 'default/a': 'blue' } },
      { it: 're-homes allocations into the pools a pool was split into', pools: [aPool({ name: 'lo', cidrs: ['192.0.2.0/25'] }), aPool({ name: 'hi', cidrs: ['192.0.2.128/25'] })], released: [], kept: { 'default/a': 'lo', 'default/b': 'hi' } },
      { it: 'evicts .0 addresses when avoidBuggyIPs is enabled', pools: [aPool({ avoidBuggyIPs: true })], released: ['default/a'], kept: { 'default/b': 'blue' } },
      { it: 'releases allocations the pool no longer admits', pools: [aPool({ namespaces: ['team-a'] })], released: ['default/a', 'default/b'], kept: {} },
      { it: 'releases every allocation when the last pool is removed', pools: [], released: ['default/a', 'default/b'], kept: {} },
    ];
    for (const row of rows) {
      it(row.it, () => {
        const alloc = fresh([aPool()]);
        for (const s of holders) alloc.assign(s);
        expect(alloc.setPools(row.pools)).to.deep.equal(row.released);
        const kept = Object.fromEntries(holders.flatMap((s) => {
          const held = alloc.allocationOf(s.key);
          return held === undefined ? [] : [[s.key, held.pool]];
        }));
        expect(kept).to.deep.equal(row.kept);
      });
    }

    it('lets a released Service be re-allocated in the new pool', () => {
      const alloc = fresh([aPool()]);
      for (const s of holders) alloc.assign(s);
      alloc.setPools([aPool({ cidrs: ['192.0.2.0/25'] })]);
      expect(outcome(alloc.assign(aService({ name: 'b', created: at(2) })))).to.deep.equal({ state: 'allocated', ips: ['192.0.2.1'], pool: 'blue' });
    });
  });

  it('rejects pools whose CIDRs overlap (the config parser rules them out)', () => {
    expect(() => fresh([aPool({ name: 'a' }), aPool({ name: 'b', cidrs: ['192.0.2.128/25'] })])).to.throw(/overlaps/);
  });
});
