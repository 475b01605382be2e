// A pool in MetalLB's pre-CRD form (the ConfigMap's address-pools, and the AddressPool kind of
// MetalLB 0.13) -> an IPAddressPool plus the advertisement its `protocol` implied.

import { at, index, isRecord, show, type WireRecord } from '../api/wire.ts';
import { copy } from './objects.ts';
import { claimNumbered, type NameBook } from './names.ts';
import { note, type Notes } from './notes.ts';

/** Where generated objects go and how problems are reported against the input object. */
export type LegacyContext = {
  readonly ref: string;
  readonly namespace: string;
  readonly names: NameBook;
  readonly notes: Notes;
};

export type LegacyPool = {
  /** The final object name (already made valid). */
  readonly name: string;
  /** Path of the pool in the input object. */
  readonly field: string;
  readonly protocol: unknown;
  readonly protocolKey: string;
  /** The IPAddressPool spec. */
  readonly spec: Record<string, unknown>;
  /** Raw advertisement entries, already renamed to BGPAdvertisement fields; [] = none given. */
  readonly advertisements: readonly unknown[];
  readonly advertisementsKey: string;
};

export function newObject(kind: string, name: string, namespace: string, spec: Record<string, unknown>): Record<string, unknown> {
  const version = kind === 'BGPPeer' ? 'v1beta2' : 'v1beta1';
  return { apiVersion: `barelb.io/${version}`, kind, metadata: { name, namespace }, spec };
}

function bgpAdvertisements(p: LegacyPool, ctx: LegacyContext): Record<string, unknown>[] {
  // A bgp pool without advertisements announced each address as a /32 (/128) to every peer.
  const entries = p.advertisements.length > 0 ? p.advertisements : [{}];
  const out: Record<string, unknown>[] = [];
  entries.forEach((ad, i) => {
    if (!isRecord(ad)) {
      note(ctx.notes, 'legacy-invalid', ctx.ref, index(at(p.field, p.advertisementsKey), i), `${show(ad)} is not an advertisement (MetalLB rejected it); left out`);
      return;
    }
    const name = claimNumbered(ctx.names, 'BGPAdvertisement', 'bgpadvertisement');
    out.push(newObject('BGPAdvertisement', name, ctx.namespace, { ipAddressPools: [p.name], ...(copy(ad) as Record<string, unknown>) }));
  });
  return out;
}

/** The pool first, then its advertisements. */
export function legacyPoolObjects(p: LegacyPool, ctx: LegacyContext): Record<string, unknown>[] {
  const pool = newObject('IPAddressPool', p.name, ctx.namespace, p.spec);
  switch (p.protocol) {
    case 'layer2': {
      if (p.advertisements.length > 0) {
        note(ctx.notes, 'legacy-invalid', ctx.ref, at(p.field, p.advertisementsKey), 'MetalLB rejects BGP advertisements in a layer2 pool; left out');
      }
      const name = claimNumbered(ctx.names, 'L2Advertisement', 'l2advertisement');
      return [pool, newObject('L2Advertisement', name, ctx.namespace, { ipAddressPools: [p.name] })];
    }
    case 'bgp':
      return [pool, ...bgpAdvertisements(p, ctx)];
    default:
      note(
        ctx.notes, 'legacy-invalid', ctx.ref, at(p.field, p.protocolKey),
        `${p.protocol === undefined ? 'missing' : show(p.protocol)}: the protocol must be "layer2" or "bgp" (MetalLB rejected the configuration); the pool is written without an advertisement, so its addresses are allocated but not announced`,
      );
      return [pool];
  }
}

const addressPoolKeys = ['protocol', 'addresses', 'autoAssign', 'avoidBuggyIPs', 'bgpAdvertisements'];
const addressPoolAdKeys = ['aggregationLength', 'aggregationLengthV6', 'localPref', 'communities'];

function knownOnly(rec: WireRecord, keys: readonly string[], path: string, ctx: LegacyContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rec)) {
    if (keys.includes(key)) Object.defineProperty(out, key, { value: copy(value), enumerable: true, writable: true, configurable: true });
    else note(ctx.notes, 'unknown-field', ctx.ref, at(path, key), "not a field of MetalLB's AddressPool v1beta1 (its API server would have pruned it); left out");
  }
  return out;
}

/**
 * MetalLB 0.13's AddressPool (removed in 0.14): the legacy pool as a custom resource. The
 * IPAddressPool keeps the AddressPool's metadata; `metadata` is already fit for a new object.
 */
export function convertAddressPool(spec: unknown, metadata: Record<string, unknown>, name: string, ctx: LegacyContext): Record<string, unknown>[] {
  const rec = isRecord(spec) ? knownOnly(spec, addressPoolKeys, 'spec', ctx) : {};
  const raw = rec['bgpAdvertisements'];
  const ads = (Array.isArray(raw) ? raw : []).map((ad: unknown, i) => (isRecord(ad) ? knownOnly(ad, addressPoolAdKeys, index('spec.bgpAdvertisements', i), ctx) : ad));
  const { protocol, bgpAdvertisements: _ads, ...poolSpec } = rec;
  const objects = legacyPoolObjects({ name, field: 'spec', protocol, protocolKey: 'protocol', spec: poolSpec, advertisements: ads, advertisementsKey: 'bgpAdvertisements' }, ctx);
  const [pool, ...rest] = objects;
  const kinds = objects.map((o) => String(o['kind'])).join(' + ');
  note(ctx.notes, 'legacy-converted', ctx.ref, '', `AddressPool (deprecated, removed in MetalLB 0.14) written as ${kinds}`);
  return pool === undefined ? rest : [{ ...pool, metadata }, ...rest];
}
