import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import fc from 'fast-check';
import { decodeBgpNeighbors, describeLastReset } from './decode-bgp.ts';
import type { BgpSession } from './snapshot.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`testdata/${name}`, import.meta.url), 'utf8'));

function sessions(json: unknown): readonly BgpSession[] {
  const decoded = decodeBgpNeighbors(json);
  if (!decoded.ok) throw new Error(`decode failed: ${JSON.stringify(decoded.error)}`);
  return decoded.value;
}

const byPeer = (all: readonly BgpSession[], peer: string): BgpSession => {
  const found = all.find((s) => s.peer === peer);
  if (found === undefined) throw new Error(`no session ${peer}`);
  return found;
};

describe('decodeBgpNeighbors on FRR 10.3 output', function () {
  const up = sessions(fixture('neighbors-up.json'));

  it('lists every neighbor of every VRF, sorted, and skips the vrfId/vrfName scalars', function () {
    expect(up.map((s) => [s.vrf, s.peer, s.state])).to.deep.equal([
      ['default', '192.0.2.1', 'Established'],
      ['default', '192.0.2.98', 'Idle'],
      ['default', '192.0.2.99', 'Active'],
      ['default', '2001:db8::1', 'Established'],
    ]);
  });

  it('reads an Established IPv4 session with its timers, counters, prefixes and BFD status', function () {
    expect(byPeer(up, '192.0.2.1')).to.deep.equal({
      vrf: 'default',
      peer: '192.0.2.1',
      address: '192.0.2.1',
      state: 'Established',
      established: true,
      remoteAs: 64500,
      localAs: 64512,
      uptimeMs: 1000,
      establishedEpoch: 1795712859,
      connectionsEstablished: 1,
      connectionsDropped: 0,
      messages: {
        opensSent: 2, opensReceived: 1, notificationsSent: 1, notificationsReceived: 0,
        updatesSent: 3, updatesReceived: 4, keepalivesSent: 2, keepalivesReceived: 2,
        routeRefreshSent: 0, routeRefreshReceived: 0, totalSent: 8, totalReceived: 7,
      },
      prefixes: [{ af: 'ipv4Unicast', sent: 3, received: 1 }],
      prefixesSent: 3,
      prefixesReceived: 1,
      // Kept from a reset before the session came up: FRR does not clear it on Established.
      lastReset: { dueTo: 'BGP Notification send', code: 14, notification: 'Cease/BFD Down', errorCodeSubcode: '060A', shutdownMessage: null },
      bfdStatus: 'Up',
      tcpMd5: false,
    });
  });

  it('sums the prefixes of every address family of a session', function () {
    const v6 = byPeer(up, '2001:db8::1');
    expect(v6.prefixes).to.deep.equal([
      { af: 'ipv4Unicast', sent: 3, received: 1 },
      { af: 'ipv6Unicast', sent: 1, received: 0 },
    ]);
    expect(v6).to.include({ prefixesSent: 4, prefixesReceived: 1, address: '2001:db8::1', lastReset: null, bfdStatus: null });
  });

  it('reads a neighbor that never connected: no uptime, no last reset, held Idle by BFD', function () {
    expect(byPeer(up, '192.0.2.98')).to.deep.include({
      state: 'Idle', established: false, uptimeMs: null, establishedEpoch: null, lastReset: null, bfdStatus: 'Down',
      prefixesSent: 0, prefixesReceived: 0,
    });
  });

  it('reads why each session went down after the link was cut', function () {
    const down = sessions(fixture('neighbors-link-down.json'));
    expect(down.map((s) => [s.peer, s.state, s.lastReset?.dueTo, s.connectionsDropped])).to.deep.equal([
      ['192.0.2.1', 'Idle', 'BFD down received', 1],
      ['192.0.2.98', 'Idle', undefined, 0],
      ['192.0.2.99', 'Active', 'No path to specified Neighbor', 0],
      ['2001:db8::1', 'Active', 'No path to specified Neighbor', 1],
    ]);
    expect(byPeer(down, '192.0.2.1')).to.include({ uptimeMs: null, prefixesSent: 0, prefixesReceived: 0, bfdStatus: 'Down' });
  });

  it('reads the NOTIFICATION of an administrative shutdown with its message (RFC 9003)', function () {
    const shut = byPeer(sessions(fixture('neighbors-notification.json')), '192.0.2.1');
    expect(shut.lastReset).to.deep.equal({
      dueTo: 'BGP Notification received',
      code: 13,
      notification: 'Cease/Administrative Shutdown',
      errorCodeSubcode: '0602',
      shutdownMessage: 'maintenance',
    });
    expect(shut.lastReset && describeLastReset(shut.lastReset)).to.equal('BGP Notification received: Cease/Administrative Shutdown (maintenance)');
  });
});

