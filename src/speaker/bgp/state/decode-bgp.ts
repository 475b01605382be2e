// Decodes FRR 10.x `show bgp vrf all neighbors json` into BgpSession records. Pure; never throws:
// a document it cannot use is a DecodeFailure, fields it does not know are ignored.
//
// Shape (FRR 10.3, see testdata/README.md): { VRF: { "vrfId": 0, "vrfName": "default", PEER: {…} } }.
// Peer objects sit beside the scalar vrfId/vrfName keys, so the scalars are skipped by type.

import { ok, type Result } from '../../../core/result.ts';
import { parseIP } from '../../../net/ip.ts';
import { byText, failure, isPlainObject, missingString, optNumber, optObject, optString, type DecodeFailure } from './decode-shared.ts';
import { ESTABLISHED, type AfPrefixes, type BgpLastReset, type BgpMessageCounters, type BgpSession } from './snapshot.ts';

type Raw = Readonly<Record<string, unknown>>;

/** Reads `show bgp vrf all neighbors json`; sessions come sorted by vrf, then peer. */
export function decodeBgpNeighbors(json: unknown): Result<readonly BgpSession[], DecodeFailure> {
  if (!isPlainObject(json)) return failure('(document)', 'expected an object keyed by VRF name');
  const sessions: BgpSession[] = [];
  for (const [vrf, body] of Object.entries(json)) {
    if (!isPlainObject(body)) return failure(vrf, 'expected an object of neighbors');
    for (const [key, raw] of Object.entries(body)) {
      // vrfId, vrfName (and any other scalar FRR adds) sit beside the neighbors.
      if (!isPlainObject(raw)) continue;
      const state = raw['bgpState'];
      if (typeof state !== 'string') return failure(`${vrf}/${key}`, missingString('bgpState', state));
      sessions.push(toSession(vrf, key, state, raw));
    }
  }
  sessions.sort((a, b) => byText(a.vrf, b.vrf) || byText(a.peer, b.peer));
  return ok(sessions);
}

function toSession(vrf: string, key: string, state: string, n: Raw): BgpSession {
  const address = parseIP(key);
  const established = state === ESTABLISHED;
  const prefixes = afPrefixes(n);
  return {
    vrf,
    peer: address.ok ? address.value : key,
    address: address.ok ? address.value : null,
    state,
    established,
    remoteAs: optNumber(n['remoteAs']) ?? null,
    localAs: optNumber(n['localAs']) ?? null,
    uptimeMs: established ? (optNumber(n['bgpTimerUpMsec']) ?? null) : null,
    establishedEpoch: established ? (optNumber(n['bgpTimerUpEstablishedEpoch']) ?? null) : null,
    connectionsEstablished: optNumber(n['connectionsEstablished']) ?? 0,
    connectionsDropped: optNumber(n['connectionsDropped']) ?? 0,
    messages: messageCounters(optObject(n['messageStats'])),
    prefixes,
    prefixesSent: prefixes.reduce((sum, p) => sum + p.sent, 0),
    prefixesReceived: prefixes.reduce((sum, p) => sum + p.received, 0),
    lastReset: lastReset(n),
    bfdStatus: optString(optObject(n['peerBfdInfo'])['status']) ?? null,
    // 1 when the neighbor has a password; FRR 10.3 leaves the key out otherwise.
    tcpMd5: (optNumber(n['authenticationEnabled']) ?? 0) !== 0,
  };
}

function afPrefixes(n: Raw): AfPrefixes[] {
  return Object.entries(optObject(n['addressFamilyInfo']))
    .map(([af, raw]) => {
      const info = optObject(raw);
      return { af, sent: optNumber(info['sentPrefixCounter']) ?? 0, received: optNumber(info['acceptedPrefixCounter']) ?? 0 };
    })
    .sort((a, b) => byText(a.af, b.af));
}

function messageCounters(m: Raw): BgpMessageCounters {
  const count = (field: string): number => optNumber(m[field]) ?? 0;
  return {
    opensSent: count('opensSent'),
    opensReceived: count('opensRecv'),
    notificationsSent: count('notificationsSent'),
    notificationsReceived: count('notificationsRecv'),
    updatesSent: count('updatesSent'),
    updatesReceived: count('updatesRecv'),
    keepalivesSent: count('keepalivesSent'),
    keepalivesReceived: count('keepalivesRecv'),
    routeRefreshSent: count('routeRefreshSent'),
    routeRefreshReceived: count('routeRefreshRecv'),
    totalSent: count('totalSent'),
    totalReceived: count('totalRecv'),
  };
}

/** FRR prints `"lastReset":"never"` instead of the lastReset* keys until the first reset. */
function lastReset(n: Raw): BgpLastReset | null {
  const dueTo = optString(n['lastResetDueTo']);
  if (dueTo === undefined) return null;
  return {
    dueTo,
    code: optNumber(n['lastResetCode']) ?? null,
    notification: optString(n['lastNotificationReason']) ?? null,
    errorCodeSubcode: optString(n['lastErrorCodeSubcode']) ?? null,
    shutdownMessage: optString(n['lastShutdownDescription']) ?? null,
  };
}

/** One line for logs: `BGP Notification received: Cease/Administrative Shutdown (maintenance)`. */
export function describeLastReset(r: BgpLastReset): string {
  const notification = r.notification === null ? '' : `: ${r.notification}`;
  const message = r.shutdownMessage === null || r.shutdownMessage === '' ? '' : ` (${r.shutdownMessage})`;
  return `${r.dueTo}${notification}${message}`;
}
