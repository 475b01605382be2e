// The parse cache: unchanged objects are not read again, and a cached parse always equals a fresh one.

import { expect } from 'chai';
import fc from 'fast-check';
import { ParseCache, parseInput, PreRead, type ParsedInput } from './input.ts';
import { aBGPAdvertisement, aNamespace, aNode, aPeer, aPool, aService, type Manifest } from './test-builders.ts';
import { keptVersion } from './object-read.ts';
import { canonicalJson } from './wire.ts';

const aSecret = (password: string): Manifest => ({
  apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/basic-auth', metadata: { name: 'bgp', namespace: 'barelb-system' }, stringData: { password },
});
const aSlice = (service: string, node: string): Manifest => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${service}-1`, namespace: 'default', labels: { 'kubernetes.io/service-name': service } },
  endpoints: [{ addresses: ['10.1.0.5'], nodeName: node }],
});

const summary = (p: ParsedInput): string => canonicalJson(p);

describe('ParseCache', () => {
  it('hands back the same readings while the objects are the same', () => {
    const objects = [aPool(), aPeer(), aService({ name: 'a' }), aService({ name: 'b' }), aNode('n1')];
    const cache = new ParseCache();
    const first = parseInput(objects, cache);
    const second = parseInput([...objects].reverse(), cache);
    expect(second.services[0]).to.equal(first.services[0]);
    expect(second.services[1]).to.equal(first.services[1]);
    expect(second.nodes[0]).to.equal(first.nodes[0]);
    expect(second.config).to.equal(first.config);
    expect(summary(second)).to.equal(summary(first));
  });

  it('reads a replaced object again, and only that one', () => {
    const a = aService({ name: 'a' });
    const b = aService({ name: 'b' });
    const pool = aPool();
    const cache = new ParseCache();
    const first = parseInput([pool, a, b], cache);
    const second = parseInput([pool, a, aService({ name: 'b', spec: { loadBalancerIP: '192.0.2.7' } })], cache);
    expect(second.services[0]).to.equal(first.services[0]);
    expect(second.services[1]).to.not.equal(first.services[1]);
    expect(second.services[1]?.requestedIPs).to.deep.equal(['192.0.2.7']);
  });

  it('builds the configuration again when a Node or Namespace changes, since rules read them', () => {
    const objects = [aPool(), aPeer(), aNode('n1'), aNamespace('x')];
    const cache = new ParseCache();
    const first = parseInput(objects, cache);
    const withNode = parseInput([...objects, aNode('n2')], cache);
    expect(withNode.config).to.not.equal(first.config);
    expect(summary(withNode)).to.equal(summary(parseInput([...objects, aNode('n2')])));
    const withNamespace = parseInput([...objects.slice(0, 3), aNamespace('x', { team: 'a' })], cache);
    expect(withNamespace.config).to.not.equal(withNode.config);
  });

  it('reports a rule that depends on Nodes as the Nodes change', () => {
    const ads = [aPool(), aBGPAdvertisement({ spec: { localPref: 100, nodeSelectors: [{ matchLabels: { rack: '1' } }] } }), aBGPAdvertisement({ name: 'bgp-b', spec: { localPref: 200, nodeSelectors: [{ matchLabels: { rack: '2' } }] } })];
    const cache = new ParseCache();
    const fields = (p: ParsedInput) => p.errors.map((e) => `${e.object} ${e.field}`);
    expect(fields(parseInput([...ads, aNode('n1', { rack: '1' })], cache))).to.deep.equal([]);
    // No Nodes at all: any two selections may share a node.
    expect(fields(parseInput(ads, cache))).to.deep.equal(['BGPAdvertisement/barelb-system/bgp-b spec.localPref']);
    expect(fields(parseInput([...ads, aNode('n2', { rack: '2' })], cache))).to.deep.equal([]);
  });

  it('resolves password Secrets on every parse, while the configuration is reused', () => {
    const peer = aPeer({ spec: { passwordSecret: { name: 'bgp', namespace: 'barelb-system' } } });
    const pool = aPool();
    const cache = new ParseCache();
    const without = parseInput([pool, peer], cache);
    expect(without.errors).to.deep.equal([{ object: 'BGPPeer/barelb-system/peer-a', field: 'spec.passwordSecret', message: 'Secret "barelb-system/bgp" does not exist (yet)', transient: true }]);
    const withSecret = parseInput([pool, peer, aSecret('s3cret')], cache);
    expect(withSecret.config).to.equal(without.config);
    expect(withSecret.errors).to.deep.equal([]);
  });

  it('reports the errors of a cached object on every parse', () => {
    const bad = aService({ name: 'a', annotations: { 'metallb.universe.tf/address-pool': 'blue' } });
    const pool = aPool();
    const cache = new ParseCache();
    const first = parseInput([pool, bad, bad], cache);
    const second = parseInput([pool, bad, bad], cache);
    expect(first.errors.map((e) => e.message)).to.deep.equal(['duplicate Service "default/a"; this copy is ignored']);
    expect(first.warnings).to.have.length(2);
    expect(summary(second)).to.equal(summary(first));
  });

  const manifest: fc.Arbitrary<unknown> = fc.oneof(
    fc.record({ name: fc.constantFrom('blue', 'red'), a: fc.constantFrom('192.0.2.0/24', '192.0.2.128/25', 'bad'), ns: fc.constantFrom(undefined, { matchLabels: { team: 'a' } }) })
      .map(({ name, a, ns }) => aPool({ name, spec: { addresses: [a], serviceAllocation: ns === undefined ? undefined : { namespaceSelectors: [ns] } } })),
    // Rules that read Nodes: two peers at one address on one node, LOCAL_PREF conflicts per node.
    fc.record({ name: fc.constantFrom('peer-a', 'peer-b'), ip: fc.constantFrom('198.51.100.1', '198.51.100.2'), secret: fc.boolean(), rack: fc.constantFrom(undefined, '1', '2') })
      .map(({ name, ip, secret, rack }) => aPeer({ name, spec: { peerAddress: ip, passwordSecret: secret ? { name: 'bgp', namespace: 'barelb-system' } : undefined, nodeSelectors: rack === undefined ? undefined : [{ matchLabels: { rack } }] } })),
    { arbitrary: fc.record({ name: fc.constantFrom('bgp', 'bgp-b'), lp: fc.constantFrom(100, 200), rack: fc.constantFrom(undefined, '1', '2') })
      .map(({ name, lp, rack }) => aBGPAdvertisement({ name, spec: { localPref: lp, nodeSelectors: rack === undefined ? undefined : [{ matchLabels: { rack } }] } })), weight: 2 },
    { arbitrary: fc.record({ name: fc.constantFrom('n1', 'n2'), rack: fc.constantFrom('1', '2') }).map(({ name, rack }) => aNode(name, { rack })), weight: 3 },
    fc.constantFrom('a', 'b').map((team) => aNamespace('default', { team })),
    fc.constantFrom('s3cret', 'bad pass').map(aSecret),
    fc.record({ name: fc.constantFrom('web', 'db'), ip: fc.constantFrom(undefined, '192.0.2.5', 'x'), old: fc.boolean() })
      .map(({ name, ip, old }) => aService({ name, spec: { loadBalancerIP: ip }, ...(old ? { annotations: { 'metallb.universe.tf/allow-shared-ip': 'k' } } : {}) })),
    fc.record({ svc: fc.constantFrom('web', 'db'), node: fc.constantFrom('n1', 'n2') }).map(({ svc, node }) => aSlice(svc, node)),
    fc.constantFrom({ apiVersion: 'v1', kind: 'List', items: [aService({ name: 'listed' })] }, { kind: 'Node' }, 'text', null),
    // Plain Services and slices of many names: what a parse may patch in.
    { arbitrary: fc.record({ i: fc.integer({ min: 0, max: 9 }), slice: fc.boolean(), node: fc.constantFrom('n1', 'n2'), old: fc.boolean() })
      .map(({ i, slice, node, old }) => (slice ? aSlice(`s${i}`, node) : aService({ name: `s${i}`, ...(old ? { annotations: { 'metallb.universe.tf/address-pool': 'blue' } } : {}) }))), weight: 6 },
  );
  type Step = { readonly op: 'add'; readonly m: unknown } | { readonly op: 'replace' | 'copy' | 'remove'; readonly at: number } | { readonly op: 'rotate' };
  const step: fc.Arbitrary<Step> = fc.oneof(
    manifest.map((m) => ({ op: 'add' as const, m })),
    fc.record({ op: fc.constantFrom('replace' as const, 'copy' as const, 'remove' as const), at: fc.nat() }),
    fc.constant({ op: 'rotate' as const }),
  );

  it('always equals an uncached parse, across any sequence of edits', () => {
    fc.assert(
      fc.property(fc.array(manifest, { maxLength: 8 }), fc.array(fc.tuple(step, manifest), { maxLength: 12 }), (initial, steps) => {
        const cache = new ParseCache();
        let objects: unknown[] = [...initial];
        expect(summary(parseInput(objects, cache))).to.equal(summary(parseInput(objects)));
        for (const [s, replacement] of steps) {
          const i = s.op === 'add' || s.op === 'rotate' || objects.length === 0 ? 0 : s.at % objects.length;
          if (s.op === 'add') objects = [...objects, s.m];
          else if (s.op === 'rotate') objects = [...objects.slice(1), ...objects.slice(0, 1)];
          else if (objects.length === 0) continue;
          // A copy has the same content as a new object: read again, same result.
          else if (s.op === 'copy') objects = objects.map((o, j) => (j === i ? structuredClone(o) : o));
          else if (s.op === 'replace') objects = objects.map((o, j) => (j === i ? replacement : o));
          else objects = objects.filter((_, j) => j !== i);
          expect(summary(parseInput(objects, cache))).to.equal(summary(parseInput(objects)));
        }
      }),
      { numRuns: 300 },
    );
  });

  // What a store keyed by kind, namespace and name holds: one object per identity.
  const identity = (m: unknown): string | null => {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return null;
    const o = m as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
    return o.kind === 'Service' || o.kind === 'EndpointSlice' ? `${String(o.kind)}/${String(o.metadata?.namespace)}/${String(o.metadata?.name)}` : null;
  };
  const oneOfEach = (list: readonly unknown[]): unknown[] => {
    const seen = new Set<string>();
    return list.filter((m) => {
      const id = identity(m);
      if (id === null) return true;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  };

  it('reads an object read ahead (PreRead) as the object itself, cached or not, across edits', () => {
    fc.assert(
      fc.property(fc.array(manifest, { maxLength: 10 }), fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }), fc.array(manifest, { maxLength: 4 }), (initial, ahead, added) => {
        const objects = oneOfEach(initial);
        const readAhead = (list: readonly unknown[]) => list.map((m, i) => (identity(m) !== null && ahead[i % ahead.length] === true ? new PreRead(m as Manifest) : m));
        const cache = new ParseCache();
        const mixed = readAhead(objects);
        expect(summary(parseInput(mixed, cache))).to.equal(summary(parseInput(objects)));
        expect(summary(parseInput(mixed))).to.equal(summary(parseInput(objects)));
        // Edits patch the last parse: a Service or slice read ahead is removed, new ones come in.
        const next = oneOfEach([...objects.slice(1), ...added]);
        const nextMixed = next.map((m) => mixed[objects.indexOf(m)] ?? readAhead([m])[0]);
        expect(summary(parseInput(nextMixed, cache))).to.equal(summary(parseInput(next)));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a resourceVersion as a number only when that number gives back exactly its text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.nat().map(String), fc.string({ maxLength: 20 }), fc.constantFrom('007', '0', '1e3', '12345678901234567890', ' 5', '9007199254740993')), (rv) => {
        const kept = keptVersion(rv);
        expect(typeof kept === 'number' ? String(kept) : kept, rv).to.equal(rv);
      }),
    );
  });

  it('keeps no body for a Service or EndpointSlice read ahead, and the resourceVersion it was read at', () => {
    const svc = aService({ name: 'web' });
    const read = new PreRead({ ...svc, metadata: { ...(svc['metadata'] as object), resourceVersion: '42' } });
    expect(read.read.body).to.deep.equal({});
    expect(read.version, 'a plain decimal resourceVersion is kept as its number').to.equal(42);
    expect(read.read.item?.kind).to.equal('Service');
    const pool = new PreRead(aPool());
    expect(pool.read.body, "barelb's kinds are read again with the whole configuration").to.not.deep.equal({});
    expect(pool.version).to.equal(null);
  });
});
