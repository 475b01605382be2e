// Builders of session records for the state tests: a plausible default, overridden per row.

import { parseIP } from '../../../net/ip.ts';
import type { BfdCounters, BfdSession, BgpMessageCounters, BgpSession } from './snapshot.ts';

export const noMessages: BgpMessageCounters = {
  opensSent: 0, opensReceived: 0, notificationsSent: 0, notificationsReceived: 0, updatesSent: 0, updatesReceived: 0,
  keepalivesSent: 0, keepalivesReceived: 0, routeRefreshSent: 0, routeRefreshReceived: 0, totalSent: 0, totalReceived: 0,
};

export function aSession(over: Partial<BgpSession> = {}): BgpSession {
  const state = over.state ?? 'Active';
  const address = parseIP(over.peer ?? '192.0.2.1');
  return {
    vrf: 'default',
    peer: '192.0.2.1',
    address: address.ok ? address.value : null,
    state,
    established: state === 'Established',
    remoteAs: 64500,
    localAs: 64512,
    uptimeMs: null,
    establishedEpoch: null,
    connectionsEstablished: 0,
    connectionsDropped: 0,
    messages: noMessages,
    prefixes: [],
    prefixesSent: 0,
    prefixesReceived: 0,
    lastReset: null,
    bfdStatus: null,
    tcpMd5: false,
    ...over,
  };
}

export const bfdCounters = (over: Partial<BfdCounters> = {}): BfdCounters => ({
  controlPacketInput: 0, controlPacketOutput: 0, echoPacketInput: 0, echoPacketOutput: 0,
  sessionUpEvents: 0, sessionDownEvents: 0, zebraNotifications: 0, ...over,
});

export function aBfdSession(over: Partial<BfdSession> = {}): BfdSession {
  const status = over.status ?? 'down';
  return {
    vrf: 'default',
    peer: '192.0.2.1',
    local: '192.0.2.11',
    interface: 'eth0',
    multihop: false,
    status,
    up: status === 'up',
    statusSeconds: 1,
    diagnostic: 'ok',
    remoteDiagnostic: 'ok',
    timers: {
      receiveMs: 300, transmitMs: 300, echoReceiveMs: 50, echoTransmitMs: 0, detectMultiplier: 3,
      remoteReceiveMs: 300, remoteTransmitMs: 300, remoteEchoReceiveMs: 50, remoteDetectMultiplier: 3,
    },
    counters: bfdCounters(),
    ...over,
  };
}
