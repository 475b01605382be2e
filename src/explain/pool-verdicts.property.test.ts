// explainPools agrees with planAllocations: on every example configuration and on random ones,
// the verdicts never contradict the decision the allocator made for the same Service.

import { expect } from 'chai';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { parseInput } from '../api/input.ts';
import type { Pool, ServiceInput } from '../api/model.ts';
import type { ServiceDecision } from '../ipam/decision.ts';
import { planAllocations } from '../ipam/plan.ts';
import { aPool, aService, at, selector } from '../ipam/testing.ts';
import { cidrContains } from '../net/cidr.ts';
import { loadManifests } from '../store/manifest-files.ts';
import { explainPools, type PoolVerdict } from './pool-verdicts.ts';

const options = { loadBalancerClass: null };

/** The pool the allocator's pickFrom takes from one tier's verdicts: full first, then primary-only, then secondary-only. */
function pickFrom(tier: readonly PoolVerdict[], svc: ServiceInput): string | null {
  const usable = tier.filter((v) => v.code === 'usable' || v.code === 'chosen');
  const want = svc.families.length === 2 && svc.ipFamilyPolicy !== 'SingleStack' ? 2 : 1;
  const full = usable.find((v) => v.ips.length === want);
  const primary = usable.find((v) => v.ips.length === 1 && v.ips[0]?.includes(':') === svc.families[0]?.startsWith('ipv6'));
  return (full ?? primary ?? usable[0])?.pool ?? null;
}

/** Every way the verdicts could contradict the decision; empty when they agree. */
function contradictions(pools: readonly Pool[], svc: ServiceInput, d: ServiceDecision, verdicts: readonly PoolVerdict[]): string[] {
  const out: string[] = [];
  const chosen = verdicts.filter((v) => v.code === 'chosen');
  const usable = verdicts.filter((v) => v.code === 'usable' || v.code === 'chosen');
  const holding = (v: PoolVerdict) => pools.find((p) => p.name === v.pool)?.cidrs.some((c) => svc.requestedIPs.some((ip) => cidrContains(c, ip))) === true;
  if (d.state === 'ignored' || (d.state === 'pending' && (d.reason === 'invalid-request' || d.reason === 'no-pools'))) {
    if (verdicts.length > 0) out.push('verdicts for a Service the allocator never weighed pools for');
    return out;
  }
  if (verdicts.length !== pools.length) out.push(`${verdicts.length} verdicts for ${pools.length} pools`);
  if (d.state === 'allocated') {
    if (chosen.length !== 1 || chosen[0]?.pool !== d.pool) out.push(`chosen ${chosen.map((v) => v.pool).join(',')} but the allocator used ${d.pool}`);
    if (d.message.startsWith('assigned') && svc.requestedIPs.length === 0) {
      const tiers = svc.addressPool !== null ? [['annotation']] : [['pinned'], ['fallback']];
      const expected = tiers.map((t) => pickFrom(verdicts.filter((v) => t.includes(v.tier ?? '')), svc)).find((p) => p !== null) ?? null;
      if (expected !== d.pool) out.push(`the verdicts pick ${expected ?? 'nothing'} but the allocator used ${d.pool}`);
    }
    return out;
  }
  if (usable.length > 0) out.push(`pending (${d.reason}) yet ${usable.map((v) => v.pool).join(',')} is usable`);
  if (d.reason === 'pool-not-found' && svc.requestedIPs.length === 0 && verdicts.some((v) => v.code !== 'not-the-requested-pool')) out.push('pool-not-found but some pool is not ruled out by the annotation');
  if (svc.requestedIPs.length > 0) {
    const codes = verdicts.filter(holding).map((v) => (v.code === 'namespace-not-selected' || v.code === 'service-not-selected' ? 'no-matching-pool' : v.code));
    if (codes.some((c) => c !== d.reason)) out.push(`requested: the pools holding the IPs say ${codes.join(',')}, the allocator ${d.reason}`);
  } else if (['pool-exhausted', 'family-mismatch', 'no-matching-pool'].includes(d.reason)) {
    const codes = new Set(verdicts.map((v) => v.code));
    const expected = codes.has('pool-exhausted') ? 'pool-exhausted' : codes.has('family-mismatch') ? 'family-mismatch' : 'no-matching-pool';
    if (expected !== d.reason) out.push(`automatic: the verdicts imply ${expected}, the allocator said ${d.reason}`);
  }
  return out;
}

