import { expect } from 'chai';
import { parseInput } from './input.ts';
import { aBFDProfile, aNode, aPeer, aSecret, expectError, itReportsEach, parseClean, ref } from './test-builders.ts';


const peerA = ref('BGPPeer', 'peer-a');
const peerB = ref('BGPPeer', 'peer-b');

describe('BGPPeer validation', () => {
  itReportsEach([
    { name: 'rejects a missing myASN', objects: [aPeer({ spec: { myASN: undefined } })], object: peerA, field: 'spec.myASN', message: 'missing local ASN' },
    { name: 'rejects myASN 0', objects: [aPeer({ spec: { myASN: 0 } })], object: peerA, field: 'spec.myASN', message: 'missing local ASN' },
    { name: 'rejects myASN above 32 bits', objects: [aPeer({ spec: { myASN: 2 ** 32 } })], object: peerA, field: 'spec.myASN', message: 'out of range' },
    { name: 'rejects neither peerASN nor dynamicASN', objects: [aPeer({ spec: { peerASN: undefined } })], object: peerA, field: 'spec.peerASN', message: 'set peerASN or dynamicASN' },
    { name: 'rejects both peerASN and dynamicASN', objects: [aPeer({ spec: { dynamicASN: 'external' } })], object: peerA, field: 'spec.dynamicASN', message: 'mutually exclusive' },
    { name: 'rejects an unknown dynamicASN', objects: [aPeer({ spec: { peerASN: undefined, dynamicASN: 'both' } })], object: peerA, field: 'spec.dynamicASN', message: 'use "internal" or "external"' },
    { name: 'rejects neither peerAddress nor interface', objects: [aPeer({ spec: { peerAddress: undefined } })], object: peerA, field: 'spec.peerAddress', message: 'set peerAddress or interface' },
    { name: 'rejects both peerAddress and interface', objects: [aPeer({ spec: { interface: 'eth0' } })], object: peerA, field: 'spec.interface', message: 'mutually exclusive' },
    { name: 'rejects an unparseable peerAddress', objects: [aPeer({ spec: { peerAddress: '198.51.100' } })], object: peerA, field: 'spec.peerAddress', message: 'is not an IP address' },
    { name: 'rejects an unparseable sourceAddress', objects: [aPeer({ spec: { sourceAddress: 'me' } })], object: peerA, field: 'spec.sourceAddress', message: 'is not an IP address' },
    { name: 'rejects an unparseable routerID', objects: [aPeer({ spec: { routerID: '1.2.3' } })], object: peerA, field: 'spec.routerID', message: 'is not an IP address' },
    { name: 'rejects port 0 in v1beta2', objects: [aPeer({ spec: { peerPort: 0 } })], object: peerA, field: 'spec.peerPort', message: 'must be 1..16384' },
    { name: 'rejects a port above 16384', objects: [aPeer({ spec: { peerPort: 16385 } })], object: peerA, field: 'spec.peerPort', message: 'must be 1..16384' },
    { name: 'rejects a hold time under 3s', objects: [aPeer({ spec: { holdTime: '2s' } })], object: peerA, field: 'spec.holdTime', message: 'must be 0 or at least 3s' },
    { name: 'rejects a keepalive longer than hold', objects: [aPeer({ spec: { holdTime: '30s', keepaliveTime: '40s' } })], object: peerA, field: 'spec.keepaliveTime', message: 'must not be longer than holdTime' },
    { name: 'rejects a keepalive whose derived hold is under 3s', objects: [aPeer({ spec: { keepaliveTime: '500ms' } })], object: peerA, field: 'spec.keepaliveTime', message: 'must be 0 or at least 3s' },
    { name: 'rejects a duration that is not Go syntax', objects: [aPeer({ spec: { holdTime: '90' } })], object: peerA, field: 'spec.holdTime', message: 'is not a duration' },
    { name: 'rejects a negative duration', objects: [aPeer({ spec: { holdTime: '-90s' } })], object: peerA, field: 'spec.holdTime', message: 'must not be negative' },
    { name: 'rejects a connectTime below 1s', objects: [aPeer({ spec: { connectTime: '500ms' } })], object: peerA, field: 'spec.connectTime', message: 'whole seconds between 1s and 65535s' },
    { name: 'rejects a connectTime of fractional seconds', objects: [aPeer({ spec: { connectTime: '1.5s' } })], object: peerA, field: 'spec.connectTime', message: 'whole seconds' },
    { name: 'rejects a connectTime above 65535s', objects: [aPeer({ spec: { connectTime: '65536s' } })], object: peerA, field: 'spec.connectTime', message: 'whole seconds' },
    { name: 'rejects ebgpMultiHop on an iBGP session', objects: [aPeer({ spec: { peerASN: 64500, ebgpMultiHop: true } })], object: peerA, field: 'spec.ebgpMultiHop', message: 'peerASN equals myASN' },
    { name: 'rejects password with passwordSecret', objects: [aPeer({ spec: { password: 'x', passwordSecret: { name: 's' } } })], object: peerA, field: 'spec.passwordSecret', message: 'mutually exclusive' },
    { name: 'rejects a localASN of 0', objects: [aPeer({ spec: { localASN: 0 } })], object: peerA, field: 'spec.localASN', message: 'out of range' },
    { name: 'reports a missing BFD profile as transient', objects: [aPeer({ spec: { bfdProfile: 'nope' } })], object: peerA, field: 'spec.bfdProfile', message: 'no BFDProfile named "nope"', transient: true },
    { name: 'rejects a duplicate node selector', objects: [aPeer({ spec: { nodeSelectors: [{ matchLabels: { a: 'b' } }, { matchLabels: { a: 'b' } }] } })], object: peerA, field: 'spec.nodeSelectors[1]', message: 'duplicate definition' },
    {
      name: 'rejects two peers with the same configuration',
      objects: [aPeer({ spec: { nodeSelectors: [{ matchLabels: { rack: '1' } }] } }), aPeer({ name: 'peer-b', spec: { nodeSelectors: [{ matchLabels: { rack: '1' } }] } })],
      object: peerB,
      field: 'spec',
      message: 'duplicate definition: BGPPeer "peer-a"',
    },
  ]);
});

