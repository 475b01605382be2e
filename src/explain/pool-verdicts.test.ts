import { expect } from 'chai';
import type { Pool, ServiceInput } from '../api/model.ts';
import { planAllocations } from '../ipam/plan.ts';
import { aPool, aService, at, selector } from '../ipam/testing.ts';
import { explainPools, type PoolVerdictCode } from './pool-verdicts.ts';

const options = { loadBalancerClass: null };

type Row = {
  readonly it: string;
  readonly pools: readonly Pool[];
  readonly services: readonly ServiceInput[];
  /** The Service explained: default/a. */
  readonly want: readonly (readonly [pool: string, code: PoolVerdictCode])[];
  readonly messages?: Readonly<Record<string, string>>;
};

const a = (spec: Parameters<typeof aService>[0] = {}) => aService({ name: 'a', created: at(5), ...spec });
const older = (name: string, spec: Parameters<typeof aService>[0] = {}) => aService({ name, created: at(1), ...spec });

const rows: readonly Row[] = [
  {
    it: 'names the pool used, and why autoAssign, namespaces and serviceSelectors ruled out the others',
    pools: [aPool({ name: 'main' }), aPool({ name: 'off', cidrs: ['198.51.100.0/30'], autoAssign: false }), aPool({ name: 'ns', cidrs: ['203.0.113.0/30'], namespaces: ['other'] }), aPool({ name: 'sel', cidrs: ['203.0.113.8/30'], serviceSelectors: [selector({ app: 'db' })] })],
    services: [a({ labels: { app: 'web' } })],
    want: [['main', 'chosen'], ['ns', 'namespace-not-selected'], ['off', 'auto-assign-disabled'], ['sel', 'service-not-selected']],
    messages: { off: 'pool "off" has autoAssign disabled (name it with the address-pool annotation to use it)', ns: 'pool "ns" is for namespaces [other]' },
  },
  {
    it: 'shows a full pinned pool before the fallback pool that served the Service',
    pools: [aPool({ name: 'pinned', cidrs: ['192.0.2.0/32'], priority: 1 }), aPool({ name: 'spare', cidrs: ['198.51.100.0/30'] })],
    services: [older('first'), a()],
    want: [['pinned', 'pool-exhausted'], ['spare', 'chosen']],
  },
  {
    it: 'marks a pool that could serve but comes later as usable',
    pools: [aPool({ name: 'amber', cidrs: ['192.0.2.0/30'] }), aPool({ name: 'blue', cidrs: ['198.51.100.0/30'] })],
    services: [a()],
    want: [['amber', 'chosen'], ['blue', 'usable']],
    messages: { blue: 'pool "blue" could give it 198.51.100.0' },
  },
  {
    it: 'gives every candidate pool pool-exhausted when all are full',
    pools: [aPool({ name: 'main', cidrs: ['192.0.2.0/32'] })],
    services: [older('first'), a()],
    want: [['main', 'pool-exhausted']],
  },
  {
    it: 'says family-mismatch for a pool without the Service\'s family',
    pools: [aPool({ name: 'v4', cidrs: ['192.0.2.0/30'] })],
    services: [a({ families: ['ipv6'] })],
    want: [['v4', 'family-mismatch']],
  },
  {
    it: 'uses the pool the annotation names, even with autoAssign off, and rules out the others',
    pools: [aPool({ name: 'main' }), aPool({ name: 'off', cidrs: ['198.51.100.0/30'], autoAssign: false })],
    services: [a({ addressPool: 'off' })],
    want: [['off', 'chosen'], ['main', 'not-the-requested-pool']],
  },
  {
    it: 'rules out every pool when the annotation names a pool that does not exist',
    pools: [aPool({ name: 'main' })],
    services: [a({ addressPool: 'gone' })],
    want: [['main', 'not-the-requested-pool']],
  },
  {
    it: 'says ip-in-use for the pool of a requested address someone else holds, and requested-ips-elsewhere for the others',
    pools: [aPool({ name: 'main' }), aPool({ name: 'other', cidrs: ['198.51.100.0/30'] })],
    services: [older('holder', { ingressIPs: ['192.0.2.7'] }), a({ requestedIPs: ['192.0.2.7'] })],
    want: [['main', 'ip-in-use'], ['other', 'requested-ips-elsewhere']],
  },
  {
    it: 'says sharing-conflict when the holder has another sharing key',
    pools: [aPool({ name: 'main' })],
    services: [older('holder', { ingressIPs: ['192.0.2.7'], sharingKey: 'x' }), a({ requestedIPs: ['192.0.2.7'], sharingKey: 'y' })],
    want: [['main', 'sharing-conflict']],
  },
  {
    it: 'says ip-not-in-requested-pool when the requested address lies in another pool than the annotation names',
    pools: [aPool({ name: 'main' }), aPool({ name: 'named', cidrs: ['198.51.100.0/30'] })],
    services: [a({ requestedIPs: ['192.0.2.7'], addressPool: 'named' })],
    want: [['named', 'requested-ips-elsewhere'], ['main', 'ip-not-in-requested-pool']],
  },
  {
    it: 'says namespace-not-selected for the pool of a requested address that does not serve the namespace',
    pools: [aPool({ name: 'main', namespaces: ['other'] })],
    services: [a({ requestedIPs: ['192.0.2.7'] })],
    want: [['main', 'namespace-not-selected']],
  },
  {
    it: 'keeps a held address in an autoAssign-off pool as chosen, with the decision\'s words',
    pools: [aPool({ name: 'main' }), aPool({ name: 'off', cidrs: ['198.51.100.0/30'], autoAssign: false })],
    services: [a({ ingressIPs: ['198.51.100.2'] })],
    want: [['main', 'usable'], ['off', 'chosen']],
    messages: { off: 'kept 198.51.100.2 from pool "off"' },
  },
  {
    it: 'counts the address the Service shares as usable for it',
    pools: [aPool({ name: 'main', cidrs: ['192.0.2.0/32'] })],
    services: [older('peer', { sharingKey: 'k', ports: ['TCP/443'] }), a({ sharingKey: 'k' })],
    want: [['main', 'chosen']],
  },
];

describe('explainPools', () => {
  for (const r of rows) {
    it(r.it, () => {
      const plan = planAllocations(r.pools, r.services, options);
      const story = explainPools(r.pools, r.services, plan.services, 'default/a' as ServiceInput['key'], options);
      expect(story?.pools.map((p) => [p.pool, p.code])).to.deep.equal(r.want);
      for (const [pool, text] of Object.entries(r.messages ?? {})) expect(story?.pools.find((p) => p.pool === pool)?.message, pool).to.equal(text);
    });
  }

  it('has no pool verdicts for a Service the allocator never weighs pools for', () => {
    const pools = [aPool()];
    for (const svc of [a({ type: 'ClusterIP' }), a({ requestError: 'bad' }), a({ families: ['ipv4', 'ipv4'] })]) {
      const plan = planAllocations(pools, [svc], options);
      expect(explainPools(pools, [svc], plan.services, svc.key, options)?.pools).to.deep.equal([]);
    }
    const none = planAllocations([], [a()], options);
    expect(explainPools([], [a()], none.services, a().key, options)?.pools).to.deep.equal([]);
  });

  it('returns null for a Service the plan does not know', () => {
    expect(explainPools([aPool()], [], [], a().key, options)).to.equal(null);
  });
});