function checkAll(pools: readonly Pool[], services: readonly ServiceInput[]): string[] {
  const plan = planAllocations(pools, services, options);
  return services.flatMap((svc) => {
    const story = explainPools(pools, services, plan.services, svc.key, options);
    if (story === null) return [`${svc.key}: no story`];
    return contradictions(pools, svc, story.decision, story.pools).map((c) => `${svc.key}: ${c}`);
  });
}

describe('explainPools agrees with planAllocations', () => {
  const examples = new URL('../../examples/', import.meta.url).pathname;
  for (const dir of readdirSync(examples, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    it(`on examples/${dir}`, async () => {
      const parsed = parseInput((await loadManifests([`${examples}${dir}`])).objects);
      if (parsed.errors.length > 0) return;
      expect(checkAll(parsed.config.pools, parsed.services)).to.deep.equal([]);
    });
  }

  const blocks = ['192.0.2.0/30', '192.0.2.4/31', '192.0.2.252/30', '198.51.100.0/31', '2001:db8::/127', '2001:db8:1::/126'];
  const addresses = ['192.0.2.0', '192.0.2.1', '192.0.2.5', '192.0.2.255', '198.51.100.1', '203.0.113.5', '2001:db8::', '2001:db8:1::1'];
  const names = ['amber', 'blue', 'cyan'];
  const poolsArb: fc.Arbitrary<Pool[]> = fc
    .record({
      owner: fc.array(fc.integer({ min: -1, max: 2 }), { minLength: blocks.length, maxLength: blocks.length }),
      attrs: fc.array(fc.record({ avoid: fc.boolean(), auto: fc.boolean(), pin: fc.option(fc.record({ priority: fc.integer({ min: 0, max: 2 }), ns: fc.boolean(), web: fc.boolean() })) }), { minLength: 3, maxLength: 3 }),
    })
    .map(({ owner, attrs }) => names.flatMap((name, i) => {
      const cidrs = blocks.filter((_, b) => owner[b] === i);
      const x = attrs[i];
      if (cidrs.length === 0 || x === undefined) return [];
      const pin = x.pin === null ? {} : { priority: x.pin.priority, ...(x.pin.ns ? { namespaces: ['ns1'] } : {}), ...(x.pin.web ? { serviceSelectors: [selector({ app: 'web' })] } : {}) };
      return [aPool({ name, cidrs, autoAssign: x.auto || i > 0, avoidBuggyIPs: x.avoid, ...pin })];
    }));
  const serviceArb = (i: number): fc.Arbitrary<ServiceInput> =>
    fc.record({
      ns: fc.constantFrom('ns1', 'ns2'),
      app: fc.constantFrom('web', 'db'),
      created: fc.integer({ min: 0, max: 4 }),
      families: fc.constantFrom<ServiceInput['families']>(['ipv4'], ['ipv6'], ['ipv4', 'ipv6'], ['ipv6', 'ipv4']),
      policy: fc.constantFrom<ServiceInput['ipFamilyPolicy']>('SingleStack', 'PreferDualStack', 'RequireDualStack'),
      requested: fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.subarray(addresses, { maxLength: 2 }) }),
      pool: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...names, 'missing') }),
      sharing: fc.constantFrom(null, 'k', 'k', 'j'),
      ports: fc.subarray(['TCP/80', 'TCP/443'], { minLength: 1 }),
      ingress: fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.subarray(addresses, { maxLength: 2 }) }),
    }).map((s) => aService({
      name: `s${i}`, namespace: s.ns, labels: { app: s.app }, created: at(s.created), families: s.families,
      ipFamilyPolicy: s.families.length === 1 ? 'SingleStack' : s.policy, requestedIPs: s.requested, addressPool: s.pool,
      sharingKey: s.sharing, ports: s.ports, ingressIPs: s.ingress,
    }));
  const servicesArb = fc.integer({ min: 1, max: 10 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => serviceArb(i)))).map((t) => [...t]);

  it('on random pools and Services', () => {
    fc.assert(fc.property(poolsArb, servicesArb, (pools, services) => {
      expect(checkAll(pools, services)).to.deep.equal([]);
    }), { numRuns: 300 });
  });
});
