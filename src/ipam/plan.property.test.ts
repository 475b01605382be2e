import { expect } from 'chai';
import fc from 'fast-check';
import type { Pool, ServiceInput } from '../api/model.ts';
import { cidrContains } from '../net/cidr.ts';
import { ipFamily, ipToBigInt, type IP } from '../net/ip.ts';
import { isBuggy } from './free-space.ts';
import { planAllocations, type AllocationPlan } from './plan.ts';
import { aPool, aService, at, selector, serviceArbitrary } from './testing.ts';

const options = { loadBalancerClass: null };
const blocks = ['192.0.2.0/29', '192.0.2.8/30', '192.0.2.252/30', '192.0.3.0/30', '198.51.100.0/31', '2001:db8::/126', '2001:db8:1::/127', '2001:db8:2::/64'];
const addresses = ['192.0.2.0', '192.0.2.1', '192.0.2.9', '192.0.2.255', '192.0.3.0', '198.51.100.1', '203.0.113.5', '2001:db8::', '2001:db8::3', '2001:db8:1::1', '2001:db8:2::'];
const poolNames = ['amber', 'blue', 'cyan', 'dune'];

const poolsArb: fc.Arbitrary<Pool[]> = fc
  .record({
    owner: fc.array(fc.integer({ min: -1, max: 3 }), { minLength: blocks.length, maxLength: blocks.length }),
    attrs: fc.array(
      fc.record({
        avoidBuggyIPs: fc.boolean(),
        pinned: fc.option(fc.record({ priority: fc.integer({ min: 0, max: 3 }), namespaces: fc.option(fc.subarray(['ns1', 'ns2'])), web: fc.boolean() })),
      }),
      { minLength: 4, maxLength: 4 },
    ),
    autoOff: fc.integer({ min: -1, max: 3 }),
  })
  .map(({ owner, attrs, autoOff }) =>
    poolNames.flatMap((name, i) => {
      const cidrs = blocks.filter((_, b) => owner[b] === i);
      const a = attrs[i];
      if (cidrs.length === 0 || a === undefined) return [];
      const pin = a.pinned === null ? {} : { priority: a.pinned.priority, ...(a.pinned.namespaces === null ? {} : { namespaces: a.pinned.namespaces }), ...(a.pinned.web ? { serviceSelectors: [selector({ app: 'web' })] } : {}) };
      return [aPool({ name, cidrs, autoAssign: autoOff !== i, avoidBuggyIPs: a.avoidBuggyIPs, ...pin })];
    }),
  );

const serviceArb = (i: number): fc.Arbitrary<ServiceInput> =>
  serviceArbitrary({ name: fc.constant(`s${i}`), addresses, poolNames, sharingKeys: [null, '', 'k', 'k', 'j'], noIngressWeight: 2, requestErrors: false });

const servicesArb: fc.Arbitrary<ServiceInput[]> = fc
  .integer({ min: 0, max: 14 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => serviceArb(i))))
  .map((t) => [...t]);

