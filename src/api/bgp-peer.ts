// The BGPPeer kind, v1beta2 and the deprecated v1beta1 (converted field by field): who to
// peer with, ASNs, timers, authentication, BFD and VRF. Cross-peer rules are in bgp-peer-rules.ts.

import { parseIP, type IP } from '../net/ip.ts';
import { formatDuration, parseDuration } from './duration.ts';
import type { BGPPeer, PeerPassword, PeerTarget, PeerTimers, RemoteASN } from './model.ts';
import { interfaceNameProblem, objectNameProblem, passwordProblem } from './names.ts';
import { readSelectorList } from './selector.ts';
import { fail, readBool, readInt, readRecord, readString, show, warn, warnUnknownFields, type Reader, type WireRecord } from './wire.ts';

const v1beta1Fields = ['myASN', 'peerASN', 'peerAddress', 'sourceAddress', 'peerPort', 'holdTime', 'keepaliveTime', 'routerID', 'nodeSelectors', 'password', 'bfdProfile', 'ebgpMultiHop'];
const v1beta2Fields = [...v1beta1Fields, 'dynamicASN', 'localASN', 'interface', 'connectTime', 'passwordSecret', 'enableGracefulRestart', 'vrf', 'disableMP', 'dualStackAddressFamily'];

const maxASN = 0xffff_ffff;

function readIP(r: Reader, spec: WireRecord, key: string): IP | null | undefined {
  const text = readString(r, spec[key], `spec.${key}`);
  if (text === undefined || text === '') return null;
  const ip = parseIP(text);
  if (!ip.ok) fail(r, `spec.${key}`, ip.error);
  return ip.ok ? ip.value : undefined;
}

function readRemoteASN(r: Reader, spec: WireRecord): RemoteASN | undefined {
  const asn = readInt(r, spec['peerASN'], 'spec.peerASN', 0, maxASN) ?? 0;
  const dynamic = readString(r, spec['dynamicASN'], 'spec.dynamicASN') ?? '';
  if (dynamic !== '' && dynamic !== 'internal' && dynamic !== 'external') {
    fail(r, 'spec.dynamicASN', `${show(dynamic)} is not allowed; use "internal" or "external"`);
    return undefined;
  }
  if (asn !== 0 && dynamic !== '') fail(r, 'spec.dynamicASN', 'peerASN and dynamicASN are mutually exclusive; set only one');
  else if (asn === 0 && dynamic === '') fail(r, 'spec.peerASN', 'missing peer ASN: set peerASN or dynamicASN');
  else return dynamic === '' ? { kind: 'number', asn } : { kind: dynamic };
  return undefined;
}

function readTarget(r: Reader, spec: WireRecord): PeerTarget | undefined {
  const address = readIP(r, spec, 'peerAddress');
  const iface = readString(r, spec['interface'], 'spec.interface') ?? '';
  if (address === undefined) return undefined;
  if (address !== null && iface !== '') fail(r, 'spec.interface', 'peerAddress and interface are mutually exclusive; set only one');
  else if (address === null && iface === '') fail(r, 'spec.peerAddress', 'missing peer: set peerAddress or interface');
  else if (address !== null) return { kind: 'address', address };
  else {
    const problem = interfaceNameProblem(iface);
    if (problem === null) return { kind: 'interface', name: iface };
    fail(r, 'spec.interface', `${JSON.stringify(iface)} is not an interface name: ${problem}`);
  }
  return undefined;
}

function readDurationMs(r: Reader, spec: WireRecord, key: string): number | undefined {
  const text = readString(r, spec[key], `spec.${key}`);
  if (text === undefined) return undefined;
  const d = parseDuration(text);
  if (!d.ok) fail(r, `spec.${key}`, d.error);
  else if (d.value < 0) fail(r, `spec.${key}`, `${show(text)} must not be negative`);
  else return d.value;
  return undefined;
}

/**
 * MetalLB's parseTimers: only hold -> keepalive = hold/3; only keepalive -> hold = 3x;
 * keepalive <= hold; hold (truncated to seconds) 0 or >= 3s. `bad` is set on a reported error.
 */
function readTimers(r: Reader, spec: WireRecord): PeerTimers | null | 'bad' {
  const before = r.issues.errors.length;
  const hold = readDurationMs(r, spec, 'holdTime');
  const keepalive = readDurationMs(r, spec, 'keepaliveTime');
  if (r.issues.errors.length > before) return 'bad';
  if (hold === undefined && keepalive === undefined) return null;
  const holdMs = hold ?? (keepalive ?? 0) * 3;
  const keepaliveMs = keepalive ?? Math.floor(holdMs / 3);
  const holdField = hold === undefined ? 'spec.keepaliveTime' : 'spec.holdTime';
  if (keepaliveMs > holdMs) {
    fail(r, 'spec.keepaliveTime', `keepaliveTime ${formatDuration(keepaliveMs)} must not be longer than holdTime ${formatDuration(holdMs)}`);
    return 'bad';
  }
  const holdSeconds = Math.floor(holdMs / 1000);
  if (holdSeconds !== 0 && holdSeconds < 3) {
    fail(r, holdField, `hold time ${formatDuration(holdMs)} is invalid: it must be 0 or at least 3s`);
    return 'bad';
  }
  return { holdSeconds, keepaliveSeconds: Math.floor(keepaliveMs / 1000) };
}

