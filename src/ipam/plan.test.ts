import { expect } from 'chai';
import type { Pool, ServiceInput } from '../api/model.ts';
import { planAllocations, type AllocationOptions } from './plan.ts';
import type { PendingReason } from './reasons.ts';
import { aPool, aService, at, outcome, selector } from './testing.ts';

type Expected =
  | { readonly state: 'allocated'; readonly ips: readonly string[]; readonly pool: string }
  | { readonly state: 'pending'; readonly reason: PendingReason }
  | { readonly state: 'ignored' };

type Row = {
  readonly it: string;
  readonly pools: readonly Pool[];
  readonly services: readonly ServiceInput[];
  readonly options?: AllocationOptions;
  /** By service key. */
  readonly want: Readonly<Record<string, Expected>>;
  /** Exact messages, by service key, where the wording matters. */
  readonly messages?: Readonly<Record<string, string>>;
};

const allocated = (pool: string, ...ips: string[]): Expected => ({ state: 'allocated', ips, pool });
const pending = (reason: PendingReason): Expected => ({ state: 'pending', reason });
const ignored: Expected = { state: 'ignored' };
const v4v6 = ['192.0.2.0/30', '2001:db8::/126'];

const rows: readonly Row[] = [
  // Which Services are handled
  { it: 'ignores a Service that is not of type LoadBalancer', pools: [aPool()], services: [aService({ type: 'ClusterIP' })], want: { 'default/a': ignored } },
  { it: 'ignores Services with a class when the controller handles none', pools: [aPool()], services: [aService({ loadBalancerClass: 'other' })], want: { 'default/a': ignored } },
  {
    it: 'handles only Services of its own class when one is set',
    pools: [aPool()],
    options: { loadBalancerClass: 'barelb' },
    services: [aService({ name: 'mine', loadBalancerClass: 'barelb' }), aService({ name: 'other', loadBalancerClass: 'x' }), aService({ name: 'none' })],
    want: { 'default/mine': allocated('blue', '192.0.2.0'), 'default/other': ignored, 'default/none': ignored },
  },
  { it: 'reports the Service\'s own request error as invalid-request', pools: [aPool()], services: [aService({ requestError: 'spec.loadBalancerIP "x" is not an IP address' })], want: { 'default/a': pending('invalid-request') }, messages: { 'default/a': 'spec.loadBalancerIP "x" is not an IP address' } },
  { it: 'rejects a Service with two cluster IPs of one family as invalid-request', pools: [aPool()], services: [aService({ families: ['ipv4', 'ipv4'] })], want: { 'default/a': pending('invalid-request') } },
  { it: 'leaves every Service pending and releases held IPs when no pool exists', pools: [], services: [aService({ ingressIPs: ['192.0.2.7'] })], want: { 'default/a': pending('no-pools') } },

  // Within a pool
  { it: 'assigns the lowest address of the pool', pools: [aPool()], services: [aService({ name: 'a', created: at(1) }), aService({ name: 'b', created: at(2) })], want: { 'default/a': allocated('blue', '192.0.2.0'), 'default/b': allocated('blue', '192.0.2.1') } },
  {
    it: 'walks CIDRs in configured order, not address order',
    pools: [aPool({ cidrs: ['198.51.100.8/31', '192.0.2.0/31'] })],
    services: [1, 2, 3].map((m) => aService({ name: `s${m}`, created: at(m) })),
    want: { 'default/s1': allocated('blue', '198.51.100.8'), 'default/s2': allocated('blue', '198.51.100.9'), 'default/s3': allocated('blue', '192.0.2.0') },
  },
  {
    it: 'skips .0 and .255 with avoidBuggyIPs, across CIDRs',
    pools: [aPool({ cidrs: ['192.0.2.254/31', '192.0.3.0/31'], avoidBuggyIPs: true })],
    services: [1, 2, 3].map((m) => aService({ name: `s${m}`, created: at(m) })),
    want: { 'default/s1': allocated('blue', '192.0.2.254'), 'default/s2': allocated('blue', '192.0.3.1'), 'default/s3': pending('pool-exhausted') },
  },
  { it: 'gives an IPv6 Service the lowest IPv6 address', pools: [aPool({ cidrs: v4v6 })], services: [aService({ families: ['ipv6'] })], want: { 'default/a': allocated('blue', '2001:db8::') } },

  // Pool choice
  {
    it: 'tries pinned pools by ascending priority with priority 0 last',
    pools: [aPool({ name: 'p0', priority: 0, cidrs: ['192.0.2.0/30'] }), aPool({ name: 'p2', priority: 2, cidrs: ['192.0.2.4/30'] }), aPool({ name: 'p1', priority: 1, cidrs: ['192.0.2.8/30'] }), aPool({ name: 'f', cidrs: ['192.0.2.12/30'] })],
    services: [aService()],
    want: { 'default/a': allocated('p1', '192.0.2.8') },
  },
  {
    it: 'breaks priority ties by pool name',
    pools: [aPool({ name: 'b', priority: 1, cidrs: ['192.0.2.0/30'] }), aPool({ name: 'a', priority: 1, cidrs: ['192.0.2.4/30'] })],
    services: [aService()],
    want: { 'default/a': allocated('a', '192.0.2.4') },
  },
  {
    it: 'prefers a pinned pool of the namespace over fallback pools',
    pools: [aPool({ name: 'a', cidrs: ['192.0.2.0/30'] }), aPool({ name: 'z', namespaces: ['default'], cidrs: ['192.0.2.4/30'] })],
    services: [aService()],
    want: { 'default/a': allocated('z', '192.0.2.4') },
  },
  {
    it: 'uses fallback pools in name order once pinned pools are full',
    pools: [aPool({ name: 'pin', namespaces: ['default'], cidrs: ['192.0.2.0/32'] }), aPool({ name: 'y', cidrs: ['192.0.2.4/30'] }), aPool({ name: 'x', cidrs: ['192.0.2.8/30'] })],
    services: [aService({ name: 'a', created: at(1) }), aService({ name: 'b', created: at(2) })],
    want: { 'default/a': allocated('pin', '192.0.2.0'), 'default/b': allocated('x', '192.0.2.8') },
  },
  {
    it: 'pins a pool by service selector only for matching Services',
    pools: [aPool({ name: 'web', serviceSelectors: [selector({ app: 'web' })], cidrs: ['192.0.2.0/30'] }), aPool({ name: 'any', cidrs: ['192.0.2.4/30'] })],
    services: [aService({ name: 'w', labels: { app: 'web' } }), aService({ name: 'o', labels: { app: 'db' } })],
    want: { 'default/w': allocated('web', '192.0.2.0'), 'default/o': allocated('any', '192.0.2.4') },
  },
  {
    it: 'requires both the namespace and a selector when a pool has both',
    pools: [aPool({ name: 'both', namespaces: ['team-a'], serviceSelectors: [selector({ app: 'web' })] })],
    services: [aService({ name: 'ok', namespace: 'team-a', labels: { app: 'web' } }), aService({ name: 'ns', labels: { app: 'web' } }), aService({ name: 'lbl', namespace: 'team-a' })],
    want: { 'team-a/ok': allocated('both', '192.0.2.0'), 'default/ns': pending('no-matching-pool'), 'team-a/lbl': pending('no-matching-pool') },
  },
  {
    it: 'pins a priority-only pool for every Service',
    pools: [aPool({ name: 'a', cidrs: ['192.0.2.0/30'] }), aPool({ name: 'prio', priority: 5, cidrs: ['192.0.2.4/30'] })],
    services: [aService({ namespace: 'anything' })],
    want: { 'anything/a': allocated('prio', '192.0.2.4') },
  },
  { it: 'never auto-assigns from a pool with autoAssign disabled', pools: [aPool({ autoAssign: false })], services: [aService()], want: { 'default/a': pending('no-matching-pool') }, messages: { 'default/a': 'no address available: pool "blue" has autoAssign disabled' } },
  { it: 'reports no-matching-pool when every pool is for other namespaces', pools: [aPool({ name: 'red', namespaces: ['team-a'] })], services: [aService()], want: { 'default/a': pending('no-matching-pool') } },
  { it: 'reports family-mismatch when no candidate pool has the family', pools: [aPool()], services: [aService({ families: ['ipv6'] })], want: { 'default/a': pending('family-mismatch') }, messages: { 'default/a': 'no address available: pool "blue" has no ipv6 addresses' } },
  {
    it: 'names every pool and reports exhaustion over a family or selection mismatch',
    pools: [aPool({ name: 'blue', priority: 1, cidrs: ['192.0.2.0/32'] }), aPool({ name: 'green', cidrs: ['2001:db8::/64'] }), aPool({ name: 'red', namespaces: ['team-a'], cidrs: ['198.51.100.0/24'] })],
    services: [aService({ name: 'old', created: at(1) }), aService({ name: 'new', created: at(2) })],
    want: { 'default/old': allocated('blue', '192.0.2.0'), 'default/new': pending('pool-exhausted') },
    messages: { 'default/new': 'no address available: pool "blue" (priority 1) exhausted for ipv4; pool "green" has no ipv4 addresses; pool "red" is for namespaces [team-a]' },
  },

  // address-pool annotation
  { it: 'allocates from the annotated pool even with autoAssign disabled', pools: [aPool({ name: 'a', cidrs: ['192.0.2.0/30'] }), aPool({ name: 'manual', autoAssign: false, cidrs: ['192.0.2.4/30'] })], services: [aService({ addressPool: 'manual' })], want: { 'default/a': allocated('manual', '192.0.2.4') } },
  { it: 'reports pool-not-found for an unknown annotated pool', pools: [aPool()], services: [aService({ addressPool: 'nope' })], want: { 'default/a': pending('pool-not-found') } },
  { it: 'reports no-matching-pool when the annotated pool excludes the namespace', pools: [aPool({ namespaces: ['team-a'] })], services: [aService({ addressPool: 'blue' })], want: { 'default/a': pending('no-matching-pool') } },
  { it: 'reports pool-exhausted when the annotated pool is full', pools: [aPool({ cidrs: ['192.0.2.0/32'] })], services: [aService({ name: 'a', created: at(1) }), aService({ name: 'b', created: at(2), addressPool: 'blue' })], want: { 'default/a': allocated('blue', '192.0.2.0'), 'default/b': pending('pool-exhausted') } },

  // Requested IPs
  { it: 'gives a requested IP from a pool with autoAssign disabled', pools: [aPool({ autoAssign: false })], services: [aService({ requestedIPs: ['192.0.2.9'] })], want: { 'default/a': allocated('blue', '192.0.2.9') } },
  { it: 'rejects a requested IP outside every pool', pools: [aPool()], services: [aService({ requestedIPs: ['203.0.113.1'] })], want: { 'default/a': pending('ip-not-in-any-pool') } },
  { it: 'rejects a requested .0 address of a pool avoiding buggy IPs', pools: [aPool({ avoidBuggyIPs: true })], services: [aService({ requestedIPs: ['192.0.2.0'] })], want: { 'default/a': pending('ip-not-in-any-pool') } },
  {
    it: 'rejects two requested IPs from different pools',
    pools: [aPool({ name: 'a', cidrs: ['192.0.2.0/24'] }), aPool({ name: 'b', cidrs: ['2001:db8::/64'] })],
    services: [aService({ families: ['ipv4', 'ipv6'], ipFamilyPolicy: 'RequireDualStack', requestedIPs: ['192.0.2.1', '2001:db8::1'] })],
    want: { 'default/a': pending('ips-in-different-pools') },
  },
  { it: 'rejects a requested IP outside the annotated pool', pools: [aPool({ name: 'a', cidrs: ['192.0.2.0/24'] }), aPool({ name: 'b', cidrs: ['198.51.100.0/24'] })], services: [aService({ requestedIPs: ['192.0.2.1'], addressPool: 'b' })], want: { 'default/a': pending('ip-not-in-requested-pool') } },
  { it: 'rejects a requested IP of a pool that excludes the namespace', pools: [aPool({ namespaces: ['team-a'] })], services: [aService({ requestedIPs: ['192.0.2.1'] })], want: { 'default/a': pending('no-matching-pool') } },
  { it: 'rejects a requested IP of another family', pools: [aPool({ cidrs: v4v6 })], services: [aService({ requestedIPs: ['2001:db8::1'] })], want: { 'default/a': pending('family-mismatch') } },
  { it: 'rejects a single requested IP for a RequireDualStack Service', pools: [aPool({ cidrs: v4v6 })], services: [aService({ families: ['ipv4', 'ipv6'], ipFamilyPolicy: 'RequireDualStack', requestedIPs: ['192.0.2.1'] })], want: { 'default/a': pending('family-mismatch') } },
  {
    it: 'reports ip-in-use when the requester has no sharing key',
    pools: [aPool()],
    services: [aService({ name: 'a', created: at(1), requestedIPs: ['192.0.2.5'] }), aService({ name: 'b', created: at(2), requestedIPs: ['192.0.2.5'] })],
    want: { 'default/a': allocated('blue', '192.0.2.5'), 'default/b': pending('ip-in-use') },
    messages: { 'default/b': '192.0.2.5 is held by default/a and this Service has no allow-shared-ip key' },
  },
  {
    it: 'reports sharing-conflict when the holder has another sharing key',
    pools: [aPool()],
    services: [aService({ name: 'a', created: at(1), requestedIPs: ['192.0.2.5'], sharingKey: 'x' }), aService({ name: 'b', created: at(2), requestedIPs: ['192.0.2.5'], sharingKey: 'y', ports: ['TCP/443'] })],
    want: { 'default/a': allocated('blue', '192.0.2.5'), 'default/b': pending('sharing-conflict') },
  },
  {
    it: 'shares a requested IP with a compatible holder',
    pools: [aPool()],
    services: [aService({ name: 'a', created: at(1), requestedIPs: ['192.0.2.5'], sharingKey: 'k' }), aService({ name: 'b', created: at(2), requestedIPs: ['192.0.2.5'], sharingKey: 'k', ports: ['TCP/443'] })],
    want: { 'default/a': allocated('blue', '192.0.2.5'), 'default/b': allocated('blue', '192.0.2.5') },
  },
  {
    it: 'places requested IPs before automatic allocation, even for younger Services',
    pools: [aPool()],
    services: [aService({ name: 'auto', created: at(1) }), aService({ name: 'asks', created: at(2), requestedIPs: ['192.0.2.0'] })],
    want: { 'default/auto': allocated('blue', '192.0.2.1'), 'default/asks': allocated('blue', '192.0.2.0') },
  },

  // Sharing during automatic allocation
  {
    it: 'packs Services with the same sharing key onto the lowest address',
    pools: [aPool()],
    services: [aService({ name: 'a', created: at(1), sharingKey: 'k' }), aService({ name: 'b', created: at(2), sharingKey: 'k', ports: ['TCP/443'] })],
    want: { 'default/a': allocated('blue', '192.0.2.0'), 'default/b': allocated('blue', '192.0.2.0') },
  },
  {
    it: 'does not share when ports overlap',
    pools: [aPool()],
    services: [aService({ name: 'a', created: at(1), sharingKey: 'k' }), aService({ name: 'b', created: at(2), sharingKey: 'k' })],
    want: { 'default/a': allocated('blue', '192.0.2.0'), 'default/b': allocated('blue', '192.0.2.1') },
  },
  {
    it: 'shares TCP and UDP on the same port number',
    pools: [aPool()],
    services: [aService({ name: 'a', created: at(1), sharingKey: 'k', ports: ['TCP/53'] }), aService({ name: 'b', created: at(2), sharingKey: 'k', ports: ['UDP/53'] })],
    want: { 'default/a': allocated('blue', '192.0.2.0'), 'default/b': allocated('blue', '192.0.2.0') },
  },
  {
    it: 'does not share when the backend keys differ',
    pools: [aPool()],
    services: [aService({ name: 'a', created: at(1), sharingKey: 'k', localSelector: { app: 'x' } }), aService({ name: 'b', created: at(2), sharingKey: 'k', ports: ['TCP/443'] })],
    want: { 'default/a': allocated('blue', '192.0.2.0'), 'default/b': allocated('blue', '192.0.2.1') },
  },
  {
    it: 'does not share when the sharing keys differ or are empty',
    pools: [aPool()],
    services: [aService({ name: 'a', created: at(1), sharingKey: 'k' }), aService({ name: 'b', created: at(2), sharingKey: 'j', ports: ['TCP/443'] }), aService({ name: 'c', created: at(3), sharingKey: '', ports: ['TCP/8080'] })],
    want: { 'default/a': allocated('blue', '192.0.2.0'), 'default/b': allocated('blue', '192.0.2.1'), 'default/c': allocated('blue', '192.0.2.2') },
  },
  {
    it: 'takes a lower free address over a higher shareable one',
    pools: [aPool()],
    services: [aService({ name: 'a', created: at(1), sharingKey: 'k', ingressIPs: ['192.0.2.3'] }), aService({ name: 'b', created: at(2), sharingKey: 'k', ports: ['TCP/443'] })],
    want: { 'default/a': allocated('blue', '192.0.2.3'), 'default/b': allocated('blue', '192.0.2.0') },
  },

  // Dual stack
  {
    it: 'gives a RequireDualStack Service both families from the first dual pool',
    pools: [aPool({ name: 'a', cidrs: ['198.51.100.0/30'] }), aPool({ name: 'b', cidrs: v4v6 })],
    services: [aService({ families: ['ipv4', 'ipv6'], ipFamilyPolicy: 'RequireDualStack' })],
    want: { 'default/a': allocated('b', '192.0.2.0', '2001:db8::') },
  },
  { it: 'reports family-mismatch for RequireDualStack without a dual pool', pools: [aPool({ name: 'a', cidrs: ['198.51.100.0/30'] }), aPool({ name: 'b', cidrs: ['2001:db8::/64'] })], services: [aService({ families: ['ipv4', 'ipv6'], ipFamilyPolicy: 'RequireDualStack' })], want: { 'default/a': pending('family-mismatch') } },
  { it: 'orders a PreferDualStack Service\'s IPs primary family first', pools: [aPool({ cidrs: v4v6 })], services: [aService({ families: ['ipv6', 'ipv4'], ipFamilyPolicy: 'PreferDualStack' })], want: { 'default/a': allocated('blue', '2001:db8::', '192.0.2.0') } },
  {
    it: 'gives PreferDualStack the primary family from a single-family pool when no dual pool fits',
    pools: [aPool({ name: 'a6', cidrs: ['2001:db8::/64'] }), aPool({ name: 'b4', cidrs: ['198.51.100.0/30'] })],
    services: [aService({ families: ['ipv4', 'ipv6'], ipFamilyPolicy: 'PreferDualStack' })],
    want: { 'default/a': allocated('b4', '198.51.100.0') },
  },
  { it: 'gives PreferDualStack the secondary family when only that exists', pools: [aPool({ name: 'a6', cidrs: ['2001:db8::/64'] })], services: [aService({ families: ['ipv4', 'ipv6'], ipFamilyPolicy: 'PreferDualStack' })], want: { 'default/a': allocated('a6', '2001:db8::') } },
  {
    it: 'gives PreferDualStack one family when the pool is exhausted for the other',
    pools: [aPool({ cidrs: ['192.0.2.0/30', '2001:db8::/128'] })],
    services: [aService({ name: 'a', created: at(1), families: ['ipv6'] }), aService({ name: 'b', created: at(2), families: ['ipv4', 'ipv6'], ipFamilyPolicy: 'PreferDualStack' })],
    want: { 'default/a': allocated('blue', '2001:db8::'), 'default/b': allocated('blue', '192.0.2.0') },
  },
  { it: 'gives a SingleStack Service with two cluster families its primary family only', pools: [aPool({ cidrs: v4v6 })], services: [aService({ families: ['ipv6', 'ipv4'], ipFamilyPolicy: 'SingleStack' })], want: { 'default/a': allocated('blue', '2001:db8::') } },

  // Restart: existing ingress IPs
  { it: 'keeps an existing IP although a lower one is free', pools: [aPool()], services: [aService({ ingressIPs: ['192.0.2.9'] })], want: { 'default/a': allocated('blue', '192.0.2.9') } },
  { it: 'keeps an existing IP of a pool with autoAssign disabled', pools: [aPool({ autoAssign: false })], services: [aService({ ingressIPs: ['192.0.2.9'] })], want: { 'default/a': allocated('blue', '192.0.2.9') } },
  {
    it: 'lets the oldest Service win a conflicting claim and moves the other',
    pools: [aPool()],
    services: [aService({ name: 'a', created: at(2), ingressIPs: ['192.0.2.9'] }), aService({ name: 'b', created: at(1), ingressIPs: ['192.0.2.9'] })],
    want: { 'default/a': allocated('blue', '192.0.2.0'), 'default/b': allocated('blue', '192.0.2.9') },
  },
  {
    it: 'lets the lower key win a conflicting claim between equally old Services',
    pools: [aPool()],
    services: [aService({ name: 'b', ingressIPs: ['192.0.2.9'] }), aService({ name: 'a', ingressIPs: ['192.0.2.9'] })],
    want: { 'default/a': allocated('blue', '192.0.2.9'), 'default/b': allocated('blue', '192.0.2.0') },
  },
  {
    it: 'orders Services without a creationTimestamp last',
    pools: [aPool({ cidrs: ['192.0.2.0/31'] })],
    services: [aService({ name: 'a', created: null }), aService({ name: 'b', created: at(5) })],
    want: { 'default/a': allocated('blue', '192.0.2.1'), 'default/b': allocated('blue', '192.0.2.0') },
  },
  { it: 'moves an existing IP that the pool no longer admits for the namespace', pools: [aPool({ name: 'red', namespaces: ['team-a'], cidrs: ['192.0.2.0/24'] }), aPool({ name: 'any', cidrs: ['198.51.100.0/24'] })], services: [aService({ ingressIPs: ['192.0.2.9'] })], want: { 'default/a': allocated('any', '198.51.100.0') } },
  { it: 'moves an existing IP outside the annotated pool', pools: [aPool({ name: 'a', cidrs: ['192.0.2.0/24'] }), aPool({ name: 'b', cidrs: ['198.51.100.0/24'] })], services: [aService({ ingressIPs: ['192.0.2.9'], addressPool: 'b' })], want: { 'default/a': allocated('b', '198.51.100.0') } },
  { it: 'moves an existing IP to a newly requested one', pools: [aPool()], services: [aService({ ingressIPs: ['192.0.2.9'], requestedIPs: ['192.0.2.20'] })], want: { 'default/a': allocated('blue', '192.0.2.20') } },
  { it: 'moves an existing .255 IP once the pool avoids buggy IPs', pools: [aPool({ avoidBuggyIPs: true })], services: [aService({ ingressIPs: ['192.0.2.255'] })], want: { 'default/a': allocated('blue', '192.0.2.1') } },
  { it: 'moves an existing IP of the wrong family', pools: [aPool({ cidrs: v4v6 })], services: [aService({ ingressIPs: ['2001:db8::3'] })], want: { 'default/a': allocated('blue', '192.0.2.0') } },
  {
    it: 'adds the missing family to a PreferDualStack Service from its own pool',
    pools: [aPool({ name: 'a', cidrs: ['192.0.2.0/30', '2001:db8::/126'] }), aPool({ name: 'b', cidrs: ['198.51.100.0/30'] })],
    services: [aService({ families: ['ipv4', 'ipv6'], ipFamilyPolicy: 'PreferDualStack', ingressIPs: ['192.0.2.2'] })],
    want: { 'default/a': allocated('a', '192.0.2.2', '2001:db8::') },
  },
  {
    it: 'does not move a PreferDualStack Service to a dual pool',
    pools: [aPool({ name: 'a', cidrs: ['198.51.100.0/30'] }), aPool({ name: 'b', cidrs: v4v6 })],
    services: [aService({ families: ['ipv4', 'ipv6'], ipFamilyPolicy: 'PreferDualStack', ingressIPs: ['198.51.100.1'] })],
    want: { 'default/a': allocated('a', '198.51.100.1') },
  },
];

describe('planAllocations', () => {
  for (const row of rows) {
    it(row.it, () => {
      const plan = planAllocations(row.pools, row.services, row.options ?? { loadBalancerClass: null });
      const got = Object.fromEntries(plan.services.map((d) => [d.key, outcome(d)]));
      expect(got).to.deep.equal(row.want);
      for (const [key, message] of Object.entries(row.messages ?? {})) {
        expect(plan.services.find((d) => d.key === key)?.message).to.equal(message);
      }
    });
  }

  it('returns decisions sorted by key and pools sorted by name', () => {
    const plan = planAllocations([aPool({ name: 'z', cidrs: ['192.0.2.0/24'] }), aPool({ name: 'a', cidrs: ['198.51.100.0/24'] })], [aService({ name: 'b' }), aService({ name: 'a' })], { loadBalancerClass: null });
    expect(plan.services.map((d) => d.key)).to.deep.equal(['default/a', 'default/b']);
    expect(plan.pools.map((p) => p.name)).to.deep.equal(['a', 'z']);
  });
});
