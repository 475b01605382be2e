// The incremental reconciler: every round equals a fresh `reconcile`, and untouched Services are not planned again.

import { expect } from 'chai';
import fc from 'fast-check';
import type { Pool, ServiceInput, ServiceKey } from '../api/model.ts';
import { aPool, aService, at, selector, serviceArbitrary } from '../ipam/testing.ts';
import { Reconciler } from './reconciler.ts';
import { allocatedIPs } from './allocated-ips.ts';
import { pendingIndex, reconcile, type Allocations, type Reconciled } from './reconcile.ts';

const options = { loadBalancerClass: null };

/** Everything a round reports, in a form deep equality compares (in order). */
// Allocations compare as sets: their order means nothing (the state file sorts, the rest looks up by key).
const view = (r: Reconciled) => ({ plan: r.plan, allocations: [...r.allocations].sort(([a], [b]) => (a < b ? -1 : 1)), changed: r.changed, events: r.events });

describe('Reconciler', () => {
  const pools = [aPool({ cidrs: ['192.0.2.0/29'] })];
  const services = ['a', 'b', 'c'].map((name, i) => aService({ name, created: at(i) }));

  it('plans as reconcile does, round after round', () => {
    const reconciler = new Reconciler();
    let previous: Allocations = new Map();
    let pending = new Map<ServiceKey, string>();
    for (const round of [services, [...services, aService({ name: 'd', created: at(9) })], services.slice(1)]) {
      const want = reconcile(pools, round, previous, pending, options);
      const got = reconciler.reconcile(pools, round, previous, pending, options);
      expect(view(got)).to.deep.equal(view(want));
      previous = got.allocations;
      pending = pendingIndex(got.plan);
    }
  });

  it('keeps the decisions of untouched Services: a new one is planned alone', () => {
    const reconciler = new Reconciler();
    const first = reconciler.reconcile(pools, services, new Map(), new Map(), options);
    const second = reconciler.reconcile(pools, services, first.allocations, new Map(), options);
    const third = reconciler.reconcile(pools, [...services, aService({ name: 'd', created: at(9) })], second.allocations, new Map(), options);
    expect(third.plan.services.slice(0, 3)).to.have.ordered.members(second.plan.services);
    expect(third.plan.services.slice(0, 3).every((d, i) => d === second.plan.services[i])).to.equal(true);
    expect(third.plan.services[3]).to.include({ state: 'allocated', key: 'default/d' });
    expect(third.allocations.get('default/a' as ServiceKey)).to.equal(second.allocations.get('default/a' as ServiceKey));
  });

  it('passes the same allocations map on when a round allocates nothing, and its addresses stay memoized', () => {
    const reconciler = new Reconciler();
    const first = reconciler.reconcile(pools, services, new Map(), new Map(), options);
    const second = reconciler.reconcile(pools, services, first.allocations, new Map(), options);
    const copied = services.map((s, i) => (i === 1 ? { ...s } : s));
    const third = reconciler.reconcile(pools, copied, second.allocations, new Map(), options);
    expect(second.allocations).to.equal(first.allocations);
    expect(third.allocations, 'a re-read Service that keeps its address').to.equal(first.allocations);
    expect(third.changed).to.equal(false);
    expect(allocatedIPs(third.allocations)).to.equal(allocatedIPs(first.allocations));
    expect([...allocatedIPs(first.allocations)].map(([k, ips]) => [k, ips.map(String)])).to.deep.equal([...first.allocations].map(([k, a]) => [k, a.ips.map(String)]));
    const fourth = reconciler.reconcile(pools, [...services, aService({ name: 'd', created: at(9) })], third.allocations, new Map(), options);
    expect(fourth.allocations).to.not.equal(first.allocations);
    expect(allocatedIPs(fourth.allocations).has('default/d' as ServiceKey)).to.equal(true);
  });

  it('reports an unchanged pending Service again when the caller forgot it was pending', () => {
    const bad = aService({ name: 'z', created: at(9), requestError: 'spec.loadBalancerIP: bad' });
    const reconciler = new Reconciler();
    const first = reconciler.reconcile(pools, [...services, bad], new Map(), new Map(), options);
    const second = reconciler.reconcile(pools, [...services, bad], first.allocations, pendingIndex(first.plan), options);
    expect(second.events).to.deep.equal([]);
    const third = reconciler.reconcile(pools, [...services, bad], second.allocations, new Map(), options);
    expect(view(third)).to.deep.equal(view(reconcile(pools, [...services, bad], second.allocations, new Map(), options)));
    expect(third.events.map((e) => [e.key, e.reason])).to.deep.equal([['default/z', 'AllocationFailed']]);
  });

  it('plans afresh when the pools change', () => {
    const reconciler = new Reconciler();
    const first = reconciler.reconcile(pools, services, new Map(), new Map(), options);
    const second = reconciler.reconcile(pools, services, first.allocations, new Map(), options);
    const smaller = [aPool({ cidrs: ['192.0.2.1/32', '192.0.2.2/32'] })];
    const third = reconciler.reconcile(smaller, services, second.allocations, new Map(), options);
    expect(view(third)).to.deep.equal(view(reconcile(smaller, services, second.allocations, new Map(), options)));
    expect(third.plan.services.map((d) => d.state)).to.deep.equal(['pending', 'allocated', 'allocated']);
  });
});

