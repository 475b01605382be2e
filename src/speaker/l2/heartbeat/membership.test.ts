import { expect } from 'chai';
import { encodeHeartbeat, type Heartbeat } from './packet.ts';
import { HeartbeatMembership, type HeartbeatOptions, type MemberChange, type PeerAddress, type TickResult } from './membership.ts';

const key = new TextEncoder().encode('shared heartbeat key of 32 bytes');
const peers = new Map<string, PeerAddress>([
  ['node-a', { host: '192.0.2.1', port: 7947 }],
  ['node-b', { host: '192.0.2.2', port: 7947 }],
  ['node-c', { host: '192.0.2.3', port: 7947 }],
]);

function aMembership(o: Partial<HeartbeatOptions> = {}, now = 0): HeartbeatMembership {
  return new HeartbeatMembership({ self: 'node-a', key, incarnation: 1n, ...o }, peers, now);
}

const from = (node: string): PeerAddress => peers.get(node) ?? { host: '0.0.0.0', port: 0 };
const beat = (node: string, seq: bigint, sentAt: number, incarnation = 42n, k = key): Uint8Array =>
  encodeHeartbeat({ node, incarnation, seq, sentAt } satisfies Heartbeat, k);

/** Feeds a peer's heartbeats every `every` ms from `start` until `end`; ticks every 10 ms; collects changes. */
function drive(m: HeartbeatMembership, o: { node: string; start: number; end: number; every: number; until: number }): MemberChange[] {
  const changes: MemberChange[] = [];
  let seq = 0n;
  for (let t = o.start; t <= o.until; t += 10) {
    if (t <= o.end && (t - o.start) % o.every === 0) {
      seq += 1n;
      const v = m.onPacket(beat(o.node, seq, t), from(o.node), t);
      if (v.accepted) changes.push(...v.changes);
    }
    changes.push(...m.tick(t).changes);
  }
  return changes;
}

