// The heartbeat adapter: one UDP socket carrying HeartbeatMembership's packets, a timer driving
// its tick. No policy here; every decision is in membership.ts.

import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Clock } from '../ports.ts';
import type { HeartbeatMembership, HeartbeatRejectReason, MemberChange, PeerAddress } from './membership.ts';

export type UdpHeartbeatOptions = {
  readonly membership: HeartbeatMembership;
  /** Address and port to listen on; port 0 picks a free one. */
  readonly bind: PeerAddress;
  readonly clock: Clock;
  /** Aborting stops the timer and closes the socket. */
  readonly signal: AbortSignal;
  readonly onChanges: (changes: readonly MemberChange[], settled: boolean) => void;
  readonly onReject?: (reason: HeartbeatRejectReason, from: PeerAddress) => void;
  readonly onError?: (error: Error) => void;
};

export type UdpHeartbeats = {
  /** The bound port. */
  readonly port: number;
  /** Resolves once the socket is closed after abort. */
  readonly stopped: Promise<void>;
};

/** A fresh random incarnation for this process start. */
export const randomIncarnation = (): bigint => randomBytes(8).readBigUInt64BE();

function bind(socket: Socket, at: PeerAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(at.port, at.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

/** Binds, then heartbeats until `signal` aborts. */
export async function startUdpHeartbeats(o: UdpHeartbeatOptions): Promise<UdpHeartbeats> {
  const socket = createSocket({ type: isIPv6(o.bind.host) ? 'udp6' : 'udp4' });
  await bind(socket, o.bind);
  const port = socket.address().port;
  const report = (e: Error | null): void => { if (e !== null) o.onError?.(e); };
  socket.on('error', report);
  socket.on('message', (msg, rinfo) => {
    const from = { host: rinfo.address, port: rinfo.port };
    const verdict = o.membership.onPacket(msg, from, o.clock());
    if (!verdict.accepted) o.onReject?.(verdict.reason, from);
    else if (verdict.changes.length > 0) o.onChanges(verdict.changes, o.membership.settled(o.clock()));
  });
  let timer: NodeJS.Timeout | undefined;
  const wake = (): void => {
    const now = o.clock();
    const r = o.membership.tick(now);
    for (const p of r.packets) socket.send(p.bytes, p.to.port, p.to.host, report);
    if (r.changes.length > 0) o.onChanges(r.changes, r.settled);
    // Through setImmediate: libuv runs due timers before it polls sockets, so a late timer would
    // otherwise judge peers before reading the heartbeats that are already waiting.
    timer = setTimeout(() => setImmediate(wake), Math.max(0, r.nextWakeAt - now));
  };
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      clearTimeout(timer);
      socket.close(() => resolve());
    };
    if (o.signal.aborted) stop();
    else o.signal.addEventListener('abort', stop, { once: true });
  });
  if (!o.signal.aborted) wake();
  return { port, stopped };
}
