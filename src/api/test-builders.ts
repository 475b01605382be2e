// Builders of manifests for the API tests: valid by default, every part overridable. A spec
// field set to undefined is left out of the manifest.

import { expect } from 'chai';
import { parseInput, type ParsedInput } from './input.ts';
import type { ConfigError } from './model.ts';

export type Manifest = Record<string, unknown>;

export type Overrides = {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly apiVersion?: string;
  readonly spec?: Record<string, unknown>;
};

export const ns = 'barelb-system';

function build(kind: string, apiVersion: string, name: string, spec: Record<string, unknown>, o: Overrides): Manifest {
  const merged = Object.fromEntries(Object.entries({ ...spec, ...o.spec }).filter(([, v]) => v !== undefined));
  return {
    apiVersion: o.apiVersion ?? apiVersion,
    kind,
    metadata: { name: o.name ?? name, namespace: o.namespace ?? ns, ...(o.labels === undefined ? {} : { labels: o.labels }) },
    spec: merged,
  };
}

export const aPool = (o: Overrides = {}): Manifest => build('IPAddressPool', 'barelb.io/v1beta1', 'blue', { addresses: ['192.0.2.0/24'] }, o);
export const anL2Advertisement = (o: Overrides = {}): Manifest => build('L2Advertisement', 'barelb.io/v1beta1', 'l2', {}, o);
export const aBGPAdvertisement = (o: Overrides = {}): Manifest => build('BGPAdvertisement', 'barelb.io/v1beta1', 'bgp', {}, o);
export const aPeer = (o: Overrides = {}): Manifest =>
  build('BGPPeer', 'barelb.io/v1beta2', 'peer-a', { myASN: 64500, peerASN: 64501, peerAddress: '198.51.100.1' }, o);
export const aBFDProfile = (o: Overrides = {}): Manifest => build('BFDProfile', 'barelb.io/v1beta1', 'fast', {}, o);
export const aCommunity = (o: Overrides = {}): Manifest =>
  build('Community', 'barelb.io/v1beta1', 'communities', { communities: [{ name: 'no-export', value: '65535:65281' }] }, o);

export type ServiceOverrides = {
  readonly name?: string;
  readonly namespace?: string | null;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly spec?: Record<string, unknown>;
  readonly status?: Record<string, unknown>;
};

export function aService(o: ServiceOverrides = {}): Manifest {
  const spec = { type: 'LoadBalancer', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP' }], ...o.spec };
  const metadata: Record<string, unknown> = { name: o.name ?? 'web' };
  if (o.namespace !== null) metadata['namespace'] = o.namespace ?? 'default';
  if (o.labels !== undefined) metadata['labels'] = o.labels;
  if (o.annotations !== undefined) metadata['annotations'] = o.annotations;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)),
    ...(o.status === undefined ? {} : { status: o.status }),
  };
}

export const aNode = (name: string, labels: Record<string, string> = {}, status: Record<string, unknown> = {}): Manifest =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, status });

/** A Secret with stringData (type kubernetes.io/basic-auth unless told). */
export const aSecret = (o: { name: string; type?: string; data: Record<string, string> }): Manifest => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name: o.name, namespace: ns }, type: o.type ?? 'kubernetes.io/basic-auth', stringData: o.data,
});

export const aNamespace = (name: string, labels: Record<string, string> = {}): Manifest =>
  ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

/** "Kind/barelb-system/name", as errors name objects. */
export const ref = (kind: string, name: string): string => `${kind}/${ns}/${name}`;

/** A row of a validation table: the objects, and the one error expected among the errors. */
export type ErrorRow = {
  readonly name: string;
  readonly objects: readonly Manifest[];
  readonly object: string;
  readonly field: string;
  readonly message: string;
  readonly transient?: boolean;
};

/** Asserts that an error with this object and field exists and its message contains `message`. */
export function expectError(parsed: ParsedInput, want: Omit<ErrorRow, 'name' | 'objects'>): ConfigError {
  const found = parsed.errors.find((e) => e.object === want.object && e.field === want.field && e.message.includes(want.message));
  expect(found, `no error ${JSON.stringify(want)} in ${JSON.stringify(parsed.errors, null, 1)}`).to.not.equal(undefined);
  if (want.transient !== undefined) expect(found?.transient === true).to.equal(want.transient);
  return found as ConfigError;
}

/** Runs an error table: each row is one `it`. */
export function itReportsEach(rows: readonly ErrorRow[]): void {
  for (const row of rows) {
    it(row.name, () => {
      expectError(parseInput(row.objects), row);
    });
  }
}

/** Parses and asserts that nothing is wrong. */
export function parseClean(objects: readonly Manifest[]): ParsedInput {
  const parsed = parseInput(objects);
  expect(parsed.errors, JSON.stringify(parsed.errors, null, 1)).to.deep.equal([]);
  return parsed;
}
