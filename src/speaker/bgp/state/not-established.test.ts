import { expect } from 'chai';
import { notEstablished, type DownEpisode } from './not-established.ts';
import type { BgpSession } from './snapshot.ts';
import { aSession } from './test-builders.ts';

const WARN_MS = 30_000;
const T0 = 1_800_000_000_000;

/** Feeds reads `everyMs` apart from T0 and collects every report with the read's index. */
function run(reads: readonly (readonly BgpSession[])[], everyMs = 10_000) {
  let episodes: ReadonlyMap<string, DownEpisode> = new Map();
  const reports: { read: number; peer: string; downForMs: number }[] = [];
  for (const [i, sessions] of reads.entries()) {
    const out = notEstablished(episodes, sessions, T0 + i * everyMs, WARN_MS);
    episodes = out.episodes;
    reports.push(...out.reports.map((r) => ({ read: i, peer: r.peer, downForMs: r.downForMs })));
  }
  return reports;
}

const connect = aSession({ state: 'Connect' });
const up = aSession({ state: 'Established', connectionsEstablished: 1 });

describe('notEstablished', function () {
  it('reports a session once it has been down for the threshold, and only once in that episode', function () {
    expect(run([[connect], [connect], [connect], [connect], [connect], [connect]])).to.deep.equal([{ read: 3, peer: '192.0.2.1', downForMs: 30_000 }]);
  });

  it('starts a new episode after the session was Established, and reports it again', function () {
    const reads = [[connect], [connect], [connect], [connect], [up], [connect], [connect], [connect], [connect]];
    expect(run(reads).map((r) => r.read)).to.deep.equal([3, 8]);
  });

  it('forgets a session that went away, so one that comes back starts from zero', function () {
    const reads = [[connect], [connect], [], [connect], [connect], [connect], [connect]];
    expect(run(reads).map((r) => r.read)).to.deep.equal([6]);
  });

  it('never reports an Established session, and keeps sessions apart by VRF and peer', function () {
    const red = aSession({ state: 'Active', vrf: 'red' });
    const other = aSession({ peer: '192.0.2.2', state: 'Active' });
    const reads = [[up, red, other], [up, red], [up, red, other], [up, red, other], [up, red, other], [up, red, other]];
    expect(run(reads)).to.deep.equal([{ read: 3, peer: '192.0.2.1', downForMs: 30_000 }, { read: 5, peer: '192.0.2.2', downForMs: 30_000 }]);
  });

  it("names FRR's state and last reset, and hints at the password when TCP-MD5 is on and TCP never came up", function () {
    const md5 = aSession({ state: 'Connect', tcpMd5: true, lastReset: { dueTo: 'Waiting for peer OPEN', code: 32, notification: null, errorCodeSubcode: null, shutdownMessage: null } });
    const out = notEstablished(new Map([['default\u0000192.0.2.1', { since: T0, reported: false }]]), [md5], T0 + WARN_MS, WARN_MS);
    expect(out.reports).to.deep.equal([{
      peer: '192.0.2.1', vrf: 'default', state: 'Connect', reason: 'Waiting for peer OPEN', downForMs: WARN_MS,
      everEstablished: false, bfdStatus: null, tcpMd5: true,
      hint: 'a TCP-MD5 password is set: a mismatched password is dropped silently by the kernel, so the session never gets past Connect/Active; check that both sides use the same password',
    }]);
  });

  it('gives no hint without TCP-MD5, or once TCP came up (OpenSent: the password matched)', function () {
    const at = (s: BgpSession) => notEstablished(new Map([['default\u0000192.0.2.1', { since: T0, reported: false }]]), [s], T0 + WARN_MS, WARN_MS).reports[0];
    expect(at(aSession({ state: 'Active' }))).to.include({ hint: null, reason: null, tcpMd5: false });
    expect(at(aSession({ state: 'OpenSent', tcpMd5: true }))).to.include({ hint: null, tcpMd5: true });
    expect(at(aSession({ state: 'Idle', connectionsEstablished: 2, bfdStatus: 'Down' }))).to.include({ everEstablished: true, bfdStatus: 'Down' });
  });
});
