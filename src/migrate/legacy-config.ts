// MetalLB's legacy ConfigMap (<= 0.12: YAML under data.config with address-pools, peers,
// bgp-communities, bfd-profiles) -> barelb objects, named as MetalLB's own converter named them.

import { parseDocument } from 'yaml';
import { at, index, isRecord, show, type WireRecord } from '../api/wire.ts';
import { legacyPoolObjects, newObject, type LegacyContext } from './legacy-pools.ts';
import { claimNumbered, claimUnique, objectName } from './names.ts';
import { note } from './notes.ts';
import { copy } from './objects.ts';

const topKeys = ['address-pools', 'peers', 'bgp-communities', 'bfd-profiles'];

/** Rewrites one legacy value as a CRD field, or drops it (null). */
type Special = (value: unknown, path: string) => readonly [string, unknown] | null;
/** Legacy key -> CRD field (value copied verbatim, for `barelb plan` to validate), a Special, or null: the caller handles it. */
type KeyMap = Readonly<Record<string, string | Special | null>>;
const poolKeys: KeyMap = { name: null, protocol: null, 'bgp-advertisements': null, addresses: 'addresses', 'avoid-buggy-ips': 'avoidBuggyIPs', 'auto-assign': 'autoAssign' };
const adKeys: KeyMap = { 'aggregation-length': 'aggregationLength', 'aggregation-length-v6': 'aggregationLengthV6', localpref: 'localPref', communities: 'communities' };
const bfdKeys: KeyMap = {
  name: null, 'receive-interval': 'receiveInterval', 'transmit-interval': 'transmitInterval', 'detect-multiplier': 'detectMultiplier',
  'echo-interval': 'echoInterval', 'echo-mode': 'echoMode', 'passive-mode': 'passiveMode', 'minimum-ttl': 'minimumTtl',
};
const requirementKeys: KeyMap = { key: 'key', operator: 'operator', values: 'values' };

/** The configuration text as a mapping, or null when it is not YAML or not a mapping. */
export function parseLegacyConfig(text: string): WireRecord | null {
  try {
    const doc = parseDocument(text);
    if (doc.errors.length > 0) return null;
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    return isRecord(value) ? value : null;
  } catch {
    return null; // alias bombs and the like: unreadable, never a crash
  }
}

/** Go's YAML decoder accepts a scalar where a string belongs; so do we. */
const scalarText = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;

/** The entry with CRD field names, in the order written; unknown keys are reported. */
function renameKeys(rec: WireRecord, keys: KeyMap, path: string, ctx: LegacyContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (k: string, v: unknown): void => void Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  for (const [key, value] of Object.entries(rec)) {
    const target = Object.hasOwn(keys, key) ? keys[key] : undefined;
    if (target === undefined) note(ctx.notes, 'unknown-field', ctx.ref, at(path, key), "not a key of MetalLB's ConfigMap configuration (MetalLB rejected unknown keys); left out");
    else if (typeof target === 'string') put(target, copy(value));
    else if (target !== null) {
      const field = target(value, at(path, key));
      if (field !== null) put(field[0], field[1]);
    }
  }
  return out;
}

/** The entries of a list-valued key; anything else is reported and read as empty. */
function entries(config: WireRecord, key: string, path: string, ctx: LegacyContext): { value: WireRecord; field: string }[] {
  const raw = config[key];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    note(ctx.notes, 'legacy-invalid', ctx.ref, at(path, key), `must be a list, not ${show(raw)} (MetalLB rejected it); left out`);
    return [];
  }
  return raw.flatMap((v: unknown, i) => {
    const field = index(at(path, key), i);
    if (isRecord(v)) return [{ value: v, field }];
    note(ctx.notes, 'legacy-invalid', ctx.ref, field, `${show(v)} is not an entry (MetalLB rejected it); left out`);
    return [];
  });
}

/** Reads an entry's name as an object name; null (reported) when it has none. */
function entryName(e: { value: WireRecord; field: string }, kind: string, fallback: string, ctx: LegacyContext): { name: string; original: string } | null {
  const original = scalarText(e.value['name']) ?? '';
  if (original === '') {
    note(ctx.notes, 'legacy-invalid', ctx.ref, at(e.field, 'name'), `a ${kind} needs a name (MetalLB rejected it); left out`);
    return null;
  }
  const named = objectName(ctx.names, kind, original, fallback);
  if (named.changed) {
    note(ctx.notes, 'name-changed', ctx.ref, at(e.field, 'name'), `${show(original)} is not a valid object name; written as ${show(named.name)}, and every reference to it with it`);
  }
  return { name: named.name, original };
}

type Renames = Map<string, string>;

function pools(config: WireRecord, path: string, ctx: LegacyContext, renames: Renames): Record<string, unknown>[] {
  return entries(config, 'address-pools', path, ctx).flatMap((e, i) => {
    const named = entryName(e, 'IPAddressPool', `pool${i + 1}`, ctx);
    if (named === null) return [];
    renames.set(named.original, named.name);
    const raw = e.value['bgp-advertisements'];
    if (raw !== undefined && raw !== null && !Array.isArray(raw)) {
      note(ctx.notes, 'legacy-invalid', ctx.ref, at(e.field, 'bgp-advertisements'), `must be a list, not ${show(raw)} (MetalLB rejected it); left out`);
    }
    const ads = (Array.isArray(raw) ? raw : []).map((ad: unknown, j) =>
      isRecord(ad) ? renameKeys(ad, adKeys, index(at(e.field, 'bgp-advertisements'), j), ctx) : ad,
    );
    const spec = renameKeys(e.value, poolKeys, e.field, ctx);
    return legacyPoolObjects({ name: named.name, field: e.field, protocol: e.value['protocol'], protocolKey: 'protocol', spec, advertisements: ads, advertisementsKey: 'bgp-advertisements' }, ctx);
  });
}