describe('decodeBgpNeighbors on unexpected shapes', function () {
  it('fails with a reason when the document is not an object of VRFs', function () {
    expect(decodeBgpNeighbors([])).to.deep.equal({
      ok: false,
      error: { reason: 'unexpected-shape', where: '(document)', detail: 'expected an object keyed by VRF name' },
    });
    expect(decodeBgpNeighbors({ default: 'x' })).to.deep.include({ ok: false });
  });

  it('names the neighbor that has no bgpState', function () {
    const decoded = decodeBgpNeighbors({ default: { vrfId: 0, '192.0.2.1': { remoteAs: 64500 } } });
    expect(decoded.ok).to.equal(false);
    if (!decoded.ok) expect(decoded.error).to.include({ reason: 'unexpected-shape', where: 'default/192.0.2.1' });
  });

  it('ignores unknown fields and reads a field of an unexpected type as absent', function () {
    const decoded = decodeBgpNeighbors({
      red: { 'swp1': { bgpState: 'Active', futureField: { a: 1 }, remoteAs: 'sixty-four', messageStats: 7, addressFamilyInfo: { l2vpnEvpn: { sentPrefixCounter: 'x', acceptedPrefixCounter: 2 } } } },
    });
    expect(decoded.ok).to.equal(true);
    if (!decoded.ok) return;
    // An unnumbered neighbor is keyed by its interface: no address.
    expect(decoded.value[0]).to.deep.include({ vrf: 'red', peer: 'swp1', address: null, remoteAs: null, prefixesSent: 0, prefixesReceived: 2 });
    expect(decoded.value[0]?.messages.totalSent).to.equal(0);
  });

  it('reads a TCP-MD5 password from authenticationEnabled, as FRR 10.3 prints it (the key only when set)', function () {
    const decoded = decodeBgpNeighbors({ default: { '192.0.2.1': { bgpState: 'Connect', authenticationEnabled: 1 }, '192.0.2.2': { bgpState: 'Connect' } } });
    expect(decoded.ok && decoded.value.map((s) => [s.peer, s.tcpMd5])).to.deep.equal([['192.0.2.1', true], ['192.0.2.2', false]]);
  });

  it('reads an empty VRF and an empty document as no sessions', function () {
    expect(decodeBgpNeighbors({})).to.deep.equal({ ok: true, value: [] });
    expect(decodeBgpNeighbors({ default: { vrfId: 0, vrfName: 'default' } })).to.deep.equal({ ok: true, value: [] });
  });

  it('never throws, whatever JSON it is given', function () {
    fc.assert(fc.property(fc.jsonValue(), (json) => typeof decodeBgpNeighbors(json).ok === 'boolean'));
    const peerLike = fc.dictionary(fc.string(), fc.dictionary(fc.string(), fc.record({ bgpState: fc.jsonValue(), messageStats: fc.jsonValue(), addressFamilyInfo: fc.jsonValue() })));
    fc.assert(fc.property(peerLike, (json) => typeof decodeBgpNeighbors(json).ok === 'boolean'));
  });
});