describe('BGPPeer injection safety', () => {
  itReportsEach([
    { name: 'rejects a password with a newline', objects: [aPeer({ spec: { password: 'secret\nrouter bgp 1' } })], object: peerA, field: 'spec.password', message: 'control characters' },
    { name: 'rejects a password with a space', objects: [aPeer({ spec: { password: 'two words' } })], object: peerA, field: 'spec.password', message: 'whitespace' },
    { name: 'rejects a password longer than 80 characters', objects: [aPeer({ spec: { password: 'x'.repeat(81) } })], object: peerA, field: 'spec.password', message: 'at most 80' },
    { name: 'rejects an interface with a carriage return', objects: [aPeer({ spec: { peerAddress: undefined, interface: 'eth0\r' } })], object: peerA, field: 'spec.interface', message: 'control characters' },
    { name: 'rejects an interface name longer than 15', objects: [aPeer({ spec: { peerAddress: undefined, interface: 'a-very-long-nic-name' } })], object: peerA, field: 'spec.interface', message: 'at most 15' },
    { name: 'rejects a VRF name with a space', objects: [aPeer({ spec: { vrf: 'red vrf' } })], object: peerA, field: 'spec.vrf', message: 'whitespace' },
    { name: 'rejects a VRF name with NUL', objects: [aPeer({ spec: { vrf: 'red\u0000' } })], object: peerA, field: 'spec.vrf', message: 'control characters' },
    { name: 'rejects a BFD profile name with a newline', objects: [aPeer({ spec: { bfdProfile: 'fast\nbfd' } })], object: peerA, field: 'spec.bfdProfile', message: 'control characters' },
    { name: 'rejects a peer name that would break a prefix-list name', objects: [aPeer({ name: 'peer a' })], object: 'BGPPeer/barelb-system/peer a', field: 'metadata.name', message: 'whitespace' },
  ]);
});

