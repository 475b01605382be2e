import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import fc from 'fast-check';
import { decodeBfdPeers } from './decode-bfd.ts';
import type { BfdSession } from './snapshot.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`testdata/${name}`, import.meta.url), 'utf8'));

function sessions(moment: 'up' | 'link-down'): readonly BfdSession[] {
  const decoded = decodeBfdPeers(fixture(`bfd-peers-${moment}.json`), fixture(`bfd-counters-${moment}.json`));
  if (!decoded.ok) throw new Error(`decode failed: ${JSON.stringify(decoded.error)}`);
  return decoded.value;
}

describe('decodeBfdPeers on FRR 10.3 output', function () {
  it('reads an up single-hop session with its timers and joins its counters', function () {
    const [up] = sessions('up');
    expect(up).to.deep.equal({
      vrf: 'default',
      peer: '192.0.2.1',
      local: '192.0.2.11',
      interface: 'eth0',
      multihop: false,
      status: 'up',
      up: true,
      statusSeconds: 1,
      diagnostic: 'ok',
      remoteDiagnostic: 'ok',
      timers: {
        receiveMs: 300, transmitMs: 300, echoReceiveMs: 50, echoTransmitMs: 0, detectMultiplier: 3,
        remoteReceiveMs: 300, remoteTransmitMs: 300, remoteEchoReceiveMs: 50, remoteDetectMultiplier: 3,
      },
      counters: {
        controlPacketInput: 9, controlPacketOutput: 9, echoPacketInput: 0, echoPacketOutput: 0,
        sessionUpEvents: 1, sessionDownEvents: 0, zebraNotifications: 2,
      },
    });
  });

  it('reads a session bfdd has not resolved yet: no local address, no interface, down since it began', function () {
    const unresolved = sessions('up')[1];
    expect(unresolved).to.deep.include({ peer: '192.0.2.98', local: null, interface: null, status: 'down', up: false, statusSeconds: 4 });
    expect(unresolved?.counters).to.deep.include({ controlPacketOutput: 5, controlPacketInput: 0 });
  });

  it('reads the detection timeout after the link was cut', function () {
    const [cut] = sessions('link-down');
    expect(cut).to.deep.include({ peer: '192.0.2.1', status: 'down', up: false, diagnostic: 'control detection time expired', statusSeconds: 1 });
    expect(cut?.counters).to.deep.include({ sessionUpEvents: 1, sessionDownEvents: 1 });
  });
});

describe('decodeBfdPeers on unexpected shapes', function () {
  it('fails with a reason when a document is not an array', function () {
    expect(decodeBfdPeers({}, [])).to.deep.equal({
      ok: false,
      error: { reason: 'unexpected-shape', where: '(peers)', detail: 'expected an array of sessions' },
    });
    expect(decodeBfdPeers([], null)).to.deep.include({ ok: false });
  });

  it('names the session that has no status', function () {
    const decoded = decodeBfdPeers([{ peer: '192.0.2.1', status: 'up' }, { peer: '192.0.2.2' }], []);
    expect(decoded.ok).to.equal(false);
    if (!decoded.ok) expect(decoded.error).to.include({ where: 'peers[1]' });
  });

  it('leaves counters null for a session the counters command did not list, and defaults the VRF', function () {
    const decoded = decodeBfdPeers([{ peer: '2001:db8::1', status: 'init', multihop: true, extra: [1] }], []);
    expect(decoded).to.deep.include({ ok: true });
    if (decoded.ok) expect(decoded.value[0]).to.deep.include({ vrf: 'default', multihop: true, counters: null, up: false, statusSeconds: null });
  });

  it('never throws, whatever JSON it is given', function () {
    fc.assert(fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => typeof decodeBfdPeers(a, b).ok === 'boolean'));
    const sessionLike = fc.array(fc.record({ peer: fc.jsonValue(), status: fc.jsonValue(), uptime: fc.jsonValue() }, { requiredKeys: [] }));
    fc.assert(fc.property(sessionLike, sessionLike, (a, b) => typeof decodeBfdPeers(a, b).ok === 'boolean'));
  });
});
