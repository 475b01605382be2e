// Decodes FRR 10.x `show bfd peers json` and `show bfd peers counters json` (both arrays of
// sessions, every VRF, keys in kebab-case) into BfdSession records. Pure; never throws.

import { z } from 'zod';
import { ok, type Result } from '../../../core/result.ts';
import { byText, describeIssues, failure, optBoolean, optNumber, optString, type DecodeFailure } from './decode-shared.ts';
import { bfdKey, type BfdCounters, type BfdSession, type BfdTimers } from './snapshot.ts';

/** What identifies a session in both documents; `local` and `interface` are absent while unresolved. */
const identity = {
  peer: z.string(),
  vrf: optString,
  local: optString,
  interface: optString,
  multihop: optBoolean,
};

const peerSchema = z.object({
  ...identity,
  status: z.string(),
  uptime: optNumber,
  downtime: optNumber,
  diagnostic: optString,
  'remote-diagnostic': optString,
  'receive-interval': optNumber,
  'transmit-interval': optNumber,
  'echo-receive-interval': optNumber,
  'echo-transmit-interval': optNumber,
  'detect-multiplier': optNumber,
  'remote-receive-interval': optNumber,
  'remote-transmit-interval': optNumber,
  'remote-echo-receive-interval': optNumber,
  'remote-detect-multiplier': optNumber,
});

const countersSchema = z.object({
  ...identity,
  'control-packet-input': optNumber,
  'control-packet-output': optNumber,
  'echo-packet-input': optNumber,
  'echo-packet-output': optNumber,
  'session-up': optNumber,
  'session-down': optNumber,
  'zebra-notifications': optNumber,
});

type Identity = Pick<BfdSession, 'vrf' | 'peer' | 'local' | 'interface' | 'multihop'>;
type RawIdentity = { peer: string; vrf?: string | undefined; local?: string | undefined; interface?: string | undefined; multihop?: boolean | undefined };

const toIdentity = (r: RawIdentity): Identity => ({
  vrf: r.vrf ?? 'default',
  peer: r.peer,
  local: r.local ?? null,
  interface: r.interface ?? null,
  multihop: r.multihop ?? false,
});

/** Parses every element of a JSON array with `schema`, or names the first element that does not fit. */
function parseArray<T>(json: unknown, schema: z.ZodType<T>, what: string): Result<T[], DecodeFailure> {
  if (!Array.isArray(json)) return failure(`(${what})`, 'expected an array of sessions');
  const out: T[] = [];
  for (const [i, item] of json.entries()) {
    const parsed = schema.safeParse(item);
    if (!parsed.success) return failure(`${what}[${i}]`, describeIssues(parsed.error));
    out.push(parsed.data);
  }
  return ok(out);
}

/** Reads both documents and joins the counters to their sessions; sorted by bfdKey. */
export function decodeBfdPeers(peersJson: unknown, countersJson: unknown): Result<readonly BfdSession[], DecodeFailure> {
  const peers = parseArray(peersJson, peerSchema, 'peers');
  if (!peers.ok) return peers;
  const counters = parseArray(countersJson, countersSchema, 'counters');
  if (!counters.ok) return counters;
  const countersByKey = new Map(counters.value.map((c) => [bfdKey(toIdentity(c)), toCounters(c)]));
  const sessions = peers.value.map((p): BfdSession => {
    const id = toIdentity(p);
    const up = p.status === 'up';
    return {
      ...id,
      status: p.status,
      up,
      statusSeconds: (up ? p.uptime : p.downtime) ?? null,
      diagnostic: p.diagnostic ?? null,
      remoteDiagnostic: p['remote-diagnostic'] ?? null,
      timers: toTimers(p),
      counters: countersByKey.get(bfdKey(id)) ?? null,
    };
  });
  sessions.sort((a, b) => byText(bfdKey(a), bfdKey(b)));
  return ok(sessions);
}

function toTimers(p: z.infer<typeof peerSchema>): BfdTimers {
  return {
    receiveMs: p['receive-interval'] ?? null,
    transmitMs: p['transmit-interval'] ?? null,
    echoReceiveMs: p['echo-receive-interval'] ?? null,
    echoTransmitMs: p['echo-transmit-interval'] ?? null,
    detectMultiplier: p['detect-multiplier'] ?? null,
    remoteReceiveMs: p['remote-receive-interval'] ?? null,
    remoteTransmitMs: p['remote-transmit-interval'] ?? null,
    remoteEchoReceiveMs: p['remote-echo-receive-interval'] ?? null,
    remoteDetectMultiplier: p['remote-detect-multiplier'] ?? null,
  };
}

function toCounters(c: z.infer<typeof countersSchema>): BfdCounters {
  return {
    controlPacketInput: c['control-packet-input'] ?? 0,
    controlPacketOutput: c['control-packet-output'] ?? 0,
    echoPacketInput: c['echo-packet-input'] ?? 0,
    echoPacketOutput: c['echo-packet-output'] ?? 0,
    sessionUpEvents: c['session-up'] ?? 0,
    sessionDownEvents: c['session-down'] ?? 0,
    zebraNotifications: c['zebra-notifications'] ?? 0,
  };
}