describe('BGPPeer model', () => {
  it('defaults the port to 179 and leaves timers unset', () => {
    const peer = parseClean([aPeer()]).config.bgpPeers[0];
    expect(peer).to.deep.include({ port: 179, timers: null, target: { kind: 'address', address: '198.51.100.1' }, remoteASN: { kind: 'number', asn: 64501 }, vrf: null });
  });

  const timerRows = [
    { name: 'derives keepalive as a third of hold', spec: { holdTime: '90s' }, want: { holdSeconds: 90, keepaliveSeconds: 30 } },
    { name: 'derives hold as three keepalives', spec: { keepaliveTime: '1m' }, want: { holdSeconds: 180, keepaliveSeconds: 60 } },
    { name: 'truncates to whole seconds', spec: { holdTime: '10s', keepaliveTime: '3500ms' }, want: { holdSeconds: 10, keepaliveSeconds: 3 } },
    { name: 'accepts hold 0 (keepalives off)', spec: { holdTime: '0s', keepaliveTime: '0s' }, want: { holdSeconds: 0, keepaliveSeconds: 0 } },
  ];
  for (const row of timerRows) {
    it(`${row.name}`, () => {
      expect(parseClean([aPeer({ spec: row.spec })]).config.bgpPeers[0]?.timers).to.deep.equal(row.want);
    });
  }

  it('reads an unnumbered peer with dynamic ASN, VRF, password and BFD profile', () => {
    const { config } = parseClean([
      aPeer({ spec: { peerAddress: undefined, interface: 'eth1', peerASN: undefined, dynamicASN: 'external', vrf: 'red', password: 's3cr3t!', bfdProfile: 'fast', connectTime: '5s', localASN: 65001 } }),
      aBFDProfile(),
    ]);
    expect(config.bgpPeers[0]).to.deep.include({
      target: { kind: 'interface', name: 'eth1' },
      remoteASN: { kind: 'external' },
      vrf: 'red',
      password: { kind: 'inline', value: 's3cr3t!' },
      bfdProfile: 'fast',
      connectTimeSeconds: 5,
      localASN: 65001,
    });
  });

  it('keeps a password Secret reference for the adapter, defaulting to the peer namespace', () => {
    const peer = parseClean([aPeer({ spec: { passwordSecret: { name: 'bgp-auth' } } }), aSecret({ name: 'bgp-auth', data: { password: 's3cret' } })]).config.bgpPeers[0];
    expect(peer?.password).to.deep.equal({ kind: 'secret', namespace: 'barelb-system', name: 'bgp-auth' });
  });

  const secretRows: ReadonlyArray<{ name: string; secret: object | null; message: string; transient?: boolean }> = [
    { name: 'reports a missing Secret as transient', secret: null, message: 'Secret "barelb-system/bgp-auth" does not exist (yet)', transient: true },
    { name: 'rejects a Secret of the wrong type', secret: aSecret({ name: 'bgp-auth', type: 'Opaque', data: { password: 'x' } }), message: 'has type "Opaque"; it must be kubernetes.io/basic-auth' },
    { name: 'rejects a Secret without a password key', secret: aSecret({ name: 'bgp-auth', data: { username: 'x' } }), message: 'has no "password" key' },
    { name: 'rejects a password that would break the frr.conf line', secret: aSecret({ name: 'bgp-auth', data: { password: 'pw\nrouter bgp 1' } }), message: 'must not contain control characters' },
  ];
  for (const row of secretRows) {
    it(`${row.name} without printing the password`, () => {
      const parsed = parseInput([aPeer({ spec: { passwordSecret: { name: 'bgp-auth' } } }), ...(row.secret === null ? [] : [row.secret])]);
      const e = parsed.errors.find((x) => x.field === 'spec.passwordSecret');
      expect(e?.object).to.equal(peerA);
      expect(e?.message).to.contain(row.message);
      expect(e?.transient ?? false).to.equal(row.transient ?? false);
      expect(JSON.stringify(parsed.errors)).not.to.contain('router bgp 1');
    });
  }

  it('converts a v1beta1 peer to the v1beta2 model with a deprecation warning', () => {
    const parsed = parseInput([aPeer({ apiVersion: 'metallb.io/v1beta1', spec: { peerPort: 0, holdTime: '30s', password: 'pw' } })]);
    expect(parsed.errors).to.deep.equal([]);
    expect(parsed.warnings).to.deep.include({ object: peerA, field: 'apiVersion', message: 'BGPPeer v1beta1 is deprecated, please use v1beta2 (read as v1beta2)' });
    expect(parsed.config.bgpPeers[0]).to.deep.include({ port: 179, timers: { holdSeconds: 30, keepaliveSeconds: 10 }, password: { kind: 'inline', value: 'pw' } });
  });

  it('ignores v1beta2-only fields in a v1beta1 peer with a warning', () => {
    const parsed = parseInput([aPeer({ apiVersion: 'barelb.io/v1beta1', spec: { vrf: 'red' } })]);
    expect(parsed.config.bgpPeers[0]?.vrf).to.equal(null);
    expect(parsed.warnings.map((w) => w.field)).to.include('spec.vrf');
  });

  it('warns that disableMP is deprecated', () => {
    const parsed = parseInput([aPeer({ spec: { disableMP: true } })]);
    expect(parsed.warnings).to.deep.include({ object: peerA, field: 'spec.disableMP', message: 'disableMP is deprecated and has no effect' });
  });
});