describe('Heartbeat membership', () => {
  it('marks a peer alive on its first authentic heartbeat', () => {
    const m = aMembership();
    expect(m.onPacket(beat('node-b', 1n, 5), from('node-b'), 5)).to.deep.equal({ accepted: true, node: 'node-b', changes: [{ kind: 'alive', node: 'node-b', at: 5 }] });
    expect([...m.liveNodes()].sort()).to.deep.equal(['node-a', 'node-b']);
  });

  it('declares a silent peer dead within 500 ms of its last heartbeat (350 ms by default)', () => {
    const m = aMembership();
    const changes = drive(m, { node: 'node-b', start: 0, end: 1000, every: 100, until: 2000 });
    expect(changes).to.deep.equal([{ kind: 'alive', node: 'node-b', at: 0 }, { kind: 'dead', node: 'node-b', at: 1350 }]);
    expect(m.deadAfterMs).to.equal(350);
  });

  it('keeps a peer alive through two lost heartbeats in a row', () => {
    const m = aMembership();
    m.onPacket(beat('node-b', 1n, 0), from('node-b'), 0);
    expect(m.tick(299).changes).to.deep.equal([]);
    m.onPacket(beat('node-b', 2n, 300), from('node-b'), 300);
    expect(m.tick(640).changes).to.deep.equal([]);
  });

  it('after a stall of this process, reads before judging: no peer is declared dead on the late tick', () => {
    const m = aMembership();
    m.onPacket(beat('node-b', 1n, 0), from('node-b'), 0);
    const planned = m.tick(0).nextWakeAt;
    // The process sleeps 600 ms: node-b kept sending, but its heartbeats are still in the socket.
    const late = m.tick(planned + 600);
    expect(late.changes, 'the late tick judges nobody').to.deep.equal([]);
    expect(late.nextWakeAt).to.be.at.most(planned + 601);
    m.onPacket(beat('node-b', 2n, planned + 590), from('node-b'), planned + 600);
    expect(m.tick(planned + 601).changes).to.deep.equal([]);
    expect(m.stalls).to.equal(1);
  });

  it('still declares a truly silent peer dead on the tick after a stall', () => {
    const m = aMembership();
    m.onPacket(beat('node-b', 1n, 0), from('node-b'), 0);
    const planned = m.tick(0).nextWakeAt;
    m.tick(planned + 600);
    expect(m.tick(planned + 601).changes.map((c) => c.kind)).to.deep.equal(['dead']);
  });

  it('honours a tuned interval: 20 ms × 3 + 10 ms', () => {
    const m = aMembership({ intervalMs: 20, missedIntervals: 3, jitterMarginMs: 10 });
    const changes = drive(m, { node: 'node-b', start: 0, end: 100, every: 20, until: 300 });
    expect(changes.map((c) => `${c.kind}@${c.at}`)).to.deep.equal(['alive@0', 'dead@170']);
  });

  it('wakes exactly at the next send or the earliest death deadline', () => {
    const m = aMembership();
    m.onPacket(beat('node-b', 1n, 0), from('node-b'), 0);
    const r: TickResult = m.tick(0);
    expect([r.nextWakeAt, m.tick(r.nextWakeAt).nextWakeAt]).to.deep.equal([100, 200]);
    expect(m.tick(340).nextWakeAt).to.equal(350);
  });

  it('sends one authenticated heartbeat per interval to every peer, counting up', () => {
    const m = aMembership();
    const sent = [0, 50, 100, 230, 231].map((t) => m.tick(t).packets);
    expect(sent.map((p) => p.map((o) => o.to.host))).to.deep.equal([['192.0.2.2', '192.0.2.3'], [], ['192.0.2.2', '192.0.2.3'], ['192.0.2.2', '192.0.2.3'], []]);
    const receiver = new HeartbeatMembership({ self: 'node-b', key, incarnation: 2n }, peers, 0);
    const verdicts = sent.flat().filter((o) => o.to.host === '192.0.2.2').map((o, i) => receiver.onPacket(o.bytes, from('node-a'), i * 100).accepted);
    expect(verdicts).to.deep.equal([true, true, true]);
  });

  it('restarts the cadence after a stall instead of sending a catch-up burst', () => {
    const m = aMembership();
    m.tick(0);
    expect([m.tick(1000).packets.length, m.tick(1050).packets.length, m.tick(1100).packets.length]).to.deep.equal([2, 0, 2]);
  });

  const rejections = [
    { name: 'a replayed heartbeat (same sequence number)', packets: [beat('node-b', 5n, 0), beat('node-b', 5n, 0)], want: 'replayed' },
    { name: 'an older heartbeat of the current incarnation', packets: [beat('node-b', 5n, 0), beat('node-b', 4n, 10)], want: 'replayed' },
    { name: 'a forged heartbeat (wrong key)', packets: [beat('node-b', 1n, 0, 42n, new TextEncoder().encode('an attacker guessed this key....'))], want: 'bad-mac' },
    { name: 'a heartbeat from a node not in the peer list', packets: [beat('node-z', 1n, 0)], want: 'unknown-peer' },
    { name: 'its own heartbeat reflected back', packets: [beat('node-a', 1n, 0)], want: 'self' },
    { name: 'a superseded incarnation after a restart', packets: [beat('node-b', 9n, 0, 1n), beat('node-b', 1n, 100, 2n), beat('node-b', 10n, 200, 1n)], want: 'old-incarnation' },
    { name: 'a different incarnation sent earlier than the live one\'s last heartbeat', packets: [beat('node-b', 9n, 500, 1n), beat('node-b', 1n, 400, 2n)], want: 'old-incarnation' },
  ] as const;
  for (const row of rejections) {
    it(`ignores ${row.name} (${row.want})`, () => {
      const m = aMembership();
      const verdicts = row.packets.map((p, i) => m.onPacket(p, from('node-b'), i * 10));
      expect(verdicts.at(-1)).to.deep.equal({ accepted: false, reason: row.want });
    });
  }

  it('cannot be kept alive by replaying a dead peer\'s recorded heartbeats', () => {
    const m = aMembership();
    const recorded = [1n, 2n, 3n].map((s) => beat('node-b', s, Number(s) * 100));
    recorded.forEach((p, i) => m.onPacket(p, from('node-b'), (i + 1) * 100));
    m.tick(1000);
    expect(recorded.map((p) => m.onPacket(p, from('node-b'), 1100))).to.deep.equal(recorded.map(() => ({ accepted: false, reason: 'replayed' })));
    expect(m.liveNodes().has('node-b')).to.equal(false);
  });

  it('accepts a restarted peer with a new incarnation, reporting the restart', () => {
    const m = aMembership();
    m.onPacket(beat('node-b', 500n, 1000, 7n), from('node-b'), 1000);
    expect(m.onPacket(beat('node-b', 1n, 1080, 8n), from('node-b'), 1080)).to.deep.equal({ accepted: true, node: 'node-b', changes: [{ kind: 'restarted', node: 'node-b', at: 1080 }] });
  });

  it('accepts a new incarnation of a dead peer even if its clock went back', () => {
    const m = aMembership();
    m.onPacket(beat('node-b', 500n, 5000, 7n), from('node-b'), 5000);
    m.tick(6000);
    expect(m.onPacket(beat('node-b', 1n, 4000, 8n), from('node-b'), 6100)).to.deep.equal({ accepted: true, node: 'node-b', changes: [{ kind: 'alive', node: 'node-b', at: 6100 }] });
  });

  it('rejects heartbeats from a skewed clock only when a skew limit is set', () => {
    const strict = aMembership({ maxClockSkewMs: 1000 });
    const lenient = aMembership();
    expect([strict.onPacket(beat('node-b', 1n, 90_000), from('node-b'), 0).accepted, lenient.onPacket(beat('node-b', 1n, 90_000), from('node-b'), 0).accepted]).to.deep.equal([false, true]);
  });

  it('is settled once every peer was heard, or after one dead-after period', () => {
    const m = aMembership({}, 1000);
    const before = m.settled(1000);
    m.onPacket(beat('node-b', 1n, 1010), from('node-b'), 1010);
    const oneHeard = m.settled(1010);
    m.onPacket(beat('node-c', 1n, 1020), from('node-c'), 1020);
    expect([before, oneHeard, m.settled(1020), aMembership({}, 1000).settled(1350)]).to.deep.equal([false, false, true, true]);
  });

  it('keeps the state of kept peers and reports removed live peers dead when the peer list changes', () => {
    const m = aMembership();
    m.onPacket(beat('node-b', 1n, 0), from('node-b'), 0);
    m.onPacket(beat('node-c', 1n, 0), from('node-c'), 0);
    const changes = m.setPeers(new Map([['node-b', { host: '192.0.2.22', port: 7947 }]]), 10);
    expect(changes).to.deep.equal([{ kind: 'dead', node: 'node-c', at: 10 }]);
    expect(m.members().map((v) => [v.node, v.status, v.address.host])).to.deep.equal([['node-b', 'alive', '192.0.2.22']]);
    expect(m.onPacket(beat('node-b', 1n, 20), from('node-b'), 20)).to.deep.equal({ accepted: false, reason: 'replayed' });
  });

  it('refuses a key shorter than 16 bytes', () => {
    expect(() => aMembership({ key: new Uint8Array(8) })).to.throw('at least 16 bytes');
  });
});
