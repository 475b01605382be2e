import { expect } from 'chai';
import { HeartbeatMembership, type MemberChange, type PeerAddress } from './membership.ts';
import { randomIncarnation, startUdpHeartbeats, type UdpHeartbeats } from './udp.ts';

const key = new TextEncoder().encode('loopback test key, 32 bytes long');
const loopback = '127.0.0.1';
/** Fast timings so the test is short: dead after 20 × 3 + 20 = 80 ms. */
const timing = { intervalMs: 20, missedIntervals: 3, jitterMarginMs: 20 };

type Node = { membership: HeartbeatMembership; changes: MemberChange[]; stop: AbortController; udp: UdpHeartbeats };

async function aNode(self: string): Promise<Node> {
  const membership = new HeartbeatMembership({ self, key, incarnation: randomIncarnation(), ...timing }, new Map(), Date.now());
  const changes: MemberChange[] = [];
  const stop = new AbortController();
  const udp = await startUdpHeartbeats({
    membership,
    bind: { host: loopback, port: 0 },
    clock: Date.now,
    signal: stop.signal,
    onChanges: (c) => changes.push(...c),
  });
  return { membership, changes, stop, udp };
}

async function until(what: string, cond: () => boolean, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return Date.now() - start;
}

describe('UDP heartbeats on loopback', function () {
  this.timeout(5000);
  const nodes: Node[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) {
      n.stop.abort();
      await n.udp.stopped;
    }
  });

  it('sees the other speaker alive, then dead soon after its socket closes', async () => {
    const a = await aNode('node-a');
    const b = await aNode('node-b');
    nodes.push(a, b);
    const peers = new Map<string, PeerAddress>([
      ['node-a', { host: loopback, port: a.udp.port }],
      ['node-b', { host: loopback, port: b.udp.port }],
    ]);
    a.membership.setPeers(peers, Date.now());
    b.membership.setPeers(peers, Date.now());

    await until('node-a sees node-b alive', () => a.membership.liveNodes().has('node-b'), 2000);
    await until('node-b sees node-a alive', () => b.membership.liveNodes().has('node-a'), 2000);
    b.stop.abort();
    await b.udp.stopped;
    const tookMs = await until('node-a sees node-b dead', () => !a.membership.liveNodes().has('node-b'), 2000);

    expect(a.changes.filter((c) => c.node === 'node-b').map((c) => c.kind)).to.deep.equal(['alive', 'dead']);
    // 80 ms dead-after plus timer slack; generous for loaded CI machines.
    expect(tookMs).to.be.below(1000);
  });
});
