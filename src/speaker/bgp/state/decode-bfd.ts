// Decodes FRR 10.x `show bfd peers json` and `show bfd peers counters json` (both arrays of
// sessions, every VRF, keys in kebab-case) into BfdSession records. Pure; never throws.

import { ok, type Result } from '../../../core/result.ts';
import { byText, failure, isPlainObject, missingString, optBoolean, optNumber, optString, type DecodeFailure } from './decode-shared.ts';
import { bfdKey, type BfdCounters, type BfdSession, type BfdTimers } from './snapshot.ts';

type Raw = Readonly<Record<string, unknown>>;
type Identity = Pick<BfdSession, 'vrf' | 'peer' | 'local' | 'interface' | 'multihop'>;

/** What identifies a session in both documents; `local` and `interface` are absent while unresolved. */
const toIdentity = (r: Raw, peer: string): Identity => ({
  vrf: optString(r['vrf']) ?? 'default',
  peer,
  local: optString(r['local']) ?? null,
  interface: optString(r['interface']) ?? null,
  multihop: optBoolean(r['multihop']) ?? false,
});

/**
 * Every element of a JSON array as an object with its required string fields, or the first
 * element that does not fit, named.
 */
function readArray(json: unknown, required: readonly string[], what: string): Result<Raw[], DecodeFailure> {
  if (!Array.isArray(json)) return failure(`(${what})`, 'expected an array of sessions');
  const out: Raw[] = [];
  for (const [i, item] of json.entries()) {
    if (!isPlainObject(item)) return failure(`${what}[${i}]`, 'expected an object');
    const missing = required.find((f) => typeof item[f] !== 'string');
    if (missing !== undefined) return failure(`${what}[${i}]`, missingString(missing, item[missing]));
    out.push(item);
  }
  return ok(out);
}

/** Reads both documents and joins the counters to their sessions; sorted by bfdKey. */
export function decodeBfdPeers(peersJson: unknown, countersJson: unknown): Result<readonly BfdSession[], DecodeFailure> {
  const peers = readArray(peersJson, ['peer', 'status'], 'peers');
  if (!peers.ok) return peers;
  const counters = readArray(countersJson, ['peer'], 'counters');
  if (!counters.ok) return counters;
  const countersByKey = new Map(counters.value.map((c) => [bfdKey(toIdentity(c, c['peer'] as string)), toCounters(c)]));
  const sessions = peers.value.map((p): BfdSession => {
    const id = toIdentity(p, p['peer'] as string);
    const status = p['status'] as string;
    const up = status === 'up';
    return {
      ...id,
      status,
      up,
      statusSeconds: optNumber(up ? p['uptime'] : p['downtime']) ?? null,
      diagnostic: optString(p['diagnostic']) ?? null,
      remoteDiagnostic: optString(p['remote-diagnostic']) ?? null,
      timers: toTimers(p),
      counters: countersByKey.get(bfdKey(id)) ?? null,
    };
  });
  sessions.sort((a, b) => byText(bfdKey(a), bfdKey(b)));
  return ok(sessions);
}

function toTimers(p: Raw): BfdTimers {
  const ms = (field: string): number | null => optNumber(p[field]) ?? null;
  return {
    receiveMs: ms('receive-interval'),
    transmitMs: ms('transmit-interval'),
    echoReceiveMs: ms('echo-receive-interval'),
    echoTransmitMs: ms('echo-transmit-interval'),
    detectMultiplier: ms('detect-multiplier'),
    remoteReceiveMs: ms('remote-receive-interval'),
    remoteTransmitMs: ms('remote-transmit-interval'),
    remoteEchoReceiveMs: ms('remote-echo-receive-interval'),
    remoteDetectMultiplier: ms('remote-detect-multiplier'),
  };
}

function toCounters(c: Raw): BfdCounters {
  const count = (field: string): number => optNumber(c[field]) ?? 0;
  return {
    controlPacketInput: count('control-packet-input'),
    controlPacketOutput: count('control-packet-output'),
    echoPacketInput: count('echo-packet-input'),
    echoPacketOutput: count('echo-packet-output'),
    sessionUpEvents: count('session-up'),
    sessionDownEvents: count('session-down'),
    zebraNotifications: count('zebra-notifications'),
  };
}
