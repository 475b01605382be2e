// Decodes FRR 10.x `show bgp vrf all neighbors json` into BgpSession records. Pure; never throws:
// a document it cannot use is a DecodeFailure, fields it does not know are ignored.
//
// Shape (FRR 10.3, see testdata/README.md): { VRF: { "vrfId": 0, "vrfName": "default", PEER: {…} } }.
// Peer objects sit beside the scalar vrfId/vrfName keys, so the scalars are skipped by type.

import { z } from 'zod';
import { ok, type Result } from '../../../core/result.ts';
import { parseIP } from '../../../net/ip.ts';
import { byText, describeIssues, failure, isPlainObject, optNumber, optString, type DecodeFailure } from './decode-shared.ts';
import { ESTABLISHED, type AfPrefixes, type BgpLastReset, type BgpMessageCounters, type BgpSession } from './snapshot.ts';

const messageStatsSchema = z.object({
  opensSent: optNumber,
  opensRecv: optNumber,
  notificationsSent: optNumber,
  notificationsRecv: optNumber,
  updatesSent: optNumber,
  updatesRecv: optNumber,
  keepalivesSent: optNumber,
  keepalivesRecv: optNumber,
  routeRefreshSent: optNumber,
  routeRefreshRecv: optNumber,
  totalSent: optNumber,
  totalRecv: optNumber,
});

const afInfoSchema = z.object({ acceptedPrefixCounter: optNumber, sentPrefixCounter: optNumber });

const neighborSchema = z.object({
  bgpState: z.string(),
  remoteAs: optNumber,
  localAs: optNumber,
  bgpTimerUpMsec: optNumber,
  bgpTimerUpEstablishedEpoch: optNumber,
  connectionsEstablished: optNumber,
  connectionsDropped: optNumber,
  messageStats: messageStatsSchema.optional().catch(undefined),
  addressFamilyInfo: z.record(z.string(), afInfoSchema.catch({})).optional().catch(undefined),
  lastResetDueTo: optString,
  lastResetCode: optNumber,
  lastNotificationReason: optString,
  lastErrorCodeSubcode: optString,
  lastShutdownDescription: optString,
  peerBfdInfo: z.object({ status: optString }).optional().catch(undefined),
  // 1 when the neighbor has a password; FRR 10.3 leaves the key out otherwise.
  authenticationEnabled: optNumber,
});

type RawNeighbor = z.infer<typeof neighborSchema>;

/** Reads `show bgp vrf all neighbors json`; sessions come sorted by vrf, then peer. */
export function decodeBgpNeighbors(json: unknown): Result<readonly BgpSession[], DecodeFailure> {
  if (!isPlainObject(json)) return failure('(document)', 'expected an object keyed by VRF name');
  const sessions: BgpSession[] = [];
  for (const [vrf, body] of Object.entries(json)) {
    if (!isPlainObject(body)) return failure(vrf, 'expected an object of neighbors');
    for (const [key, raw] of Object.entries(body)) {
      // vrfId, vrfName (and any other scalar FRR adds) sit beside the neighbors.
      if (!isPlainObject(raw)) continue;
      const parsed = neighborSchema.safeParse(raw);
      if (!parsed.success) return failure(`${vrf}/${key}`, describeIssues(parsed.error));
      sessions.push(toSession(vrf, key, parsed.data));
    }
  }
  sessions.sort((a, b) => byText(a.vrf, b.vrf) || byText(a.peer, b.peer));
  return ok(sessions);
}

function toSession(vrf: string, key: string, n: RawNeighbor): BgpSession {
  const address = parseIP(key);
  const established = n.bgpState === ESTABLISHED;
  const prefixes = afPrefixes(n);
  return {
    vrf,
    peer: address.ok ? address.value : key,
    address: address.ok ? address.value : null,
    state: n.bgpState,
    established,
    remoteAs: n.remoteAs ?? null,
    localAs: n.localAs ?? null,
    uptimeMs: established ? (n.bgpTimerUpMsec ?? null) : null,
    establishedEpoch: established ? (n.bgpTimerUpEstablishedEpoch ?? null) : null,
    connectionsEstablished: n.connectionsEstablished ?? 0,
    connectionsDropped: n.connectionsDropped ?? 0,
    messages: messageCounters(n.messageStats ?? {}),
    prefixes,
    prefixesSent: prefixes.reduce((sum, p) => sum + p.sent, 0),
    prefixesReceived: prefixes.reduce((sum, p) => sum + p.received, 0),
    lastReset: lastReset(n),
    bfdStatus: n.peerBfdInfo?.status ?? null,
    tcpMd5: (n.authenticationEnabled ?? 0) !== 0,
  };
}

function afPrefixes(n: RawNeighbor): AfPrefixes[] {
  return Object.entries(n.addressFamilyInfo ?? {})
    .map(([af, info]) => ({ af, sent: info.sentPrefixCounter ?? 0, received: info.acceptedPrefixCounter ?? 0 }))
    .sort((a, b) => byText(a.af, b.af));
}

function messageCounters(m: z.infer<typeof messageStatsSchema>): BgpMessageCounters {
  return {
    opensSent: m.opensSent ?? 0,
    opensReceived: m.opensRecv ?? 0,
    notificationsSent: m.notificationsSent ?? 0,
    notificationsReceived: m.notificationsRecv ?? 0,
    updatesSent: m.updatesSent ?? 0,
    updatesReceived: m.updatesRecv ?? 0,
    keepalivesSent: m.keepalivesSent ?? 0,
    keepalivesReceived: m.keepalivesRecv ?? 0,
    routeRefreshSent: m.routeRefreshSent ?? 0,
    routeRefreshReceived: m.routeRefreshRecv ?? 0,
    totalSent: m.totalSent ?? 0,
    totalReceived: m.totalRecv ?? 0,
  };
}

/** FRR prints `"lastReset":"never"` instead of the lastReset* keys until the first reset. */
function lastReset(n: RawNeighbor): BgpLastReset | null {
  if (n.lastResetDueTo === undefined) return null;
  return {
    dueTo: n.lastResetDueTo,
    code: n.lastResetCode ?? null,
    notification: n.lastNotificationReason ?? null,
    errorCodeSubcode: n.lastErrorCodeSubcode ?? null,
    shutdownMessage: n.lastShutdownDescription ?? null,
  };
}

/** One line for logs: `BGP Notification received: Cease/Administrative Shutdown (maintenance)`. */
export function describeLastReset(r: BgpLastReset): string {
  const notification = r.notification === null ? '' : `: ${r.notification}`;
  const message = r.shutdownMessage === null || r.shutdownMessage === '' ? '' : ` (${r.shutdownMessage})`;
  return `${r.dueTo}${notification}${message}`;
}
