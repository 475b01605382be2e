// Rendering one node again and again (NodeRenderer: announce cache, text patches): every render
// equals a fresh renderNode, whatever changed since the last one.

import { expect } from 'chai';
import fc from 'fast-check';
import type { ServiceKey } from '../../api/model.ts';
import type { IP } from '../../net/ip.ts';
import { aNode, aPeer, aService, anAdvertisement, anEndpointSlice, aConfig, defaultPool, ip, matchLabels, type ServiceRow } from './builders.ts';
import type { BGPSnapshot } from './announce.ts';
import { NodeRenderer, renderNode, type RenderOptions } from './render.ts';

const options: RenderOptions = { hostname: 'node-1', logLevel: 'informational', secretPasswords: new Map(), extraConfig: null };

const peers = [
  aPeer({ name: 'peer-0', address: '192.0.2.1', routerID: '192.0.2.100' }),
  aPeer({ name: 'peer-1', address: '2001:db8::2', routerID: '192.0.2.100', dualStackAddressFamily: true }),
  aPeer({ name: 'peer-2', address: '192.0.2.3', routerID: '192.0.2.100', vrf: 'red', nodeSelectors: [matchLabels({ rack: 'a' })] }),
];
const ads = [
  anAdvertisement({ name: 'all' }),
  anAdvertisement({ name: 'web', communities: ['65000:1'], peers: ['peer-0'], serviceSelectors: [matchLabels({ app: 'web' })] }),
  anAdvertisement({ name: 'agg', aggregationLength: 24, peers: ['peer-2'], serviceSelectors: [matchLabels({ app: 'api' })] }),
];
const config = aConfig({ pools: [defaultPool], peers, ads });
const nodes = [aNode('node-1', { rack: 'a' })];

/** A pool of Services (fixed objects, as parseInput hands out unchanged ones) with their slices. */
const rows: ServiceRow[] = Array.from({ length: 12 }, (_, i) => ({
  name: `svc-${String(i).padStart(2, '0')}`,
  labels: { app: ['web', 'api', 'db'][i % 3] ?? 'db' },
  ips: [],
  ...(i % 4 === 3 ? { localSelector: { app: 'db' } } : {}),
}));
const services = rows.map((row) => aService(row));
const slices = services.map((svc, i) => anEndpointSlice(svc, [{ node: i % 5 === 4 ? 'node-2' : 'node-1' }]));
/** Each Service's other slice: its endpoint moved to the other node (ETP Local Services stop or start announcing). */
const movedSlices = services.map((svc, i) => anEndpointSlice(svc, [{ node: i % 5 === 4 ? 'node-1' : 'node-2' }]));

const addresses = ['203.0.113.1', '203.0.113.2', '203.0.113.7', '203.0.113.200', '2001:db8:100::1', '2001:db8:100::9'];

/** One round: which Services exist and which addresses each holds (a leading "moved" marks the other slice). */
type Round = readonly (readonly [number, readonly string[]])[];
const holding = fc.tuple(fc.boolean(), fc.subarray(addresses, { maxLength: 2 })).map(([moved, ips]) => (moved ? ['moved', ...ips] : ips));
/** All Services first, then one change per round: a Service added, removed, or given other addresses. */
const roundsArb: fc.Arbitrary<Round[]> = fc
  .tuple(fc.array(holding, { minLength: rows.length, maxLength: rows.length }), fc.array(fc.tuple(fc.integer({ min: 0, max: rows.length - 1 }), fc.option(holding)), { maxLength: 12 }))
  .map(([first, changes]) => {
    let current = new Map(first.map((ips, i) => [i, ips] as const));
    const rounds: Round[] = [[...current]];
    for (const [i, ips] of changes) {
      current = new Map(current);
      if (ips === null) current.delete(i);
      else current.set(i, ips);
      rounds.push([...current]);
    }
    return rounds;
  });

function snapshotOf(round: Round, held: Map<number, readonly IP[]>): BGPSnapshot {
  const present = new Map(round.map(([i, ips]) => [i, ips]));
  const chosen = [...present.keys()].sort((a, b) => a - b);
  // Unchanged addresses keep their array, as the state file cache hands them out.
  const allocations = new Map<ServiceKey, readonly IP[]>();
  for (const i of chosen) {
    const ips = (present.get(i) ?? []).filter((x) => x !== 'moved').map(ip);
    const before = held.get(i);
    const same = before !== undefined && before.length === ips.length && before.every((x, j) => x === ips[j]);
    const kept = same ? before : ips;
    held.set(i, kept);
    const svc = services[i];
    if (svc !== undefined && kept.length > 0) allocations.set(svc.key, kept);
  }
  return {
    config,
    services: chosen.flatMap((i) => services[i] ?? []),
    allocations,
    nodes,
    endpointSlices: chosen.flatMap((i) => ((present.get(i) ?? []).includes('moved') ? movedSlices[i] : slices[i]) ?? []),
    options: { ignoreExcludeLB: false },
  };
}

describe('NodeRenderer', () => {
  it('renders as renderNode does, round after round, patching when only addresses changed', () => {
    fc.assert(
      fc.property(roundsArb, (rounds) => {
        const renderer = new NodeRenderer();
        const held = new Map<number, readonly IP[]>();
        for (const round of rounds) {
          const snap = snapshotOf(round, held);
          const got = renderer.render({ ...options, config: snap.config, node: renderer.announce(snap, 'node-1') });
          expect(got).to.deep.equal(renderNode(snap, 'node-1', options));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('adds only the network line of a new Service IP, in each router that sends it', () => {
    const renderer = new NodeRenderer();
    const held = new Map<number, readonly IP[]>();
    const before = renderer.render({ ...options, config, node: renderer.announce(snapshotOf([[0, ['203.0.113.1']], [3, ['203.0.113.2']]], held), 'node-1') });
    const after = renderer.render({ ...options, config, node: renderer.announce(snapshotOf([[0, ['203.0.113.1']], [3, ['203.0.113.2']], [6, ['203.0.113.7']]], held), 'node-1') });
    const lines = (r: typeof before) => (r.ok ? r.value.split('\n') : []);
    expect(lines(after).filter((l) => !lines(before).includes(l))).to.deep.equal([
      '  network 203.0.113.7/32 route-map barelb-tag-3077670576',
      '  network 203.0.113.7/32 route-map barelb-tag-3488629777',
    ]);
    expect(lines(before).filter((l) => !lines(after).includes(l))).to.deep.equal([]);
  });
});