/** Rounds fed back as the controller does, unless a round says otherwise; each must equal `reconcile`. */
type Round = { readonly services: readonly ServiceInput[]; readonly previous?: 'fed-back' | 'none' };

function playRounds(pools: readonly Pool[], rounds: readonly Round[]): Reconciled[] {
  const reconciler = new Reconciler();
  let previous: Allocations = new Map();
  let pending = new Map<ServiceKey, string>();
  return rounds.map((round) => {
    if (round.previous === 'none') previous = new Map();
    const want = reconcile(pools, round.services, previous, pending, options);
    const got = reconciler.reconcile(pools, round.services, previous, pending, options);
    expect(view(got)).to.deep.equal(view(want));
    previous = got.allocations;
    pending = pendingIndex(got.plan);
    return got;
  });
}

const messageOf = (r: Reconciled | undefined, key: string): string | undefined => r?.plan.services.find((d) => d.key === key)?.message;

describe('Reconciler: rounds that cannot reuse phase 1', () => {
  it('a deleted Service that shared its IP: the other one no longer says so', () => {
    const one = aService({ name: 's1', created: at(0), sharingKey: 'k', ports: ['TCP/80'] });
    const two = aService({ name: 's2', created: at(1), sharingKey: 'k', ports: ['TCP/443'] });
    const rounds = playRounds([aPool({ cidrs: ['192.0.2.0/30'] })], [{ services: [one, two] }, { services: [one, two] }, { services: [two] }]);
    expect(messageOf(rounds[1], 'default/s2')).to.equal('kept 192.0.2.0 from pool "blue"; shared with default/s1');
    expect(messageOf(rounds[2], 'default/s2')).to.equal('kept 192.0.2.0 from pool "blue"');
  });

  it('a deleted Service frees the IP a pending Service holds in its status: it keeps that IP', () => {
    const holder = aService({ name: 's1', created: at(0), ingressIPs: ['192.0.2.0'] });
    const other = aService({ name: 's2', created: at(1), ingressIPs: ['192.0.2.1'] });
    const waiting = aService({ name: 's3', created: at(2), ingressIPs: ['192.0.2.0'] });
    const rounds = playRounds([aPool({ cidrs: ['192.0.2.0/31'] })], [{ services: [holder, other, waiting] }, { services: [holder, other, waiting] }, { services: [other, waiting] }]);
    expect(rounds[1]?.plan.services[2]).to.include({ state: 'pending', reason: 'pool-exhausted' });
    expect(messageOf(rounds[2], 'default/s3')).to.equal('kept 192.0.2.0 from pool "blue"');
  });

  it('a new, older Service claiming an IP a younger one holds: the older claim wins', () => {
    const young = aService({ name: 's1', created: at(5) });
    const old = aService({ name: 's0', created: at(0), ingressIPs: ['192.0.2.0'] });
    const rounds = playRounds([aPool({ cidrs: ['192.0.2.0/31'] })], [{ services: [young] }, { services: [young] }, { services: [old, young] }]);
    expect(rounds[2]?.allocations.get('default/s0' as ServiceKey)?.ips).to.deep.equal(['192.0.2.0']);
    expect(rounds[2]?.allocations.get('default/s1' as ServiceKey)?.ips).to.deep.equal(['192.0.2.1']);
  });

  it('a PreferDualStack Service that grew is grown again, not left holding the grown IP, after a restart', () => {
    const svc = aService({ name: 's1', families: ['ipv4', 'ipv6'], ipFamilyPolicy: 'PreferDualStack', ingressIPs: ['192.0.2.0'] });
    const rounds = playRounds([aPool({ cidrs: ['192.0.2.0/31', '2001:db8::/127'] })], [{ services: [svc] }, { services: [svc], previous: 'none' }]);
    expect(messageOf(rounds[1], 'default/s1')).to.equal('kept 192.0.2.0 and assigned 2001:db8:: from pool "blue"');
  });
});