describe('BGPPeer cross-peer rules (FRR)', () => {
  const onRack = (rack: string) => ({ nodeSelectors: [{ matchLabels: { rack } }] });
  const rows = [
    { name: 'rejects different routerIDs', b: { routerID: '10.0.0.2', peerAddress: '198.51.100.2' }, a: { routerID: '10.0.0.1' }, field: 'spec.routerID', message: 'differs from "10.0.0.1" of BGPPeer "peer-a"' },
    { name: 'rejects different myASN in one VRF', b: { myASN: 64999, peerAddress: '198.51.100.2' }, a: {}, field: 'spec.myASN', message: 'same VRF' },
    { name: 'rejects the same neighbor twice in one VRF', b: { peerASN: 64777 }, a: {}, field: 'spec.peerAddress', message: 'already peers with "198.51.100.1"' },
  ];
  for (const row of rows) {
    it(`${row.name} when no Nodes are known`, () => {
      expectError(parseInput([aPeer({ spec: row.a }), aPeer({ name: 'peer-b', spec: row.b })]), { object: peerB, field: row.field, message: row.message });
    });
    it(`${row.name} when their node selectors share a node`, () => {
      const objects = [aPeer({ spec: { ...row.a, ...onRack('1') } }), aPeer({ name: 'peer-b', spec: { ...row.b, nodeSelectors: [] } }), aNode('n1', { rack: '1' })];
      expectError(parseInput(objects), { object: peerB, field: row.field, message: row.message });
    });
    it(`accepts peers that ${row.name.replace('rejects ', 'have ')} on disjoint nodes`, () => {
      parseClean([aPeer({ spec: { ...row.a, ...onRack('1') } }), aPeer({ name: 'peer-b', spec: { ...row.b, ...onRack('2') } }), aNode('n1', { rack: '1' }), aNode('n2', { rack: '2' })]);
    });
  }

  it('accepts the same neighbor address in different VRFs', () => {
    parseClean([aPeer(), aPeer({ name: 'peer-b', spec: { vrf: 'red', myASN: 64999 } })]);
  });
});