function readConnectTime(r: Reader, spec: WireRecord): number | null {
  const ms = readDurationMs(r, spec, 'connectTime');
  if (ms === undefined) return null;
  if (ms < 1000 || ms > 65535_000 || ms % 1000 !== 0) {
    fail(r, 'spec.connectTime', `${formatDuration(ms)} is invalid: connectTime must be whole seconds between 1s and 65535s`);
    return null;
  }
  return ms / 1000;
}

function readPassword(r: Reader, spec: WireRecord, namespace: string): PeerPassword {
  const password = readString(r, spec['password'], 'spec.password') ?? '';
  const secret = readRecord(r, spec['passwordSecret'], 'spec.passwordSecret');
  if (password !== '' && secret !== undefined) {
    fail(r, 'spec.passwordSecret', 'password and passwordSecret are mutually exclusive; set only one');
  } else if (password !== '') {
    const problem = passwordProblem(password);
    if (problem === null) return { kind: 'inline', value: password };
    fail(r, 'spec.password', `the password ${problem} (FRR takes it as a single token)`);
  } else if (secret !== undefined) {
    warnUnknownFields(r, secret, 'spec.passwordSecret', ['name', 'namespace']);
    const name = readString(r, secret['name'], 'spec.passwordSecret.name') ?? '';
    const ns = readString(r, secret['namespace'], 'spec.passwordSecret.namespace') ?? namespace;
    const problem = objectNameProblem(name);
    if (problem === null) return { kind: 'secret', namespace: ns, name };
    fail(r, 'spec.passwordSecret.name', `${JSON.stringify(name)} is not a Secret name: ${problem}`);
  }
  return { kind: 'none' };
}

function readOptionalName(r: Reader, spec: WireRecord, key: string, check: (s: string) => string | null): string | null {
  const text = readString(r, spec[key], `spec.${key}`) ?? '';
  if (text === '') return null;
  const problem = check(text);
  if (problem !== null) fail(r, `spec.${key}`, `${JSON.stringify(text)} is not a valid ${key}: ${problem}`);
  return problem === null ? text : null;
}

/** Reads a peer of either version; undefined when an error leaves it unusable. */
export function readPeer(r: Reader, name: string, namespace: string, raw: WireRecord, version: 'v1beta1' | 'v1beta2'): BGPPeer | undefined {
  const known = version === 'v1beta1' ? v1beta1Fields : v1beta2Fields;
  warnUnknownFields(r, raw, 'spec', known);
  // The conversion webhook maps v1beta1 fields 1:1; anything else is pruned, as the API server would.
  const spec = Object.fromEntries(Object.entries(raw).filter(([k]) => known.includes(k)));
  const before = r.issues.errors.length;
  const myASN = readInt(r, spec['myASN'], 'spec.myASN', 0, maxASN);
  if (myASN === 0 || spec['myASN'] === undefined) fail(r, 'spec.myASN', 'missing local ASN: myASN is required and must not be 0');
  const remoteASN = readRemoteASN(r, spec);
  const ebgpMultiHop = readBool(r, spec['ebgpMultiHop'], 'spec.ebgpMultiHop') ?? false;
  if (ebgpMultiHop && remoteASN?.kind === 'number' && remoteASN.asn === myASN) {
    fail(r, 'spec.ebgpMultiHop', 'ebgpMultiHop is set but peerASN equals myASN (an iBGP session)');
  }
  if (readBool(r, spec['disableMP'], 'spec.disableMP') === true) warn(r, 'spec.disableMP', 'disableMP is deprecated and has no effect');
  const localASN = readInt(r, spec['localASN'], 'spec.localASN', 1, maxASN) ?? null;
  const target = readTarget(r, spec);
  const sourceAddress = readIP(r, spec, 'sourceAddress');
  // v1beta1 allowed port 0, meaning the default.
  const port = readInt(r, spec['peerPort'], 'spec.peerPort', version === 'v1beta1' ? 0 : 1, 16384) || 179;
  const timers = readTimers(r, spec);
  const connectTimeSeconds = readConnectTime(r, spec);
  const routerID = readIP(r, spec, 'routerID');
  const rest = {
    nodeSelectors: readSelectorList(r, spec['nodeSelectors'], 'spec.nodeSelectors'),
    password: readPassword(r, spec, namespace),
    bfdProfile: readOptionalName(r, spec, 'bfdProfile', objectNameProblem),
    gracefulRestart: readBool(r, spec['enableGracefulRestart'], 'spec.enableGracefulRestart') ?? false,
    ebgpMultiHop,
    vrf: readOptionalName(r, spec, 'vrf', interfaceNameProblem),
    dualStackAddressFamily: readBool(r, spec['dualStackAddressFamily'], 'spec.dualStackAddressFamily') ?? false,
  };
  if (r.issues.errors.length > before || myASN === undefined || remoteASN === undefined || target === undefined) return undefined;
  if (sourceAddress === undefined || routerID === undefined || timers === 'bad') return undefined;
  return { name, myASN, remoteASN, localASN, target, sourceAddress, port, timers, connectTimeSeconds, routerID, ...rest };
}