const blocks = ['192.0.2.0/30', '192.0.2.4/31', '192.0.2.252/30', '2001:db8::/126', '2001:db8:1::/127'];
const addresses = ['192.0.2.0', '192.0.2.1', '192.0.2.5', '192.0.2.255', '203.0.113.5', '2001:db8::', '2001:db8::3', '2001:db8:1::1'];
const poolNames = ['amber', 'blue', 'cyan'];

const poolsArb: fc.Arbitrary<Pool[]> = fc
  .record({
    owner: fc.array(fc.integer({ min: -1, max: 2 }), { minLength: blocks.length, maxLength: blocks.length }),
    avoid: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    pinned: fc.integer({ min: -1, max: 2 }),
    autoOff: fc.integer({ min: -1, max: 2 }),
  })
  .map(({ owner, avoid, pinned, autoOff }) =>
    poolNames.flatMap((name, i) => {
      const cidrs = blocks.filter((_, b) => owner[b] === i);
      if (cidrs.length === 0) return [];
      const pin = pinned === i ? { priority: 1, namespaces: ['ns1'], serviceSelectors: [selector({ app: 'web' })] } : {};
      return [aPool({ name, cidrs, autoAssign: autoOff !== i, avoidBuggyIPs: avoid[i] ?? false, ...pin })];
    }),
  );

const names = ['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7'];

const serviceArb: fc.Arbitrary<ServiceInput> = serviceArbitrary({
  name: fc.constantFrom(...names), addresses, poolNames, sharingKeys: [null, null, '', 'k', 'k', 'j'], noIngressWeight: 3, requestErrors: true,
});

/** What happens between two rounds. */
type Change =
  | { readonly kind: 'none' | 'restart' | 'forget' | 'copy-pools' | 'class' }
  | { readonly kind: 'upsert'; readonly svc: ServiceInput }
  | { readonly kind: 'remove' | 'copy'; readonly name: string }
  | { readonly kind: 'pools'; readonly pools: Pool[] };

const changeArb: fc.Arbitrary<Change> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 6, arbitrary: serviceArb.map((svc) => ({ kind: 'upsert' as const, svc })) },
  { weight: 3, arbitrary: fc.constantFrom(...names).map((name) => ({ kind: 'remove' as const, name })) },
  { weight: 1, arbitrary: fc.constantFrom(...names).map((name) => ({ kind: 'copy' as const, name })) },
  { weight: 1, arbitrary: poolsArb.map((pools) => ({ kind: 'pools' as const, pools })) },
  { weight: 1, arbitrary: fc.constantFrom({ kind: 'restart' as const }, { kind: 'forget' as const }, { kind: 'copy-pools' as const }, { kind: 'class' as const }) },
);

describe('Reconciler properties', () => {
  it('equals a fresh reconcile in every round of any sequence of changes', () => {
    fc.assert(
      fc.property(poolsArb, fc.array(serviceArb, { maxLength: 8 }), fc.array(changeArb, { maxLength: 14 }), fc.boolean(), (initialPools, initial, changes, shuffled) => {
        const reconciler = new Reconciler();
        let pools: readonly Pool[] = initialPools;
        let opts: { loadBalancerClass: string | null } = options;
        const services = new Map(initial.map((s) => [s.name, s]));
        let previous: Allocations = new Map();
        let pending = new Map<ServiceKey, string>();
        for (const change of [{ kind: 'none' as const }, ...changes]) {
          switch (change.kind) {
            case 'upsert': services.set(change.svc.name, change.svc); break;
            case 'remove': services.delete(change.name); break;
            case 'copy': { const s = services.get(change.name); if (s !== undefined) services.set(change.name, { ...s }); break; }
            case 'pools': pools = change.pools; break;
            case 'copy-pools': pools = structuredClone(pools); break;
            case 'class': opts = { loadBalancerClass: opts.loadBalancerClass === null ? 'other' : null }; break;
            // A restart: the held IPs come from the Services' status alone.
            case 'restart': previous = new Map(); pending = new Map(); break;
            // The store's record lags a round behind.
            case 'forget': previous = new Map([...previous].slice(1)); break;
            case 'none': break;
          }
          const list = [...services.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
          const round = shuffled ? list.reverse() : list;
          const want = reconcile(pools, round, previous, pending, opts);
          const got = reconciler.reconcile(pools, round, previous, pending, opts);
          expect(view(got)).to.deep.equal(view(want));
          // As the controller does: its own last result is the next round's record.
          previous = got.allocations;
          pending = pendingIndex(got.plan);
        }
      }),
      { numRuns: 400 },
    );
  });
});
