// Properties of rendering over random snapshots: same input, same bytes, whatever the order of
// peers, advertisements, BFD profiles, Services and Nodes; every line clean.

import { expect } from 'chai';
import fc from 'fast-check';
import { aBFDProfile, aNode, aPeer, anAdvertisement, aSnapshot, matchLabels, type ServiceRow, type SnapshotSpec } from './builders.ts';
import type { FrrLogLevel } from './log-level.ts';
import { renderNode } from './render.ts';

const peerArb = (i: number) =>
  fc.record({
    ebgpMultiHop: fc.boolean(),
    gracefulRestart: fc.boolean(),
    dualStackAddressFamily: fc.boolean(),
    bfdProfile: fc.constantFrom(null, 'fast'),
    vrf: fc.constantFrom(null, 'red'),
    remoteASN: fc.constantFrom<number | 'internal' | 'external'>(64501, 64500, 'external', 'internal'),
    rack: fc.constantFrom('a', 'b', null),
  }).map((p) =>
    aPeer({
      name: `peer-${i}`,
      address: i % 2 === 0 ? `192.0.2.${i + 1}` : `2001:db8::${i + 1}`,
      routerID: '192.0.2.100',
      ebgpMultiHop: p.ebgpMultiHop && p.remoteASN !== 64500,
      gracefulRestart: p.gracefulRestart,
      dualStackAddressFamily: p.dualStackAddressFamily,
      bfdProfile: p.bfdProfile,
      vrf: p.vrf,
      remoteASN: p.remoteASN,
      nodeSelectors: p.rack === null ? [] : [matchLabels({ rack: p.rack })],
    }),
  );

const adArb = (i: number) =>
  fc.record({
    localPref: fc.constantFrom(null, null, 100),
    communities: fc.subarray(['65000:1', '65000:2', '1:1', 'large:1:2:3', 'large:4:5:6']),
    peers: fc.subarray(['peer-0', 'peer-1', 'peer-2', 'peer-3']),
    aggregationLength: fc.constantFrom(32, 24),
    app: fc.constantFrom(null, 'web', 'api'),
  }).map((a) =>
    anAdvertisement({
      name: `ad-${i}`,
      localPref: a.localPref,
      communities: a.communities,
      peers: a.peers,
      aggregationLength: a.app === null ? a.aggregationLength : 32,
      serviceSelectors: a.app === null ? [] : [matchLabels({ app: a.app })],
    }),
  );

const serviceArb = (i: number) =>
  fc.record({
    v4: fc.integer({ min: 1, max: 40 }),
    v6: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
    app: fc.constantFrom('web', 'api'),
    local: fc.boolean(),
    endpointNode: fc.constantFrom('node-1', 'node-2', null),
  }).map((s): ServiceRow => ({
    name: `svc-${i}`,
    labels: { app: s.app },
    families: s.v6 === undefined ? ['ipv4'] : ['ipv4', 'ipv6'],
    ips: s.v6 === undefined ? [`203.0.113.${s.v4}`] : [`203.0.113.${s.v4}`, `2001:db8:100::${s.v6}`],
    ...(s.local ? { localSelector: { app: s.app } } : {}),
    endpoints: [{ node: s.endpointNode }],
  }));

const indexed = <T>(make: (i: number) => fc.Arbitrary<T>, max: number, min = 0) =>
  fc.integer({ min, max }).chain((n) => (n === 0 ? fc.constant([] as T[]) : fc.tuple(...Array.from({ length: n }, (_, i) => make(i)))));

const specArb: fc.Arbitrary<SnapshotSpec> = fc.record({
  peers: indexed(peerArb, 4, 1),
  ads: indexed(adArb, 3, 1),
  services: indexed(serviceArb, 6, 1),
  bfdProfiles: fc.constant([aBFDProfile({ name: 'fast', receiveIntervalMs: 100 }), aBFDProfile({ name: 'slow', detectMultiplier: 9 })]),
  nodes: fc.constant([aNode('node-1', { rack: 'a' }), aNode('node-2', { rack: 'b' })]),
});

/** The same lists, reordered by `keys`. */
function shuffled(spec: SnapshotSpec, keys: readonly number[]): SnapshotSpec {
  const mix = <T>(list: readonly T[] | undefined): T[] =>
    (list ?? []).map((item, i) => ({ item, k: keys[i % Math.max(1, keys.length)] ?? 0, i })).sort((a, b) => a.k - b.k || b.i - a.i).map((x) => x.item);
  return { ...spec, peers: mix(spec.peers), ads: mix(spec.ads), services: mix(spec.services), bfdProfiles: mix(spec.bfdProfiles), nodes: mix(spec.nodes) };
}

const levels: readonly FrrLogLevel[] = ['informational', 'debugging'];
const renderFor = (spec: SnapshotSpec, level: FrrLogLevel) =>
  renderNode(aSnapshot(spec), 'node-1', { hostname: 'node-1', logLevel: level, secretPasswords: new Map(), extraConfig: { source: 'x', text: '! extra' } });

describe('rendering: properties', () => {
  it('gives the same bytes for the same input, whatever the order of every list', () => {
    fc.assert(
      fc.property(specArb, fc.array(fc.integer(), { minLength: 1, maxLength: 12 }), fc.constantFrom(...levels), (spec, keys, level) => {
        const a = renderFor(spec, level);
        expect(renderFor(spec, level)).to.deep.equal(a);
        expect(renderFor(shuffled(spec, keys), level)).to.deep.equal(a);
      }),
      { numRuns: 150 },
    );
  });

  it('prints no trailing whitespace, no control character, and ends with one newline', () => {
    fc.assert(
      fc.property(specArb, fc.constantFrom(...levels), (spec, level) => {
        const r = renderFor(spec, level);
        if (!r.ok) return;
        expect(r.value.endsWith('\n') && !r.value.endsWith('\n\n')).to.equal(true);
        for (const line of r.value.slice(0, -1).split('\n')) {
          expect(line, JSON.stringify(line)).to.not.match(/\s$/);
          expect(line, JSON.stringify(line)).to.not.match(/[\u0000-\u001f\u007f-\u009f]/);
          expect(line).to.not.equal('');
        }
      }),
      { numRuns: 150 },
    );
  });
});
