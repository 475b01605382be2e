// The BFDProfile kind: BFD session parameters (RFC 5880) a BGPPeer can refer to by name.

import type { BFDProfile } from './model.ts';
import { readBool, readInt, warnUnknownFields, type Reader, type WireRecord } from './wire.ts';

const fields = ['receiveInterval', 'transmitInterval', 'detectMultiplier', 'echoInterval', 'echoMode', 'passiveMode', 'minimumTtl'];

/** Intervals in milliseconds, 10..60000; detectMultiplier 2..255; minimumTtl 1..254. */
export function readBFDProfile(r: Reader, name: string, spec: WireRecord): BFDProfile {
  warnUnknownFields(r, spec, 'spec', fields);
  const interval = (key: string): number | null => readInt(r, spec[key], `spec.${key}`, 10, 60000) ?? null;
  return {
    name,
    receiveIntervalMs: interval('receiveInterval'),
    transmitIntervalMs: interval('transmitInterval'),
    detectMultiplier: readInt(r, spec['detectMultiplier'], 'spec.detectMultiplier', 2, 255) ?? null,
    echoIntervalMs: interval('echoInterval'),
    echoMode: readBool(r, spec['echoMode'], 'spec.echoMode') ?? false,
    passiveMode: readBool(r, spec['passiveMode'], 'spec.passiveMode') ?? false,
    minimumTtl: readInt(r, spec['minimumTtl'], 'spec.minimumTtl', 1, 254) ?? null,
  };
}