/** Deterministic Fisher–Yates driven by a seed. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const fedBack = (services: readonly ServiceInput[], plan: AllocationPlan): ServiceInput[] =>
  services.map((s) => {
    const d = plan.services.find((x) => x.key === s.key);
    return { ...s, ingressIPs: d?.state === 'allocated' ? d.ips : [] };
  });

const holdings = (plan: AllocationPlan): Record<string, string> =>
  Object.fromEntries(plan.services.map((d) => [d.key, d.state === 'allocated' ? `${d.pool}:${d.ips.join(',')}` : d.state]));

describe('planAllocations properties', () => {
  it('hands an IP to two Services only when sharing allows it', () => {
    fc.assert(
      fc.property(poolsArb, servicesArb, (pools, services) => {
        const plan = planAllocations(pools, services, options);
        const users = new Map<IP, ServiceInput[]>();
        for (const d of plan.services) {
          if (d.state !== 'allocated') continue;
          const svc = services.find((s) => s.key === d.key) as ServiceInput;
          for (const ip of d.ips) users.set(ip, [...(users.get(ip) ?? []), svc]);
        }
        for (const list of users.values()) {
          const [first, ...rest] = list;
          if (first === undefined || rest.length === 0) continue;
          const ports = list.flatMap((s) => s.ports.map((p) => `${p.protocol}/${p.port}`));
          expect(new Set(ports).size).to.equal(ports.length);
          for (const s of list) {
            expect(s.sharingKey).to.be.a('string').and.not.equal('');
            expect([s.sharingKey, s.backendKey]).to.deep.equal([first.sharingKey, first.backendKey]);
          }
        }
      }),
    );
  });

  it('hands out only addresses of the pool, of the Service\'s families, and not avoided', () => {
    fc.assert(
      fc.property(poolsArb, servicesArb, (pools, services) => {
        const plan = planAllocations(pools, services, options);
        for (const d of plan.services) {
          if (d.state !== 'allocated') continue;
          const svc = services.find((s) => s.key === d.key) as ServiceInput;
          const pool = pools.find((p) => p.name === d.pool) as Pool;
          expect(new Set(d.ips.map(ipFamily)).size).to.equal(d.ips.length);
          expect(ipFamily(d.ips[0] as IP)).to.equal(d.ips.length === 2 ? svc.families[0] : ipFamily(d.ips[0] as IP));
          for (const ip of d.ips) {
            expect(pool.cidrs.some((c) => cidrContains(c, ip)), `${ip} in ${d.pool}`).to.equal(true);
            expect(svc.families).to.include(ipFamily(ip));
            expect(pool.avoidBuggyIPs && isBuggy(ipFamily(ip), ipToBigInt(ip))).to.equal(false);
          }
        }
      }),
    );
  });

  it('gives the same plan whatever the order of pools and Services', () => {
    fc.assert(
      fc.property(poolsArb, servicesArb, fc.integer(), (pools, services, seed) => {
        const plan = planAllocations(pools, services, options);
        expect(planAllocations(shuffle(pools, seed), shuffle(services, seed + 1), options)).to.deep.equal(plan);
      }),
    );
  });

  it('is a fixed point: feeding the plan back as ingress IPs changes nothing', () => {
    fc.assert(
      fc.property(poolsArb, servicesArb, (pools, services) => {
        const plan = planAllocations(pools, services, options);
        const again = planAllocations(pools, fedBack(services, plan), options);
        expect(holdings(again)).to.deep.equal(holdings(plan));
        expect(again.pools).to.deep.equal(plan.pools);
      }),
    );
  });

  it('counts each pool\'s assigned addresses as the distinct IPs handed out', () => {
    fc.assert(
      fc.property(poolsArb, servicesArb, (pools, services) => {
        const plan = planAllocations(pools, services, options);
        for (const stats of plan.pools) {
          const ips = new Set(plan.services.flatMap((d) => (d.state === 'allocated' && d.pool === stats.name ? d.ips : [])));
          const v4 = [...ips].filter((ip) => ipFamily(ip) === 'ipv4').length;
          expect([stats.assignedIPv4, stats.assignedIPv6]).to.deep.equal([BigInt(v4), BigInt(ips.size - v4)]);
        }
      }),
    );
  });
});

describe('restart', () => {
  const pools = [aPool({ name: 'blue', cidrs: ['192.0.2.0/28', '2001:db8::/124'] }), aPool({ name: 'green', namespaces: ['team-a'], cidrs: ['198.51.100.0/28'] })];
  const services = Array.from({ length: 20 }, (_, i) =>
    aService({ name: `s${String(i).padStart(2, '0')}`, namespace: i % 3 === 0 ? 'team-a' : 'default', created: at(10 + (i % 7)), families: i % 4 === 0 ? ['ipv6', 'ipv4'] : ['ipv4'], ipFamilyPolicy: 'PreferDualStack', sharingKey: i % 5 === 0 ? 'k' : null, ports: [`TCP/${8000 + i}`] }),
  );

  it('keeps every IP after a re-plan with shuffled Services and older new ones added first', () => {
    const first = planAllocations(pools, services, options);
    const newcomers = [aService({ name: 'n1', created: at(1) }), aService({ name: 'n2', created: at(2), namespace: 'team-a' })];
    const again = planAllocations(shuffle(pools, 7), [...newcomers, ...shuffle(fedBack(services, first), 3)], options);
    const before = holdings(first);
    const after = holdings(again);
    for (const [key, held] of Object.entries(before)) expect(after[key], key).to.equal(held);
    expect(after['default/n1']).to.match(/^blue:/);
  });
});
