import { expect } from 'chai';
import { batchLines } from './batch.ts';
import { planFromText } from './plan.ts';
import type { ApplyPlan } from './plan-model.ts';
import { metallbConfig } from './testing.ts';
import type { FixtureAd, FixtureOptions, FixturePeer } from './testing.ts';

const UPSTREAM: FixturePeer = { address: '192.0.2.1', asn: 64500, timers: [1, 3], password: 's3cret' };
const SECOND: FixturePeer = { address: '192.0.2.2', asn: 64501 };
const A: FixtureAd = { prefix: '203.0.113.10/32' };
const B: FixtureAd = { prefix: '203.0.113.11/32' };

const node = (o: Partial<FixtureOptions> = {}): string => metallbConfig({ routerId: '192.0.2.11', peers: [UPSTREAM], ads: [A], ...o });

interface Expected {
  readonly batch: readonly string[];
  readonly cls: ApplyPlan['cls'];
  readonly target?: ApplyPlan['target'];
  readonly softClears?: readonly string[];
}

const summary = (plan: ApplyPlan): Expected => ({
  batch: batchLines(plan.steps).map((l) => l.trim()),
  cls: plan.cls,
  target: plan.target,
  softClears: plan.softClears,
});

const ROUTER = 'router bgp 64512';
const AF = 'address-family ipv4 unicast';
const inFamily = (...commands: string[]): string[] => [ROUTER, AF, ...commands, 'exit-address-family', 'exit'];
const inRouter = (...commands: string[]): string[] => [ROUTER, ...commands, 'exit'];

const rows: readonly { name: string; old: string; next: string; expected: Expected }[] = [
  {
    name: 'plans nothing for the same config',
    old: node(), next: node(),
    expected: { batch: [], cls: 'none', target: 'all', softClears: [] },
  },
  {
    name: 'adds a prefix with one prefix-list entry and one network, to bgpd alone and without a soft clear',
    old: node(), next: node({ ads: [A, B] }),
    expected: {
      batch: ['ip prefix-list 192.0.2.1-allowed-ipv4 seq 2 permit 203.0.113.11/32', ...inFamily('network 203.0.113.11/32')],
      cls: 'incremental', target: 'bgpd', softClears: [],
    },
  },
  {
    name: 'replaces the deny-any entry in place when the first prefix arrives',
    old: node({ ads: [] }), next: node(),
    expected: {
      batch: ['ip prefix-list 192.0.2.1-allowed-ipv4 seq 1 permit 203.0.113.10/32', ...inFamily('network 203.0.113.10/32')],
      cls: 'incremental', target: 'all', softClears: [],
    },
  },
  {
    name: 'withdraws the network before deleting its prefix-list entry',
    old: node({ ads: [A, B] }), next: node(),
    expected: {
      batch: [...inFamily('no network 203.0.113.11/32'), 'no ip prefix-list 192.0.2.1-allowed-ipv4 seq 2 permit 203.0.113.11/32'],
      cls: 'incremental', target: 'all', softClears: [],
    },
  },
  {
    name: 'renumbers the remaining entries without a soft clear when the first prefix goes',
    old: node({ ads: [A, B] }), next: node({ ads: [B] }),
    expected: {
      batch: ['ip prefix-list 192.0.2.1-allowed-ipv4 seq 1 permit 203.0.113.11/32', ...inFamily('no network 203.0.113.10/32'),
        'no ip prefix-list 192.0.2.1-allowed-ipv4 seq 2 permit 203.0.113.11/32'],
      cls: 'incremental', target: 'all', softClears: [],
    },
  },
  {
    name: 'soft-clears the upstream when an advertised prefix gains a community',
    old: node(), next: node({ ads: [{ ...A, communities: ['64500:100'] }] }),
    expected: {
      batch: [
        'ip prefix-list 192.0.2.1-64500:100-ipv4-community-prefixes seq 1 permit 203.0.113.10/32',
        // Entry 1 takes over the community (its match line is overwritten), 2 and 3 shift down.
        'route-map 192.0.2.1-out permit 1', 'match ip address prefix-list 192.0.2.1-64500:100-ipv4-community-prefixes', 'set community 64500:100 additive', 'on-match next', 'exit',
        'route-map 192.0.2.1-out permit 2', 'no match ipv6 address prefix-list 192.0.2.1-allowed-ipv6', 'match ip address prefix-list 192.0.2.1-allowed-ipv4', 'exit',
        'route-map 192.0.2.1-out permit 3', 'match ipv6 address prefix-list 192.0.2.1-allowed-ipv6', 'exit',
      ],
      cls: 'incremental', target: 'all', softClears: ['clear bgp ipv4 unicast 192.0.2.1 soft out'],
    },
  },
  {
    name: 'changes a local preference with one set line and a soft clear',
    old: node({ ads: [{ ...A, localPref: 100 }] }), next: node({ ads: [{ ...A, localPref: 200 }] }),
    expected: {
      batch: [
        'ip prefix-list 192.0.2.1-200-ipv4-localpref-prefixes seq 1 permit 203.0.113.10/32',
        'route-map 192.0.2.1-out permit 1', 'match ip address prefix-list 192.0.2.1-200-ipv4-localpref-prefixes', 'set local-preference 200', 'exit',
        'no ip prefix-list 192.0.2.1-100-ipv4-localpref-prefixes seq 1 permit 203.0.113.10/32',
      ],
      cls: 'incremental', target: 'all', softClears: ['clear bgp ipv4 unicast 192.0.2.1 soft out'],
    },
  },
  {
    name: 'changes a password with the new line alone, and says it resets the session',
    old: node(), next: node({ peers: [{ ...UPSTREAM, password: 'other' }] }),
    expected: { batch: inRouter('neighbor 192.0.2.1 password other'), cls: 'resets-session', target: 'bgpd', softClears: [] },
  },
  {
    name: 'changes timers live',
    old: node(), next: node({ peers: [{ ...UPSTREAM, timers: [3, 9] }] }),
    expected: { batch: inRouter('neighbor 192.0.2.1 timers 3 9'), cls: 'incremental', target: 'bgpd', softClears: [] },
  },
  {
    name: 'turns multihop on as a resetting change',
    old: node(), next: node({ peers: [{ ...UPSTREAM, multihop: true }] }),
    expected: { batch: inRouter('neighbor 192.0.2.1 ebgp-multihop'), cls: 'resets-session', target: 'bgpd', softClears: [] },
  },
  {
    name: 'takes the full-reload path for a router-id change',
    old: node(), next: node({ routerId: '192.0.2.99' }),
    expected: { batch: inRouter('bgp router-id 192.0.2.99'), cls: 'full-reload', target: 'bgpd', softClears: [] },
  },
];