function bfdProfiles(config: WireRecord, path: string, ctx: LegacyContext, renames: Renames): Record<string, unknown>[] {
  return entries(config, 'bfd-profiles', path, ctx).flatMap((e, i) => {
    const named = entryName(e, 'BFDProfile', `bfdprofile${i + 1}`, ctx);
    if (named === null) return [];
    renames.set(named.original, named.name);
    return [newObject('BFDProfile', named.name, ctx.namespace, renameKeys(e.value, bfdKeys, e.field, ctx))];
  });
}

function communities(config: WireRecord, path: string, ctx: LegacyContext): Record<string, unknown>[] {
  const raw = config['bgp-communities'];
  if (raw === undefined || raw === null) return [];
  const field = at(path, 'bgp-communities');
  if (!isRecord(raw)) {
    note(ctx.notes, 'legacy-invalid', ctx.ref, field, `must be a map of alias names to values, not ${show(raw)} (MetalLB rejected it); left out`);
    return [];
  }
  // A Go map has no order; the aliases are written sorted by name.
  const aliases = Object.keys(raw).sort().map((name) => ({ name, value: scalarText(raw[name]) ?? copy(raw[name]) }));
  if (aliases.length === 0) return [];
  return [newObject('Community', claimUnique(ctx.names, 'Community', 'communities'), ctx.namespace, { communities: aliases })];
}

function selectorKeys(ctx: LegacyContext): KeyMap {
  const expressions: Special = (v, path) => ['matchExpressions', Array.isArray(v) ? v.map((x: unknown, i) => (isRecord(x) ? renameKeys(x, requirementKeys, index(path, i), ctx) : copy(x))) : copy(v)];
  return { 'match-labels': 'matchLabels', 'match-expressions': expressions };
}

function peerKeys(ctx: LegacyContext, bfdRenames: Renames): KeyMap {
  const selectors: Special = (v, path) => ['nodeSelectors', Array.isArray(v) ? v.map((x: unknown, i) => (isRecord(x) ? renameKeys(x, selectorKeys(ctx), index(path, i), ctx) : copy(x))) : copy(v)];
  return {
    'my-asn': 'myASN', 'peer-asn': 'peerASN', 'peer-address': 'peerAddress', 'source-address': 'sourceAddress',
    'peer-port': (v) => (v === 0 || v === null ? null : ['peerPort', copy(v)]), // 0: the default, 179
    'hold-time': 'holdTime', 'keepalive-time': 'keepaliveTime', 'router-id': 'routerID', 'node-selectors': selectors, password: 'password',
    'bfd-profile': (v) => ['bfdProfile', bfdRenames.get(scalarText(v) ?? '') ?? copy(v)],
    'ebgp-multihop': 'ebgpMultiHop',
  };
}

function peers(config: WireRecord, path: string, ctx: LegacyContext, bfdRenames: Renames): Record<string, unknown>[] {
  const keys = peerKeys(ctx, bfdRenames);
  return entries(config, 'peers', path, ctx).map((e) => {
    const spec = renameKeys(e.value, keys, e.field, ctx);
    const hold = spec['holdTime'];
    if (hold === undefined || hold === null || hold === '') {
      note(ctx.notes, 'legacy-default', ctx.ref, at(e.field, 'hold-time'), 'not set: MetalLB used a hold time of 90s, written out as holdTime: 90s (barelb would otherwise leave the timers to FRR)');
      spec['holdTime'] = '90s';
    }
    return newObject('BGPPeer', claimNumbered(ctx.names, 'BGPPeer', 'peer'), ctx.namespace, spec);
  });
}

export type LegacyConversion = {
  readonly objects: readonly Record<string, unknown>[];
  /** Pool names that had to change, old -> new, for the Services that name them. */
  readonly poolRenames: ReadonlyMap<string, string>;
};

/** Converts a parsed legacy configuration found at `path` of the input object. */
export function convertLegacyConfig(config: WireRecord, path: string, ctx: LegacyContext): LegacyConversion {
  for (const key of Object.keys(config)) {
    if (topKeys.includes(key)) continue;
    if (key === 'peer-autodiscovery') note(ctx.notes, 'no-equivalent', ctx.ref, at(path, key), 'peer autodiscovery from Node labels or annotations (a MetalLB fork feature) has no barelb equivalent: write one BGPPeer per router, with nodeSelectors; left out');
    else note(ctx.notes, 'unknown-field', ctx.ref, at(path, key), "not a key of MetalLB's ConfigMap configuration (MetalLB rejected unknown keys); left out");
  }
  const poolRenames: Renames = new Map();
  const bfdRenames: Renames = new Map();
  const bfd = bfdProfiles(config, path, ctx, bfdRenames);
  const objects = [...pools(config, path, ctx, poolRenames), ...communities(config, path, ctx), ...bfd, ...peers(config, path, ctx, bfdRenames)];
  return { objects, poolRenames: new Map([...poolRenames].filter(([a, b]) => a !== b)) };
}
