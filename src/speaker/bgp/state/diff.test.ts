import { expect } from 'chai';
import { bfdChanges, bgpChanges, type BfdFlap, type BfdTransition, type BgpFlap, type BgpTransition } from './diff.ts';
import type { BfdSession, BgpSession } from './snapshot.ts';
import { aBfdSession, aSession, bfdCounters } from './test-builders.ts';

const cut = { dueTo: 'BFD down received', code: 24, notification: null, errorCodeSubcode: null, shutdownMessage: null };
const shutdown = { dueTo: 'BGP Notification received', code: 13, notification: 'Cease/Administrative Shutdown', errorCodeSubcode: '0602', shutdownMessage: 'maintenance' };
const waiting = { dueTo: 'Waiting for peer OPEN', code: 32, notification: null, errorCodeSubcode: null, shutdownMessage: null };
const upWith = (over: Partial<BgpSession> = {}) =>
  aSession({ state: 'Established', connectionsEstablished: 1, prefixesSent: 3, prefixesReceived: 1, lastReset: cut, ...over });

type BgpRow = { name: string; before: BgpSession; after: BgpSession; transitions: BgpTransition[]; flaps?: BgpFlap[] };

const bgpRows: BgpRow[] = [
  {
    name: 'a session coming up is `up`, without the stale reset reason, with the counts after the change',
    before: aSession({ state: 'Active', lastReset: cut }),
    after: upWith({ prefixesSent: 0, prefixesReceived: 0 }),
    transitions: [{ kind: 'up', peer: '192.0.2.1', vrf: 'default', from: 'Active', to: 'Established', reason: null, prefixesSent: 0, prefixesReceived: 0 }],
  },
  {
    name: 'a session going down is `down`, with the reset reason and the counts it had while up',
    before: upWith(),
    after: aSession({ state: 'Idle', connectionsEstablished: 1, connectionsDropped: 1, lastReset: cut }),
    transitions: [{ kind: 'down', peer: '192.0.2.1', vrf: 'default', from: 'Established', to: 'Idle', reason: 'BFD down received', prefixesSent: 3, prefixesReceived: 1 }],
  },
  {
    name: 'a NOTIFICATION is part of the reason, with the shutdown message',
    before: upWith(),
    after: aSession({ state: 'Idle', connectionsEstablished: 1, connectionsDropped: 1, lastReset: shutdown }),
    transitions: [{
      kind: 'down', peer: '192.0.2.1', vrf: 'default', from: 'Established', to: 'Idle',
      reason: 'BGP Notification received: Cease/Administrative Shutdown (maintenance)', prefixesSent: 3, prefixesReceived: 1,
    }],
  },
  {
    name: 'Connect to Active is a `retry`, with the reason',
    before: aSession({ state: 'Connect', lastReset: waiting }),
    after: aSession({ state: 'Active', lastReset: waiting }),
    transitions: [{ kind: 'retry', peer: '192.0.2.1', vrf: 'default', from: 'Connect', to: 'Active', reason: 'Waiting for peer OPEN', prefixesSent: 0, prefixesReceived: 0 }],
  },
  {
    name: 'a retry of a peer that never reset has no reason',
    before: aSession({ state: 'Idle' }),
    after: aSession({ state: 'Connect' }),
    transitions: [{ kind: 'retry', peer: '192.0.2.1', vrf: 'default', from: 'Idle', to: 'Connect', reason: null, prefixesSent: 0, prefixesReceived: 0 }],
  },
  {
    name: 'an unchanged session is no change, even when its prefix counts move',
    before: upWith(),
    after: upWith({ prefixesSent: 5 }),
    transitions: [],
  },
  {
    name: 'a session that went down and up again between reads is a flap',
    before: upWith(),
    after: upWith({ connectionsEstablished: 2, connectionsDropped: 1 }),
    transitions: [],
    flaps: [{ peer: '192.0.2.1', vrf: 'default', state: 'Established', missedSessions: 1, reason: 'BFD down received' }],
  },
  {
    name: 'a session that came up once is a transition, not a flap',
    before: aSession({ state: 'Active' }),
    after: upWith({ lastReset: null }),
    transitions: [{ kind: 'up', peer: '192.0.2.1', vrf: 'default', from: 'Active', to: 'Established', reason: null, prefixesSent: 3, prefixesReceived: 1 }],
  },
  {
    name: 'a session that came up and went down between reads is a flap',
    before: aSession({ state: 'Active' }),
    after: aSession({ state: 'Active', connectionsEstablished: 1, connectionsDropped: 1, lastReset: cut }),
    transitions: [],
    flaps: [{ peer: '192.0.2.1', vrf: 'default', state: 'Active', missedSessions: 1, reason: 'BFD down received' }],
  },
  {
    name: 'counters that went back to zero (bgpd restarted) are not a flap',
    before: upWith({ connectionsEstablished: 7 }),
    after: upWith({ connectionsEstablished: 1 }),
    transitions: [],
  },
];