describe('planApply', () => {
  for (const row of rows) {
    it(row.name, () => {
      expect(summary(planFromText(row.old, row.next))).to.deep.equal(row.expected);
    });
  }
});

describe('planApply: neighbors, instances and BFD', () => {
  it('adds a neighbor with its policy first, remote-as before its options, and activation in the same batch', () => {
    const plan = planFromText(node(), node({ peers: [UPSTREAM, SECOND] }));
    const batch = summary(plan).batch;
    expect(plan.cls).to.equal('incremental');
    expect(plan.softClears).to.deep.equal([]);
    expect(batch.indexOf('route-map 192.0.2.2-in deny 20')).to.be.lessThan(batch.indexOf('neighbor 192.0.2.2 remote-as 64501'));
    expect(batch.slice(batch.indexOf(ROUTER))).to.deep.equal([
      ...inRouter('neighbor 192.0.2.2 remote-as 64501'),
      ...inFamily('neighbor 192.0.2.2 activate', 'neighbor 192.0.2.2 route-map 192.0.2.2-in in', 'neighbor 192.0.2.2 route-map 192.0.2.2-out out'),
    ]);
  });

  it('removes a neighbor with one `no neighbor`, then its policy', () => {
    const plan = planFromText(node({ peers: [UPSTREAM, SECOND] }), node());
    expect(summary(plan).batch).to.deep.equal([
      ...inRouter('no neighbor 192.0.2.2'),
      'no route-map 192.0.2.2-in deny 20',
      'no route-map 192.0.2.2-out permit 1',
      'no route-map 192.0.2.2-out permit 2',
      'no ipv6 prefix-list 192.0.2.2-allowed-ipv6 seq 1 deny any',
      'no ip prefix-list 192.0.2.2-allowed-ipv4 seq 1 permit 203.0.113.10/32',
    ]);
    expect(plan.cls).to.equal('incremental');
  });

  it('rebuilds the instance through a full reload when the local ASN changes', () => {
    const plan = planFromText(node(), node({ asn: 64513 }));
    expect(plan.cls).to.equal('full-reload');
    expect(summary(plan).batch.slice(0, 3)).to.deep.equal(['no router bgp 64512', 'router bgp 64513', 'no bgp ebgp-requires-policy']);
  });

  it('creates the whole instance incrementally when FRR has none (start-up, restore)', () => {
    const plan = planFromText('', node());
    expect(plan.cls).to.equal('incremental');
    expect(summary(plan).batch).to.include.members(['router bgp 64512', 'network 203.0.113.10/32', 'route-map 192.0.2.1-in deny 20']);
  });

  it('adds, changes and removes BFD profiles inside the bfd node', () => {
    const old = node({ bfdProfiles: [{ name: 'fast', lines: ['detect-multiplier 3'] }, { name: 'slow', lines: ['receive-interval 1000'] }] });
    const next = node({ bfdProfiles: [{ name: 'fast', lines: ['detect-multiplier 5', 'echo-mode'] }, { name: 'new', lines: [] }] });
    const plan = planFromText(old, next);
    expect(summary(plan).batch).to.deep.equal([
      'bfd', 'profile fast', 'detect-multiplier 5', 'echo-mode', 'exit', 'exit',
      'bfd', 'profile new', 'exit', 'exit',
      'bfd', 'no profile slow', 'exit',
    ]);
    expect(plan.cls).to.equal('incremental');
    expect(plan.target).to.equal('all');
  });

  it('turns BFD off profile first, and says it may reset the session', () => {
    const plan = planFromText(node({ peers: [{ ...UPSTREAM, bfdProfile: 'fast' }] }), node());
    expect(summary(plan).batch).to.deep.equal(inRouter('no neighbor 192.0.2.1 bfd profile fast', 'no neighbor 192.0.2.1 bfd'));
    expect(plan.cls).to.equal('resets-session');
  });

  it('deletes a route-map entry first when it changes from permit to deny', () => {
    const plan = planFromText('route-map a permit 10\n set community 1:1\n', 'route-map a deny 10\n');
    expect(summary(plan).batch).to.deep.equal(['no route-map a permit 10', 'route-map a deny 10', 'exit']);
  });

  it('empties an address-family line by line instead of deleting it', () => {
    const plan = planFromText(node(), node({ ads: [] }));
    expect(summary(plan).batch).to.deep.equal([
      'ip prefix-list 192.0.2.1-allowed-ipv4 seq 1 deny any', ...inFamily('no network 203.0.113.10/32'),
    ]);
  });
});