describe('bgpChanges', function () {
  for (const row of bgpRows) {
    it(row.name, function () {
      const changes = bgpChanges([row.before], [row.after]);
      expect(changes.transitions).to.deep.equal(row.transitions);
      expect(changes.flaps).to.deep.equal(row.flaps ?? []);
      expect(changes.appeared).to.deep.equal([]);
      expect(changes.removed).to.deep.equal([]);
    });
  }

  it('reports sessions that appeared or went away, telling VRFs apart', function () {
    const kept = aSession({ peer: '192.0.2.1' });
    const gone = aSession({ peer: '192.0.2.2' });
    const otherVrf = aSession({ peer: '192.0.2.2', vrf: 'red' });
    const changes = bgpChanges([kept, gone], [kept, otherVrf]);
    expect(changes.appeared).to.deep.equal([otherVrf]);
    expect(changes.removed).to.deep.equal([gone]);
    expect(changes.transitions).to.deep.equal([]);
  });

  it('sees everything as appeared on the first read', function () {
    const all = [aSession({ peer: '192.0.2.1' }), aSession({ peer: '192.0.2.2', state: 'Established' })];
    expect(bgpChanges([], all)).to.deep.equal({ transitions: [], flaps: [], appeared: all, removed: [] });
  });
});

type BfdRow = { name: string; before: BfdSession; after: BfdSession; transitions: BfdTransition[]; flaps?: BfdFlap[] };
const bfdTransition = (kind: BfdTransition['kind'], from: string, to: string, diagnostic = 'ok'): BfdTransition => ({
  kind, peer: '192.0.2.1', vrf: 'default', interface: 'eth0', multihop: false, from, to, diagnostic, remoteDiagnostic: 'ok',
});

const bfdRows: BfdRow[] = [
  {
    name: 'init to up is `up`',
    before: aBfdSession({ status: 'init' }),
    after: aBfdSession({ status: 'up', counters: bfdCounters({ sessionUpEvents: 1 }) }),
    transitions: [bfdTransition('up', 'init', 'up')],
  },
  {
    name: 'up to down is `down`, with the diagnostic',
    before: aBfdSession({ status: 'up', counters: bfdCounters({ sessionUpEvents: 1 }) }),
    after: aBfdSession({ status: 'down', diagnostic: 'control detection time expired', counters: bfdCounters({ sessionUpEvents: 1, sessionDownEvents: 1 }) }),
    transitions: [bfdTransition('down', 'up', 'down', 'control detection time expired')],
  },
  {
    name: 'down to init is a `retry`',
    before: aBfdSession({ status: 'down' }),
    after: aBfdSession({ status: 'init' }),
    transitions: [bfdTransition('retry', 'down', 'init')],
  },
  {
    name: 'a session that went down and up between reads is a flap',
    before: aBfdSession({ status: 'up', counters: bfdCounters({ sessionUpEvents: 1 }) }),
    after: aBfdSession({ status: 'up', counters: bfdCounters({ sessionUpEvents: 2, sessionDownEvents: 1 }) }),
    transitions: [],
    flaps: [{ peer: '192.0.2.1', vrf: 'default', status: 'up', missedSessions: 1 }],
  },
  {
    name: 'without counters on both reads there is no flap to see',
    before: aBfdSession({ status: 'up', counters: null }),
    after: aBfdSession({ status: 'up', counters: bfdCounters({ sessionUpEvents: 3 }) }),
    transitions: [],
  },
  {
    name: 'a session whose local address and interface bfdd has just resolved is the same session',
    before: aBfdSession({ status: 'down', local: null, interface: null }),
    after: aBfdSession({ status: 'down' }),
    transitions: [],
  },
];

describe('bfdChanges', function () {
  for (const row of bfdRows) {
    it(row.name, function () {
      const changes = bfdChanges([row.before], [row.after]);
      expect(changes.transitions).to.deep.equal(row.transitions);
      expect(changes.flaps).to.deep.equal(row.flaps ?? []);
      expect(changes.appeared).to.deep.equal([]);
      expect(changes.removed).to.deep.equal([]);
    });
  }

  it('tells a multihop session from a single-hop one to the same peer', function () {
    const single = aBfdSession();
    const multi = aBfdSession({ multihop: true });
    const changes = bfdChanges([single], [multi]);
    expect(changes.appeared).to.deep.equal([multi]);
    expect(changes.removed).to.deep.equal([single]);
  });
});
